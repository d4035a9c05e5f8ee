import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request a receiver got: its path, headers and raw body (what a signature is checked over). */
export type Received = { path: string; headers: IncomingHttpHeaders; body: string; id: string; at: number };

/** What the receiver answers a request: a status and body, or "hold" (no answer until released). */
export type Answer = { status: number; body?: string } | "hold";

/**
 * A real HTTP receiver of webhooks on 127.0.0.1, for the tests: it records every request, answers as
 * `answer` says (200 "ok" by default), can hold requests open, and can go down (stop listening, so
 * connections are refused) and come back on the same port.
 */
export async function startReceiver() {
  const received: Received[] = [];
  const held: { request: Received; response: ServerResponse }[] = [];
  let answer: (request: Received) => Answer = () => ({ status: 200, body: "ok" });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const request: Received = {
        path: req.url ?? "/",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        id: String(req.headers["webhook-id"] ?? ""),
        at: received.length,
      };
      received.push(request);
      const reply = answer(request);
      if (reply === "hold") {
        held.push({ request, response: res });
        return;
      }
      res.writeHead(reply.status, { "content-type": "text/plain" }).end(reply.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    received,
    held,
    url: (path = "/") => `http://127.0.0.1:${port}${path}`,
    get listening() {
      return server.listening;
    },
    answer(with_: (request: Received) => Answer) {
      answer = with_;
    },
    /** Ends the held requests (their senders may be gone). */
    releaseHeld() {
      for (const { response } of held.splice(0)) response.destroy();
    },
    /** Stops listening and drops every connection: senders get ECONNREFUSED. */
    async down() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    async up() {
      await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    },
    async close() {
      this.releaseHeld();
      server.closeAllConnections();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
