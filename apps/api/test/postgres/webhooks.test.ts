import { spawn } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import type { LookupAddress } from "node:dns";
import { fileURLToPath } from "node:url";
import { type DatabaseHandle, openDatabase, schema } from "@laurel/db";
import { and, asc, eq, inArray } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { FixedClock } from "../../src/clock.js";
import { createLogger } from "../../src/logger.js";
import { Dispatcher, type DispatcherOptions } from "../../src/outbox/dispatcher.js";
import { WebhookSecrets } from "../../src/outbox/secrets.js";
import { type Resolve, systemResolve } from "../../src/outbox/ssrf.js";
import { gameTenant } from "../support/engine.js";
import { signIn } from "../support/factories.js";
import { waitUntil } from "../support/locks.js";
import { type Received, type Receiver, startReceiver } from "../support/receiver.js";
import { openTestDatabase, startTestServer, TEST_SECRET, type TestApi } from "../support/server.js";

/**
 * Webhooks on PostgreSQL, against a real HTTP receiver: exactly once per endpoint while it is healthy
 * (two dispatchers competing), at least once when a dispatcher process is killed mid-delivery, every event
 * after two hours of downtime in retry order, Standard Webhooks signatures and rotation, the SSRF rule at
 * connect time, 410 Gone and three days of failures. A database of the file's own: no other file's
 * deliveries to claim, and no dispatcher of another file to claim these.
 */
const KEY = "webhook key of the postgres suite, not a real one";
const apiDir = fileURLToPath(new URL("../..", import.meta.url));
const silent = createLogger("silent", false);

let database: DatabaseHandle;
let api: TestApi;
let receiver: Receiver;
beforeAll(async () => {
  database = await openTestDatabase({ own: true });
  api = await startTestServer({
    database,
    // Near the real time: receivers check webhook-timestamp against their own clock.
    now: new Date().toISOString(),
    env: { LAUREL_WEBHOOK_ALLOW_PRIVATE: "true", LAUREL_WEBHOOK_KEY: KEY },
  });
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  await api.close();
  await database.close();
});

const running: Dispatcher[] = [];
/** A dispatcher of the test's own on the suite's database and clock (the API's is `api.server.services.outbox.dispatcher`). */
function dispatcher(options: Partial<DispatcherOptions> = {}): Dispatcher {
  const made = new Dispatcher({
    db: api.database.db,
    clock: api.clock,
    logger: silent,
    secrets: api.server.services.outbox.secrets,
    allowPrivate: true,
    ...options,
  });
  running.push(made);
  return made;
}
afterAll(async () => {
  for (const d of running) await d.stop();
});

/** A game tenant whose every win moves progress (a hundred wins) and whose first earns a badge. */
async function arena() {
  const game = await gameTenant(api);
  const one = await game.rule("One win", "wins", "gte", 1, 100);
  const hundred = await game.rule("A hundred wins", "wins", "gte", 100, 100);
  await game.achievement({ key: "first_win", name: "First win", ruleIds: [one], points: 10 });
  await game.achievement({ key: "hundred_wins", name: "Hundred wins", ruleIds: [hundred] });
  await api.settle(game.organization.id);
  return game;
}
type Game = Awaited<ReturnType<typeof arena>>;

async function endpoint(game: Game, path: string, eventTypes: string[]) {
  const made = await api.ok(
    `mutation($url: String!, $t: [String!]!) { createWebhookEndpoint(url: $url, eventTypes: $t) { id secret } }`,
    { url: receiver.url(path), t: eventTypes },
    game.admin.token,
  );
  return made.createWebhookEndpoint as { id: string; secret: string };
}

/** A test event to the endpoint; `token` when days of injected time went by since the admin signed in. */
const sendTest = async (game: Game, endpointId: string, token = game.admin.token) =>
  (await api.ok(`mutation($id: ID!) { sendTestWebhook(id: $id) { id outboxId } }`, { id: endpointId }, token))
    .sendTestWebhook as { id: string; outboxId: string };

