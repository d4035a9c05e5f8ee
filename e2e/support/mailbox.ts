import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/** A real SMTP server in the test's process, keeping the messages it receives for the test to read. */
export async function startMailbox(port: number) {
  const messages: ParsedMail[] = [];
  const waiting: { to: string; resolve: (mail: ParsedMail) => void }[] = [];
  const recipients = (mail: ParsedMail) =>
    (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((a) =>
      a.value.map((v) => v.address?.toLowerCase() ?? ""),
    );
  const server = new SMTPServer({
    authOptional: true,
    // Plain SMTP on loopback: a self-signed certificate would be refused by the API's client.
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.push(mail);
          const waiter = waiting.find((w) => recipients(mail).includes(w.to));
          if (waiter) {
            waiting.splice(waiting.indexOf(waiter), 1);
            waiter.resolve(mail);
          }
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    /** The first message to `to`, waiting for it if it has not come yet. */
    for(to: string): Promise<ParsedMail> {
      const address = to.toLowerCase();
      const here = messages.find((m) => recipients(m).includes(address));
      if (here) return Promise.resolve(here);
      return new Promise((resolve) => waiting.push({ to: address, resolve }));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
