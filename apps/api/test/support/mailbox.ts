import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export type Mailbox = {
  /** For LAUREL_SMTP_URL. */
  url: string;
  /** Every message accepted so far, parsed. */
  messages: ParsedMail[];
  /** The next message to `to` that `next` has not given yet (waits for it if none is here). */
  next(to: string): Promise<ParsedMail>;
  /**
   * Holds the server's answer to every message from now on (it has the message but has not accepted it,
   * so a sender that waits for the answer waits) until the returned function is called.
   */
  hold(): () => void;
  /**
   * Refuses the next `count` messages with a temporary failure (`451`, by default) after receiving them,
   * as a mail server in trouble does: the sender sees the error, and nothing is kept.
   */
  refuse(count: number, code?: number): void;
  close(): Promise<void>;
};

/** The six-digit code in a sign-in mail. */
export function codeIn(mail: ParsedMail): string {
  const code = /\b(\d{6})\b/.exec(mail.text ?? "")?.[1];
  if (!code) throw new Error(`No code in: ${mail.text}`);
  return code;
}

/**
 * A real SMTP server in this process, on 127.0.0.1 (a free port unless `port` is given: the browser
 * tests' API is configured with a fixed one), keeping what it receives.
 */
export async function startMailbox(port = 0): Promise<Mailbox> {
  const messages: ParsedMail[] = [];
  const waiting: { to: string; resolve: (mail: ParsedMail) => void }[] = [];
  const given = new Set<ParsedMail>();
  let gate: Promise<void> = Promise.resolve();
  let refusals: { left: number; code: number } = { left: 0, code: 451 };
  const recipient = (mail: ParsedMail) =>
    (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [])
      .flatMap((a) => a.value.map((v) => v.address?.toLowerCase()))
      .filter(Boolean);

  const server = new SMTPServer({
    authOptional: true,
    // Plain SMTP on loopback: its self-signed certificate would be refused by the client anyway.
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          await gate;
          if (refusals.left > 0) {
            refusals.left -= 1;
            const error = new Error("Requested action aborted: local error in processing") as Error & {
              responseCode: number;
            };
            error.responseCode = refusals.code;
            callback(error);
            return;
          }
          messages.push(mail);
          const waiter = waiting.find((w) => recipient(mail).includes(w.to));
          if (waiter) {
            waiting.splice(waiting.indexOf(waiter), 1);
            given.add(mail);
            waiter.resolve(mail);
          }
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const bound = (server.server.address() as AddressInfo).port;

  return {
    url: `smtp://127.0.0.1:${bound}`,
    messages,
    next(to) {
      const address = to.toLowerCase();
      const here = messages.find((m) => !given.has(m) && recipient(m).includes(address));
      if (here) {
        given.add(here);
        return Promise.resolve(here);
      }
      return new Promise((resolve) => waiting.push({ to: address, resolve }));
    },
    hold() {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      return release;
    },
    refuse(count, code = 451) {
      refusals = { left: count, code };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
