import nodemailer, { type Transporter } from "nodemailer";
import type { Env } from "./env.js";

/**
 * The process's one mail transport (LAUREL_SMTP_URL, LAUREL_MAIL_FROM): sign-in codes and people's emails
 * about awards and Wrapped leave through it. None when no SMTP server is configured.
 */
export type MailTransport = { transporter: Transporter; from: string };

export function mailTransportOf(mail: Env["mail"]): MailTransport | undefined {
  if (!mail) return undefined;
  const transporter = nodemailer.createTransport(
    // Shorter waits than nodemailer's (2 and 10 minutes): a mail server that hangs fails the attempt,
    // which is retried, well within the people's mailer's lease on it (mailer.ts).
    { url: mail.smtpUrl, connectionTimeout: 20_000, greetingTimeout: 20_000, socketTimeout: 30_000 },
    { from: mail.from },
  );
  return { transporter, from: mail.from };
}

/** The languages Laurel writes emails in. */
export type MailLanguage = "en" | "nb";

/** Norwegian (nb, no, nn) gets Bokmål; every other language English. The person's own language comes first. */
export function mailLanguage(...locales: (string | null | undefined)[]): MailLanguage {
  const chosen = locales.find((l) => l && l.trim() !== "");
  return /^(nb|no|nn)\b/i.test(chosen ?? "") ? "nb" : "en";
}
