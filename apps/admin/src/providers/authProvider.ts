import type { AuthProvider, UserIdentity } from "react-admin";
import { graphqlRequest } from "./graphql";
import { tokenStore } from "./token";

export type Me = {
  id: string;
  displayName: string;
  role: { key: string; permissions: string[] };
  organization: { id: string; name: string } | null;
};

/** What getPermissions answers: the role's permissions, and where the admin stands. */
export type Permissions = {
  permissions: string[];
  roleKey: string;
  organizationId: string | null;
  isGlobalAdmin: boolean;
};

const ME = `{ me { id displayName role { key permissions } organization { id name } } }`;

let me: Promise<Me> | undefined;

/** Asked once per sign-in: the identity and the permissions come from the same answer. */
function loadMe(): Promise<Me> {
  me ??= graphqlRequest<{ me: Me }>(ME)
    .then((d) => d.me)
    .catch((error: unknown) => {
      me = undefined;
      throw error;
    });
  return me;
}

export const authProvider: AuthProvider = {
  async login({ username, password }: { username: string; password: string }) {
    const data = await graphqlRequest<{ login: { token: string } }>(
      `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`,
      { email: username, password },
    );
    tokenStore.set(data.login.token);
    me = undefined;
  },
  async logout() {
    tokenStore.clear();
    me = undefined;
  },
  async checkAuth() {
    if (!tokenStore.get()) throw new Error("Not signed in");
  },
  async checkError(error: { status?: number }) {
    if (error?.status === 401) {
      tokenStore.clear();
      me = undefined;
      throw new Error("Signed out");
    }
  },
  async getIdentity(): Promise<UserIdentity> {
    const user = await loadMe();
    return { id: user.id, fullName: user.displayName, organization: user.organization };
  },
  async getPermissions(): Promise<Permissions> {
    if (!tokenStore.get())
      return { permissions: [], roleKey: "", organizationId: null, isGlobalAdmin: false };
    const user = await loadMe();
    return {
      permissions: user.role.permissions,
      roleKey: user.role.key,
      organizationId: user.organization?.id ?? null,
      isGlobalAdmin: user.role.permissions.includes("manage:platform"),
    };
  },
};
