import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/** Standard Webhooks' prefix of a signing secret; what follows is the base64 of its random bytes. */
export const SECRET_PREFIX = "whsec_";
/** 32 random bytes: within the specification's 24 to 64, and HMAC-SHA256's own block of strength. */
const SECRET_BYTES = 32;

/** A new signing secret, `whsec_` and the base64 of 32 random bytes: shown to the admin once. */
export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString("base64")}`;
}

/** A stored secret this process cannot open: another key (LAUREL_WEBHOOK_KEY changed) or a damaged row. */
export class SecretUnreadable extends Error {
  constructor() {
    super(
      "The endpoint's signing secret cannot be decrypted: was LAUREL_WEBHOOK_KEY (or LAUREL_TOKEN_SECRET) changed?",
    );
  }
}

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Webhook signing secrets at rest: AES-256-GCM under a key derived (HKDF-SHA256) from configuration
 * (LAUREL_WEBHOOK_KEY, else LAUREL_TOKEN_SECRET), never from anything in the database, so a dump alone
 * cannot sign. Each ciphertext is bound to its endpoint's id (the GCM additional data): copied onto
 * another endpoint's row, it does not open.
 */
export class WebhookSecrets {
  private readonly key: Buffer;

  /** `material`: the configured key text (Env.webhooks.key). */
  constructor(material: string) {
    this.key = Buffer.from(hkdfSync("sha256", material, "laurel", "laurel webhook signing secrets v1", 32));
  }

  /** `v1.` and the base64url of IV, tag and ciphertext. */
  seal(secret: string, endpointId: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(Buffer.from(endpointId));
    const sealed = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
    return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString("base64url")}`;
  }

  open(stored: string, endpointId: string): string {
    const [version, data] = stored.split(".", 2);
    if (version !== VERSION || !data) throw new SecretUnreadable();
    const bytes = Buffer.from(data, "base64url");
    if (bytes.length <= IV_BYTES + TAG_BYTES) throw new SecretUnreadable();
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.key, bytes.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(endpointId));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([
        decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString("utf8");
    } catch {
      throw new SecretUnreadable();
    }
  }
}
