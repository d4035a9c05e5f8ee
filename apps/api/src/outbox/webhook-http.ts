import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { guardedLookup, RefusedAddress, refusedHost, type Resolve } from "./ssrf.js";

/** What a POST to a receiver came to: its answer (any status), or no answer and why. */
export type PostOutcome =
  | { kind: "response"; status: number; body: string }
  | { kind: "failure"; reason: "refused" | "timeout" | "network"; message: string };

/** The most of a receiver's answer kept for the delivery log. */
export const RESPONSE_LIMIT = 1024;

export type WebhookClientOptions = {
  /** LAUREL_WEBHOOK_ALLOW_PRIVATE: loopback, private and link-local addresses allowed. */
  allowPrivate: boolean;
  /** Name resolution (DNS by default); tests map names to addresses of their choosing. */
  resolve?: Resolve;
  /** The whole request, connection to the last byte read. */
  timeoutMs: number;
};

/**
 * Posts webhook bodies: over keep-alive connections, each made through the SSRF guard's lookup (the
 * address is checked when the socket connects, whatever the name resolved to at registration), within a
 * time limit, never following a redirect (node:http does not; a 3xx is a failed attempt like a 5xx),
 * reading at most RESPONSE_LIMIT bytes of the answer.
 */
export class WebhookClient {
  private readonly lookup: LookupFunction;
  private readonly agents = {
    http: new http.Agent({ keepAlive: true }),
    https: new https.Agent({ keepAlive: true }),
  };

  constructor(private readonly options: WebhookClientOptions) {
    this.lookup = guardedLookup(options);
  }

  post(url: string, body: string, headers: Record<string, string>): Promise<PostOutcome> {
    const target = new URL(url);
    // Literal addresses are connected to without a lookup: checked here instead.
    const refused = refusedHost(target.hostname, this.options.allowPrivate);
    if (refused) return Promise.resolve({ kind: "failure", reason: "refused", message: refused.message });
    const secure = target.protocol === "https:";
    return new Promise((resolve) => {
      let settled = false;
      const settle = (outcome: PostOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      const request = (secure ? https : http).request(target, {
        method: "POST",
        agent: secure ? this.agents.https : this.agents.http,
        lookup: this.lookup,
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
      });
      const timer = setTimeout(() => {
        settle({
          kind: "failure",
          reason: "timeout",
          message: `no answer within ${this.options.timeoutMs / 1000} s`,
        });
        request.destroy();
      }, this.options.timeoutMs);
      request.on("response", (response) => readAnswer(response, settle));
      request.on("error", (error) => settle(failureOf(error)));
      request.end(body);
    });
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }
}

/** The status and the first RESPONSE_LIMIT bytes of the body; the rest is not read. */
function readAnswer(response: http.IncomingMessage, settle: (outcome: PostOutcome) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  const finish = () => {
    const status = response.statusCode ?? 0;
    let body = printable(Buffer.concat(chunks).subarray(0, RESPONSE_LIMIT).toString("utf8"));
    if (status >= 300 && status < 400) {
      body = `redirect to ${response.headers.location ?? "(no Location)"} not followed${body ? `: ${body}` : ""}`;
    }
    settle({ kind: "response", status, body: body.slice(0, RESPONSE_LIMIT) });
  };
  response.on("data", (chunk: Buffer) => {
    if (size >= RESPONSE_LIMIT) return;
    chunks.push(chunk);
    size += chunk.length;
    if (size >= RESPONSE_LIMIT) {
      finish();
      response.destroy();
    }
  });
  response.on("end", finish);
  // A body cut off after the status still counts by its status.
  response.on("error", finish);
  response.on("close", finish);
}

/** PostgreSQL text holds no NUL. */
const printable = (text: string): string => text.replaceAll("\u0000", "");

function failureOf(error: Error & { code?: string }): PostOutcome {
  if (error instanceof RefusedAddress) return { kind: "failure", reason: "refused", message: error.message };
  const code = error.code ? `${error.code}: ` : "";
  return {
    kind: "failure",
    reason: "network",
    message: printable(`${code}${error.message}`).slice(0, RESPONSE_LIMIT),
  };
}