/** The outbox ids of the organization's events of these types, sorted. */
async function events(organizationId: string, types: string[]) {
  const rows = await api.database.db
    .select({ id: schema.outbox.id })
    .from(schema.outbox)
    .where(and(eq(schema.outbox.organizationId, organizationId), inArray(schema.outbox.type, types)));
  return rows.map((r) => r.id).sort();
}

const deliveriesOf = (endpointId: string) =>
  api.database.db
    .select()
    .from(schema.webhookDeliveries)
    .where(eq(schema.webhookDeliveries.endpointId, endpointId))
    .orderBy(asc(schema.webhookDeliveries.nextAttemptAt), asc(schema.webhookDeliveries.createdAt));

const endpointRow = async (id: string) =>
  (
    await api.database.db.select().from(schema.webhookEndpoints).where(eq(schema.webhookEndpoints.id, id))
  )[0]!;

const at = (path: string): Received[] => receiver.received.filter((r) => r.path === path);

const ok = () => ({ status: 200, body: "ok" });

describe("delivery", () => {
  it("a healthy receiver gets every event exactly once per endpoint, with two dispatchers competing", async () => {
    const game = await arena();
    const a = await endpoint(game, "/once-a", ["achievement.earned", "progress.changed"]);
    const b = await endpoint(game, "/once-b", ["progress.changed"]);
    // A second process's dispatcher, on connections of its own, woken by the relay's NOTIFY.
    const second = await openDatabase({ url: database.url!, poolSize: 4 });
    const other = new Dispatcher({
      db: second.db,
      clock: api.clock,
      logger: silent,
      secrets: new WebhookSecrets(api.env.webhooks.key),
      allowPrivate: true,
      listen: second.listen,
    });
    const { relay, dispatcher: own } = api.server.services.outbox;
    await Promise.all([relay.start(), own.start(), other.start()]);
    try {
      for (let i = 0; i < 40; i++)
        expect((await game.event("match_won", { key: `w${i}` })).errors).toBeUndefined();
      const forA = await events(game.organization.id, ["achievement.earned", "progress.changed"]);
      const forB = await events(game.organization.id, ["progress.changed"]);
      expect(forA).toHaveLength(41);
      expect(forB).toHaveLength(40);
      await waitUntil("both endpoints have everything", async () => {
        const ids = (path: string) => new Set(at(path).map((r) => r.id));
        return ids("/once-a").size === forA.length && ids("/once-b").size === forB.length;
      });
      await relay.stop();
      await Promise.all([own.stop(), other.stop()]);
      // Nothing is left to post, and nothing came twice.
      expect(await dispatcher().drain()).toBe(0);
      expect(
        at("/once-a")
          .map((r) => r.id)
          .sort(),
      ).toEqual(forA);
      expect(
        at("/once-b")
          .map((r) => r.id)
          .sort(),
      ).toEqual(forB);
      for (const e of [a, b]) {
        const rows = await deliveriesOf(e.id);
        expect(
          rows.every((d) => d.status === "delivered" && d.attempts === 1 && d.lastStatusCode === 200),
        ).toBe(true);
      }
      // The body is the outbox message, type included.
      const first = at("/once-b")[0]!;
      expect(JSON.parse(first.body)).toMatchObject({
        id: first.id,
        type: "progress.changed",
        organizationId: game.organization.id,
        data: { userId: game.player.id },
      });
    } finally {
      await relay.stop();
      await Promise.all([own.stop(), other.stop()]);
      await second.close();
    }
  });

  it("a dispatcher process killed with SIGKILL mid-delivery five times loses nothing: every event arrives, deduplicable by webhook-id", async () => {
    const game = await arena();
    const path = "/killed";
    const hook = await endpoint(game, path, ["achievement.earned", "progress.changed"]);
    for (let i = 0; i < 60; i++) await game.event("match_won", { key: `k${i}` });
    await api.server.services.outbox.relay.drain();
    const expected = await events(game.organization.id, ["achievement.earned", "progress.changed"]);
    expect(await deliveriesOf(hook.id)).toHaveLength(expected.length);
    let seen = 0;
    // Each round the receiver answers two requests, then holds the third open: the dispatcher is killed
    // while it waits for the answer.
    receiver.answer((r) => (r.path !== path ? ok() : ++seen % 3 === 0 ? "hold" : ok()));
    const env = {
      ...process.env,
      DATABASE_URL: database.url!,
      NODE_ENV: "test",
      LAUREL_TOKEN_SECRET: TEST_SECRET,
      LAUREL_WEBHOOK_KEY: KEY,
      LAUREL_WEBHOOK_ALLOW_PRIVATE: "true",
      LAUREL_LOG_LEVEL: "silent",
    };
    try {
      for (let round = 0; round < 5; round++) {
        seen = 0;
        const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", "dispatcher"], {
          cwd: apiDir,
          env,
          stdio: "ignore",
        });
        const exited = new Promise((resolve) => child.once("exit", resolve));
        try {
          await waitUntil(
            `round ${round}: a delivery is held open`,
            async () => {
              if (child.exitCode !== null) throw new Error(`round ${round}: the dispatcher ended by itself`);
              return receiver.held.length > 0;
            },
            120_000,
          );
        } finally {
          child.kill("SIGKILL");
          await exited;
        }
        // Killed mid-delivery: the held one is still the dead process's, leased.
        const heldId = receiver.held[0]!.request.id;
        const [inFlight] = (await deliveriesOf(hook.id)).filter((d) => d.outboxId === heldId);
        expect(inFlight).toMatchObject({ status: "delivering", attempts: 0 });
        expect(inFlight!.leaseUntil!.getTime()).toBeGreaterThan(Date.now());
        receiver.releaseHeld();
      }
      const rows = await deliveriesOf(hook.id);
      expect(rows.filter((d) => d.status === "delivering").length).toBeGreaterThanOrEqual(5);
      expect(rows.filter((d) => d.status === "delivered").length).toBeGreaterThanOrEqual(10);

      // Once the dead processes' leases are over, a dispatcher takes their deliveries over.
      receiver.answer(ok);
      const later = dispatcher({ clock: new FixedClock(new Date(Date.now() + 10 * 60_000)) });
      await later.drain();
      const got = at(path).map((r) => r.id);
      expect([...new Set(got)].sort()).toEqual(expected);
      // At least once: the five held ones came again (the receiver dedups by webhook-id).
      expect(got.length - new Set(got).size).toBeGreaterThanOrEqual(5);
      expect((await deliveriesOf(hook.id)).every((d) => d.status === "delivered")).toBe(true);
    } finally {
      receiver.releaseHeld();
      receiver.answer(ok);
    }
  });

  it("a receiver down for two hours gets every event when it is back, in retry order", async () => {
    const game = await arena();
    const path = "/down";
    const hook = await endpoint(game, path, ["progress.changed"]);
    for (let i = 0; i < 6; i++) await game.event("match_won", { key: `d${i}` });
    await api.server.services.outbox.relay.drain();
    const expected = await events(game.organization.id, ["progress.changed"]);
    const hand = dispatcher();
    const start = api.clock.now().getTime();
    const end = start + 2 * 3_600_000;
    const nextDue = async () => {
      const pending = (await deliveriesOf(hook.id)).filter((d) => d.status === "pending");
      return pending.length ? Math.min(...pending.map((d) => d.nextAttemptAt.getTime())) : undefined;
    };
    await receiver.down();
    try {
      // Each retry when it falls due, for two hours: refused every time.
      for (let due = await nextDue(); due !== undefined && due <= end; due = await nextDue()) {
        api.clock.set(new Date(due));
        await hand.drain();
      }
      const waiting = await deliveriesOf(hook.id);
      expect(waiting).toHaveLength(expected.length);
      expect(
        waiting.every((d) => d.status === "pending" && d.attempts === 4 && d.lastStatusCode === null),
      ).toBe(true);
      expect(waiting.every((d) => /ECONNREFUSED/.test(d.lastResponse ?? ""))).toBe(true);
      expect((await endpointRow(hook.id)).failingSince?.getTime()).toBe(start);
      const retryOrder = waiting.map((d) => d.outboxId);
      api.clock.set(new Date(end));
      await receiver.up();
      for (let due = await nextDue(); due !== undefined; due = await nextDue()) {
        api.clock.set(new Date(due));
        await hand.drain();
      }
      expect(at(path).map((r) => r.id)).toEqual(retryOrder);
      expect([...retryOrder].sort()).toEqual(expected);
      const done = await deliveriesOf(hook.id);
      expect(done.every((d) => d.status === "delivered" && d.attempts === 5)).toBe(true);
      expect((await endpointRow(hook.id)).failingSince).toBeNull();
    } finally {
      if (!receiver.listening) await receiver.up();
    }
  });
});

