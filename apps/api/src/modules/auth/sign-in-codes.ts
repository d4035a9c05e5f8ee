import { createHmac, hkdfSync, randomInt } from "node:crypto";
import type { Env } from "../../env.js";
import type { Logger } from "../../logger.js";
import { mailLanguage, mailTransportOf, type MailTransport } from "../../mail.js";

export const CODE_TTL_MINUTES = 10;
export const CODE_MAX_ATTEMPTS = 5;

/** How codes reach people: mailed by SMTP, written to the log (outside production only), or not at all. */
export type CodeDelivery = "smtp" | "log" | "unavailable";

export type CodeMail = { to: string; code: string; organization: string | null; locale: string | null };

const MESSAGES = {
  en: {
    subject: "Your sign-in code",
    text: (code: string, organization: string) =>
      `Your sign-in code for ${organization} is ${code}\n\n` +
      `It works once, for ${CODE_TTL_MINUTES} minutes. If you did not ask for it, you can ignore this message.\n`,
  },
  nb: {
    subject: "Din innloggingskode",
    text: (code: string, organization: string) =>
      `Innloggingskoden din for ${organization} er ${code}\n\n` +
      `Den virker én gang, i ${CODE_TTL_MINUTES} minutter. Har du ikke bedt om den, kan du se bort fra denne e-posten.\n`,
  },
} as const;

export function codeMessage(mail: CodeMail) {
  const language = MESSAGES[mailLanguage(mail.locale)];
  return {
    to: mail.to,
    subject: language.subject,
    text: language.text(mail.code, mail.organization ?? "Laurel"),
  };
}

/**
 * Participants' one-time sign-in codes: made, kept as an HMAC under a key derived from the server's
 * secret (a reader of the database cannot try the million codes without it), and delivered.
 *
 * Mail leaves in the background: the request that asked for a code is answered before the SMTP server
 * is even reached, so neither its answer nor its timing tells whether the email belongs to anyone.
 */
export class SignInCodes {
  readonly delivery: CodeDelivery;
  private readonly key: Buffer;
  private readonly transport: MailTransport | undefined;
  private readonly pending = new Set<Promise<void>>();

  /** `transport`: the process's mail transport (shared with people's emails), by default one of its own. */
  constructor(
    env: Pick<Env, "tokenSecret" | "mail" | "production">,
    private readonly logger: Logger,
    transport: MailTransport | undefined = mailTransportOf(env.mail),
  ) {
    this.key = Buffer.from(hkdfSync("sha256", env.tokenSecret, "", "laurel sign-in codes", 32));
    this.transport = transport;
    this.delivery = this.transport ? "smtp" : env.production ? "unavailable" : "log";
  }

  /** A new code: six digits. */
  make(): string {
    return String(randomInt(0, 1_000_000)).padStart(6, "0");
  }

  /** What is stored for a code sent to an email (lower-cased): never the code itself. */
  hash(email: string, code: string): string {
    return createHmac("sha256", this.key).update(`${email.toLowerCase()}\n${code}`).digest("hex");
  }

  /** Hands a code on without waiting for it: mailed in the background (failures are logged), or logged. */
  deliver(mail: CodeMail): void {
    if (this.delivery === "log") {
      this.logger.info(`Sign-in code for ${mail.to}: ${mail.code}`);
      return;
    }
    const transport = this.transport;
    if (!transport) return;
    const sending = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => transport.transporter.sendMail(codeMessage(mail)))
      .then(
        () => this.logger.debug("Sign-in code mailed"),
        (error: unknown) => this.logger.error("Sign-in code mail failed", { error: String(error) }),
      )
      .finally(() => this.pending.delete(sending));
    this.pending.add(sending);
  }

  /** Waits for the mail under way (the server's close). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
