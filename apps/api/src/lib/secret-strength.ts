/** What production asks of LAUREL_TOKEN_SECRET: as much guessing as HS256's own 256-bit key. */
export const MIN_SECRET_BITS = 256;

/**
 * The bits of entropy a secret shows, estimated from its text alone: its length times the Shannon entropy
 * of its characters (how many different ones it uses, and how evenly), and a secret that repeats a shorter
 * piece counts as that piece. The text is all there is to go on: a secret of few distinct or unevenly used
 * characters ("x" × 64, "aaaa…b"), a repeated pattern, or words spelled out score low; the output of a
 * random generator scores near its true size (`openssl rand -base64 48`: 64 characters, about 330 bits;
 * `openssl rand -hex 64`: about 500). The estimate is conservative for short random secrets (32 random
 * bytes in base64, 43 characters, score about 210): ask for 48 bytes.
 */
export function secretEntropyBits(secret: string): number {
  const unit = [...repeatedUnit(secret)];
  const counts = new Map<string, number>();
  for (const char of unit) counts.set(char, (counts.get(char) ?? 0) + 1);
  let perChar = 0;
  for (const count of counts.values()) {
    const p = count / unit.length;
    perChar -= p * Math.log2(p);
  }
  return unit.length * perChar;
}

/** The shortest piece the secret repeats, a last copy cut short or not ("abcabcab" → "abc"); itself if none. */
function repeatedUnit(secret: string): string {
  for (let size = 1; size <= secret.length / 2; size++) {
    if (secret.slice(size) === secret.slice(0, secret.length - size)) return secret.slice(0, size);
  }
  return secret;
}
