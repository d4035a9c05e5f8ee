import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { newWebhookSecret, SecretUnreadable, WebhookSecrets } from "./secrets.js";

describe("webhook secrets", () => {
  it("are whsec_ and the base64 of 32 random bytes, a new one each time", () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), "base64")).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(a);
  });

  it("are stored sealed: opened with the same key for the same endpoint, by nothing else", () => {
    const secret = newWebhookSecret();
    const endpoint = randomUUID();
    const keys = new WebhookSecrets("webhook-key:the configured key, 32 characters or more");
    const sealed = keys.seal(secret, endpoint);
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain(secret.slice(6, 20));
    expect(keys.seal(secret, endpoint)).not.toBe(sealed);
    expect(keys.open(sealed, endpoint)).toBe(secret);
    // Another key (a changed LAUREL_WEBHOOK_KEY), another endpoint's row, a damaged value: unreadable.
    expect(() =>
      new WebhookSecrets("webhook-key:another key entirely, also long").open(sealed, endpoint),
    ).toThrow(SecretUnreadable);
    expect(() => keys.open(sealed, randomUUID())).toThrow(SecretUnreadable);
    expect(() => keys.open(`${sealed.slice(0, -4)}AAAA`, endpoint)).toThrow(SecretUnreadable);
    expect(() => keys.open("whsec_plain", endpoint)).toThrow(SecretUnreadable);
  });
});
