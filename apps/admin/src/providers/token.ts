/** The bearer token, kept in localStorage and read on every request so a new sign-in takes effect at once. */
const KEY = "laurel.admin.token";

export const tokenStore = {
  get: (): string | null => localStorage.getItem(KEY),
  set: (token: string): void => localStorage.setItem(KEY, token),
  clear: (): void => localStorage.removeItem(KEY),
};

export function authHeaders(): Record<string, string> {
  const token = tokenStore.get();
  return token ? { Authorization: `Bearer ${token}` } : {};
}