describe("signatures", () => {
  /** Standard Webhooks' check, with the receiver's clock at the test clock's time. */
  function verify(secret: string, request: Received) {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(api.clock.now());
    try {
      return new Webhook(secret).verify(request.body, request.headers as Record<string, string>);
    } finally {
      vi.useRealTimers();
    }
  }
  /** HMAC-SHA256 over `id.timestamp.body` with the secret's bytes, as the specification says, by hand. */
  function handSigned(secret: string, request: Received): boolean {
    const {
      "webhook-id": id,
      "webhook-timestamp": timestamp,
      "webhook-signature": signatures,
    } = request.headers;
    const expected = createHmac("sha256", Buffer.from(secret.slice("whsec_".length), "base64"))
      .update(`${String(id)}.${String(timestamp)}.${request.body}`)
      .digest("base64");
    return String(signatures).split(" ").includes(`v1,${expected}`);
  }

  it("verify with the standardwebhooks library and by hand; a rotated secret verifies with both during the overlap, only the new one after", async () => {
    api.clock.set(new Date());
    const game = await arena();
    const path = "/signed";
    const hook = await endpoint(game, path, ["achievement.earned"]);
    const post = dispatcher();
    await sendTest(game, hook.id);
    await post.drain();
    const [first] = at(path);
    expect(first!.headers["webhook-timestamp"]).toBe(String(Math.floor(api.clock.now().getTime() / 1000)));
    expect(verify(hook.secret, first!)).toMatchObject({
      type: "webhook.test",
      organizationId: game.organization.id,
    });
    expect(handSigned(hook.secret, first!)).toBe(true);

    const rotated = await api.ok(
      `mutation($id: ID!) { rotateWebhookEndpointSecret(id: $id, overlapHours: 1) { secret previousSecretUntil } }`,
      { id: hook.id },
      game.admin.token,
    );
    const next = rotated.rotateWebhookEndpointSecret.secret as string;
    api.clock.advance(30 * 60_000);
    await sendTest(game, hook.id);
    await post.drain();
    const during = at(path)[1]!;
    expect(String(during.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect(verify(next, during)).toMatchObject({ type: "webhook.test" });
    expect(verify(hook.secret, during)).toMatchObject({ type: "webhook.test" });
    expect(handSigned(next, during) && handSigned(hook.secret, during)).toBe(true);

    api.clock.advance(31 * 60_000);
    await sendTest(game, hook.id);
    await post.drain();
    const after = at(path)[2]!;
    expect(String(after.headers["webhook-signature"]).split(" ")).toHaveLength(1);
    expect(verify(next, after)).toMatchObject({ type: "webhook.test" });
    expect(() => verify(hook.secret, after)).toThrow();
    expect(handSigned(hook.secret, after)).toBe(false);
    expect(handSigned(next, after)).toBe(true);
  });

  it("cannot be made from a database dump: the row holds no usable secret, and another key cannot open it", async () => {
    const game = await arena();
    const hook = await endpoint(game, "/dumped", ["achievement.earned"]);
    const row = await endpointRow(hook.id);
    const dumped = JSON.stringify(row);
    expect(dumped).not.toContain(hook.secret.slice("whsec_".length, 30));
    expect(dumped).not.toContain(Buffer.from(hook.secret.slice(6), "base64").toString("hex").slice(0, 20));
    // A dispatcher whose key is not the installation's signs nothing.
    const thief = dispatcher({
      secrets: new WebhookSecrets("webhook-key:what a thief would guess, long enough"),
    });
    const sent = await sendTest(game, hook.id);
    await thief.drain();
    expect(at("/dumped")).toEqual([]);
    const [delivery] = await deliveriesOf(hook.id);
    expect(delivery).toMatchObject({ id: sent.id, status: "pending", attempts: 1, lastStatusCode: null });
    expect(delivery!.lastResponse).toMatch(/cannot be decrypted/);
  });
});

describe("SSRF", () => {
  const names: Record<string, LookupAddress[]> = {
    "loop.test": [{ address: "127.0.0.1", family: 4 }],
    localhost: [{ address: "127.0.0.1", family: 4 }],
    "inside.test": [{ address: "10.0.0.1", family: 4 }],
    "metadata.test": [{ address: "169.254.169.254", family: 4 }],
  };
  const resolve: Resolve = (hostname, family) =>
    names[hostname] ? Promise.resolve(names[hostname]) : systemResolve(hostname, family);

  it("endpoints at 127.0.0.1, 10.0.0.1, 169.254.169.254 or a name resolving to them are refused at connect time, and allowed with the setting", async () => {
    const game = await arena();
    const port = receiver.port;
    const urls = {
      literal: `http://127.0.0.1:${port}/ssrf-literal`,
      localhost: `http://localhost:${port}/ssrf-localhost`,
      name: `http://loop.test:${port}/ssrf-name`,
      private: "http://10.0.0.1/hook",
      privateName: "http://inside.test/hook",
      metadata: "http://169.254.169.254/latest/meta-data/",
      metadataName: "http://metadata.test/latest/meta-data/",
    };
    // Registered before the rule applied (or with the setting then): the dispatcher checks again.
    const ids: Record<string, string> = {};
    const { secrets } = api.server.services.outbox;
    for (const [key, url] of Object.entries(urls)) {
      const id = randomUUID();
      await api.database.db.insert(schema.webhookEndpoints).values({
        id,
        organizationId: game.organization.id,
        url,
        eventTypes: ["achievement.earned"],
        secret: secrets.seal("whsec_c2VjcmV0IG9mIHRoZSBzc3JmIHRlc3Q=", id),
      });
      ids[key] = id;
      await sendTest(game, id);
    }
    const strict = dispatcher({ allowPrivate: false, resolve });
    await strict.drain();
    expect(receiver.received.filter((r) => r.path.startsWith("/ssrf-"))).toEqual([]);
    const refusal = async (key: string) => (await deliveriesOf(ids[key]!))[0]!;
    const expected: Record<string, string> = {
      literal: "refused: 127.0.0.1 is a loopback address",
      localhost: "refused: localhost is a loopback address",
      name: "refused: loop.test resolves to 127.0.0.1, a loopback address",
      private: "refused: 10.0.0.1 is a private address",
      privateName: "refused: inside.test resolves to 10.0.0.1, a private address",
      metadata: "refused: 169.254.169.254 is a linkLocal address",
      metadataName: "refused: metadata.test resolves to 169.254.169.254, a linkLocal address",
    };
    for (const [key, message] of Object.entries(expected)) {
      expect(await refusal(key)).toMatchObject({
        status: "pending",
        attempts: 1,
        lastStatusCode: null,
        lastResponse: message,
      });
    }

    // With LAUREL_WEBHOOK_ALLOW_PRIVATE the same endpoints are connected to.
    api.clock.advance(60_000);
    const open = dispatcher({ allowPrivate: true, resolve, timeoutMs: 1_000 });
    await open.drain();
    expect(
      receiver.received
        .filter((r) => r.path.startsWith("/ssrf-"))
        .map((r) => r.path)
        .sort(),
    ).toEqual(["/ssrf-literal", "/ssrf-localhost", "/ssrf-name"]);
    for (const key of ["literal", "localhost", "name"])
      expect(await refusal(key)).toMatchObject({ status: "delivered" });
    // Nothing listens at those private addresses here: tried, not refused.
    for (const key of ["private", "privateName", "metadata", "metadataName"]) {
      const delivery = await refusal(key);
      expect(delivery.attempts).toBe(2);
      expect(delivery.lastResponse).not.toMatch(/^refused/);
    }
  });
});

describe("disabling", () => {
  it("410 Gone disables the endpoint at once, fails that delivery, leaves the rest unposted and tells the admins", async () => {
    const game = await arena();
    const path = "/gone";
    const hook = await endpoint(game, path, ["achievement.earned"]);
    receiver.answer((r) => (r.path === path ? { status: 410, body: "gone" } : ok()));
    try {
      const sent = [
        await sendTest(game, hook.id),
        await sendTest(game, hook.id),
        await sendTest(game, hook.id),
      ];
      await dispatcher().drain();
      expect(at(path)).toHaveLength(1);
      expect(await endpointRow(hook.id)).toMatchObject({ enabled: false, disabledReason: "gone" });
      const rows = await deliveriesOf(hook.id);
      expect(rows.find((d) => d.outboxId === at(path)[0]!.id)).toMatchObject({
        status: "failed",
        attempts: 1,
        lastStatusCode: 410,
        lastResponse: "gone",
      });
      // The other two were handed back untried: pending, for when an admin enables it again.
      expect(rows.map((d) => d.id).sort()).toEqual(sent.map((d) => d.id).sort());
      expect(rows.filter((d) => d.status === "pending" && d.attempts === 0)).toHaveLength(2);
      expect(await dispatcher().drain()).toBe(0);
      const notes = await api.database.db
        .select()
        .from(schema.notifications)
        .where(eq(schema.notifications.userId, game.admin.user.id));
      expect(notes).toEqual([
        expect.objectContaining({
          type: "webhook_disabled",
          data: expect.objectContaining({ endpointId: hook.id, reason: "gone" }),
        }),
      ]);
    } finally {
      receiver.answer(ok);
    }
  });

  it("an endpoint failing for three days is disabled and its organization's admins are notified", async () => {
    const game = await arena();
    const coordinator = await game.as("coordinator");
    const path = "/failing";
    const hook = await endpoint(game, path, ["achievement.earned"]);
    receiver.answer((r) => (r.path === path ? { status: 500, body: "down for maintenance" } : ok()));
    const post = dispatcher();
    const HOUR = 3_600_000;
    try {
      const start = api.clock.now().getTime();
      // A test event every twelve hours, and every retry when it falls due: nothing but failures.
      const until = async (end: number) => {
        for (let send = start + 12 * HOUR; ;) {
          const pending = (await deliveriesOf(hook.id)).filter((d) => d.status === "pending");
          const due = Math.min(send, ...pending.map((d) => d.nextAttemptAt.getTime()));
          if (due > end) return;
          api.clock.set(new Date(due));
          if (due === send) {
            await sendTest(game, hook.id, await signIn(api, game.admin.user.email));
            send += 12 * HOUR;
          }
          await post.drain();
        }
      };
      await sendTest(game, hook.id);
      await post.drain();
      expect((await endpointRow(hook.id)).failingSince?.getTime()).toBe(start);
      await until(start + 71 * HOUR);
      expect(await endpointRow(hook.id)).toMatchObject({ enabled: true, disabledReason: null });
      expect((await deliveriesOf(hook.id)).some((d) => d.status === "failed")).toBe(true);
      api.clock.set(new Date(start + 72 * HOUR));
      const token = await signIn(api, game.admin.user.email);
      await sendTest(game, hook.id, token);
      await post.drain();
      expect(await endpointRow(hook.id)).toMatchObject({ enabled: false, disabledReason: "failing" });
      const shown = await api.ok(
        `query($id: ID!) { WebhookEndpoint(id: $id) { enabled disabledReason } myNotifications { type title body } }`,
        { id: hook.id },
        token,
      );
      expect(shown.WebhookEndpoint).toEqual({ enabled: false, disabledReason: "failing" });
      expect(shown.myNotifications).toEqual([
        expect.objectContaining({
          type: "webhook_disabled",
          title: "Webhook endpoint disabled",
          body: expect.stringContaining(receiver.url(path)),
        }),
      ]);
      const others = await api.database.db
        .select()
        .from(schema.notifications)
        .where(inArray(schema.notifications.userId, [coordinator.user.id, game.player.id]));
      expect(others.filter((n) => n.type === "webhook_disabled")).toEqual([]);
      // Disabled: nothing more is posted to it.
      const posted = at(path).length;
      api.clock.advance(24 * HOUR);
      await post.drain();
      expect(at(path)).toHaveLength(posted);
    } finally {
      receiver.answer(ok);
    }
  });
});
