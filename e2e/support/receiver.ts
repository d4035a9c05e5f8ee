import { createHmac } from "node:crypto";
import type { Received } from "../../apps/api/test/support/receiver.js";

// The browser tests receive webhooks with the same in-process HTTP server as the API's tests.
export { type Receiver, startReceiver } from "../../apps/api/test/support/receiver.js";

/**
 * Whether a request carries a Standard Webhooks signature by this secret, computed by hand: HMAC-SHA256,
 * keyed with the secret's base64 after `whsec_`, over `id.timestamp.body`, one `v1,<base64>` of the header's.
 */
export function signedBy(secret: string, { headers, body }: Received): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const signed = `${String(headers["webhook-id"])}.${String(headers["webhook-timestamp"])}.${body}`;
  const expected = `v1,${createHmac("sha256", key).update(signed).digest("base64")}`;
  return String(headers["webhook-signature"] ?? "")
    .split(" ")
    .includes(expected);
}
