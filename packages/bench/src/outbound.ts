import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { OUTBOX_TYPES } from "@laurel/engine";
import { createClient } from "graphql-ws";
import WebSocket from "ws";

/**
 * P7 and P8: what the outbound side costs the intake and how fast it delivers. One webhook endpoint
 * (every event type) pointing at a receiver in this process that answers 200 at once and notes each
 * delivery's lag (from the event's time, when it committed within a few milliseconds, to its arrival),
 * and one open GraphQL subscription to the organization's events.
 */
export class Outbound {
  private server: Server | undefined;
  private receiving = false;
  /** Lags in ms of the deliveries received while `receiving`. */
  readonly lags: number[] = [];
  /** Every delivery received, counted by `webhook-id`. */
  readonly received = new Map<string, number>();
  private lastArrival = 0;
  private endpointId: string | undefined;
  private subscription: (() => void) | undefined;
  subscribed = 0;

  constructor(
    private readonly api: string,
    private readonly token: string,
  ) {}

  /** The receiver, listening on loopback, and the endpoint (made disabled). */
  async setUp(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (c: Buffer) => chunks.push(c));
      request.on("end", () => {
        const now = Date.now();
        this.lastArrival = now;
        const id = String(request.headers["webhook-id"]);
        this.received.set(id, (this.received.get(id) ?? 0) + 1);
        if (this.receiving) {
          const body = JSON.parse(Buffer.concat(chunks).toString()) as { occurredAt: string };
          this.lags.push(now - Date.parse(body.occurredAt));
        }
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    const made = await this.gql<{ createWebhookEndpoint: { id: string } }>(
      `mutation($url: String!, $types: [String!]!) {
        createWebhookEndpoint(url: $url, eventTypes: $types, description: "bench") { id } }`,
      { url: `http://127.0.0.1:${port}/hook`, types: [...OUTBOX_TYPES] },
    );
    this.endpointId = made.createWebhookEndpoint.id;
    await this.enable(false);
  }

  /** The endpoint on and a subscription open (P7's A), or both off. */
  async attach(on: boolean): Promise<void> {
    await this.enable(on);
    this.receiving = on;
    if (on) {
      const client = createClient({
        url: `${this.api.replace(/^http/, "ws")}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${this.token}` },
      });
      const stop = client.subscribe(
        { query: "subscription { organizationEvents { id type } }" },
        {
          next: () => void this.subscribed++,
          error: (error) => {
            throw new Error(`The bench's subscription failed: ${JSON.stringify(error)}`);
          },
          complete: () => {},
        },
      );
      this.subscription = () => {
        stop();
        void client.dispose();
      };
    } else {
      this.subscription?.();
      this.subscription = undefined;
    }
  }

  /** Waits until no delivery has arrived for `quietMs` (what the endpoint was due is all in). */
  async settle(quietMs = 2_000, timeoutMs = 120_000): Promise<void> {
    const started = Date.now();
    this.lastArrival = Date.now();
    while (Date.now() - this.lastArrival < quietMs) {
      if (Date.now() - started > timeoutMs) throw new Error("Webhook deliveries did not settle");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async close(): Promise<void> {
    this.subscription?.();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private async enable(enabled: boolean): Promise<void> {
    await this.gql(
      `mutation($id: ID!, $enabled: Boolean!) { updateWebhookEndpoint(id: $id, enabled: $enabled) { id } }`,
      { id: this.endpointId, enabled },
    );
  }

  private async gql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const response = await fetch(`${this.api}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${this.token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: unknown };
    if (!body.data || body.errors) throw new Error(`Bench GraphQL failed: ${JSON.stringify(body.errors)}`);
    return body.data;
  }
}
