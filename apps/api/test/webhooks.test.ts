import { type DatabaseHandle, schema } from "@laurel/db";
import { OUTBOX_TYPES } from "@laurel/engine";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actor, signIn } from "./support/factories.js";
import { gameTenant } from "./support/engine.js";
import { type Receiver, startReceiver } from "./support/receiver.js";
import { openTestDatabase, startTestServer, type TestApi } from "./support/server.js";

/**
 * Webhook endpoints and their delivery log through GraphQL: the CRUD, validation, the secret shown
 * once, rotation, tenancy, test events and replays (the dispatcher driven by hand, on the test clock).
 * The delivery guarantees across processes are in postgres/webhooks.test.ts.
 */
let api: TestApi;
/** The same database, with LAUREL_WEBHOOK_ALLOW_PRIVATE: its dispatcher may post to the local receiver. */
let open: TestApi;
let receiver: Receiver;
let database: DatabaseHandle;
beforeAll(async () => {
  // On PostgreSQL a database of the file's own: its dispatcher claims every due delivery it can see, and
  // must see neither other files' (the tenancy matrix's victim's) nor have its counts disturbed by them.
  database = await openTestDatabase({ own: true });
  api = await startTestServer({ database });
  open = await startTestServer({ database, env: { LAUREL_WEBHOOK_ALLOW_PRIVATE: "true" } });
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  await open.close();
  await api.close();
  await database.close();
});

const FIELDS = `id organizationId url description eventTypes enabled disabledReason failingSince previousSecretUntil
  createdAt updatedAt secret deliveryStats { pending delivered failed }`;
const DELIVERY = `id organizationId endpointId outboxId eventType status attempts nextAttemptAt lastAttemptAt
  lastStatusCode lastResponse deliveredAt createdAt payload`;
const CREATE = `mutation($url: String!, $eventTypes: [String!]!, $description: String, $organizationId: ID) {
  createWebhookEndpoint(url: $url, eventTypes: $eventTypes, description: $description, organizationId: $organizationId) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $url: String, $eventTypes: [String!], $description: String, $enabled: Boolean) {
  updateWebhookEndpoint(id: $id, url: $url, eventTypes: $eventTypes, description: $description, enabled: $enabled) { ${FIELDS} } }`;

async function endpointRows(organizationId: string) {
  return api.database.db
    .select()
    .from(schema.webhookEndpoints)
    .where(eq(schema.webhookEndpoints.organizationId, organizationId));
}

describe("webhook endpoints", () => {
  it("an org admin registers one; the secret is shown in that answer only, and stored sealed", async () => {
    const game = await gameTenant(api);
    const made = await api.ok(
      CREATE,
      {
        url: "https://hooks.example.org/laurel",
        eventTypes: ["achievement.earned", "progress.changed"],
        description: "CRM",
      },
      game.admin.token,
    );
    const endpoint = made.createWebhookEndpoint;
    expect(endpoint).toMatchObject({
      organizationId: game.organization.id,
      url: "https://hooks.example.org/laurel",
      description: "CRM",
      eventTypes: ["achievement.earned", "progress.changed"],
      enabled: true,
      disabledReason: null,
      failingSince: null,
      previousSecretUntil: null,
      deliveryStats: { pending: 0, delivered: 0, failed: 0 },
    });
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const again = await api.ok(
      `query($id: ID!) { WebhookEndpoint(id: $id) { ${FIELDS} } }`,
      { id: endpoint.id },
      game.admin.token,
    );
    expect(again.WebhookEndpoint).toMatchObject({ id: endpoint.id, secret: null });
    const list = await api.ok(
      `{ allWebhookEndpoints { id secret } _allWebhookEndpointsMeta { count } }`,
      {},
      game.admin.token,
    );
    expect(list.allWebhookEndpoints).toEqual([{ id: endpoint.id, secret: null }]);
    expect(list._allWebhookEndpointsMeta.count).toBe(1);
    // The row holds a sealed secret, nothing a dump could sign with.
    const [row] = await endpointRows(game.organization.id);
    expect(row!.secret).toMatch(/^v1\./);
    expect(row!.secret).not.toContain(endpoint.secret.slice(6, 26));
    expect(api.server.services.outbox.secrets.open(row!.secret, row!.id)).toBe(endpoint.secret);
  });

  it("refuses bad input naming the field and the rule, and saves nothing", async () => {
    const game = await gameTenant(api);
    const cases: [Record<string, unknown>, string, string][] = [
      [{ url: "hooks.example.org" }, "url", "url_format"],
      [{ url: "ftp://hooks.example.org/" }, "url", "url_scheme"],
      [{ url: "https://me:pw@hooks.example.org/" }, "url", "url_no_credentials"],
      [{ url: "http://127.0.0.1:9000/hook" }, "url", "url_private_address"],
      [{ url: "http://10.0.0.1/hook" }, "url", "url_private_address"],
      [{ url: "http://169.254.169.254/latest/meta-data/" }, "url", "url_private_address"],
      [{ url: "http://localhost:9000/hook" }, "url", "url_private_address"],
      [{ url: `https://hooks.example.org/${"x".repeat(2100)}` }, "url", "too_long"],
      [{ eventTypes: [] }, "eventTypes", "event_types_not_empty"],
      [{ eventTypes: ["achievement.earned", "match.won"] }, "eventTypes.1", "event_type_known"],
      [{ eventTypes: ["webhook.test"] }, "eventTypes.0", "event_type_known"],
      [{ description: "d".repeat(501) }, "description", "max"],
    ];
    for (const [change, field, rule] of cases) {
      const result = await api.gql(
        CREATE,
        { url: "https://hooks.example.org/x", eventTypes: ["achievement.earned"], ...change },
        game.admin.token,
      );
      expect(result.errors?.[0]?.extensions, JSON.stringify(change)).toMatchObject({
        code: "BAD_USER_INPUT",
        issues: [expect.objectContaining({ field, rule })],
      });
    }
    expect(await endpointRows(game.organization.id)).toEqual([]);

    const made = await api.ok(
      CREATE,
      { url: "https://hooks.example.org/x", eventTypes: ["reward.granted"] },
      game.admin.token,
    );
    const id = made.createWebhookEndpoint.id;
    const before = await endpointRows(game.organization.id);
    for (const [change, field, rule] of [
      [{ url: "http://192.168.0.10/" }, "url", "url_private_address"],
      [{ eventTypes: [] }, "eventTypes", "event_types_not_empty"],
    ] as const) {
      const result = await api.gql(UPDATE, { id, ...change }, game.admin.token);
      expect(result.errors?.[0]?.extensions).toMatchObject({
        issues: [expect.objectContaining({ field, rule })],
      });
    }
    expect(await endpointRows(game.organization.id)).toEqual(before);
  });

  it("takes private addresses with LAUREL_WEBHOOK_ALLOW_PRIVATE, and offers the outbox types", async () => {
    const game = await gameTenant(open);
    for (const url of ["http://127.0.0.1:9000/hook", "http://10.0.0.1/hook", "http://169.254.169.254/"]) {
      const made = await open.ok(CREATE, { url, eventTypes: ["summary.ready"] }, game.admin.token);
      expect(made.createWebhookEndpoint.url).toBe(url);
    }
    const types = await open.ok(`{ webhookEventTypes }`, {}, game.admin.token);
    expect(types.webhookEventTypes).toEqual([...OUTBOX_TYPES]);
  });

  it("are changed, disabled and enabled again, and deleted", async () => {
    const game = await gameTenant(api);
    const made = await api.ok(
      CREATE,
      { url: "https://a.example.org/", eventTypes: ["achievement.earned"] },
      game.admin.token,
    );
    const id = made.createWebhookEndpoint.id;
    api.clock.advance(60_000);
    const changed = await api.ok(
      UPDATE,
      {
        id,
        url: "https://b.example.org/",
        eventTypes: ["summary.ready", "summary.ready"],
        description: "moved",
      },
      game.admin.token,
    );
    expect(changed.updateWebhookEndpoint).toMatchObject({
      url: "https://b.example.org/",
      eventTypes: ["summary.ready"],
      description: "moved",
      enabled: true,
      secret: null,
    });
    expect(changed.updateWebhookEndpoint.updatedAt).not.toBe(made.createWebhookEndpoint.updatedAt);
    const off = await api.ok(UPDATE, { id, enabled: false }, game.admin.token);
    expect(off.updateWebhookEndpoint).toMatchObject({ enabled: false, disabledReason: "admin" });
    // As the dispatcher leaves one that failed for days.
    await api.database.db
      .update(schema.webhookEndpoints)
      .set({ disabledReason: "failing", failingSince: new Date("2026-06-01T00:00:00Z") })
      .where(eq(schema.webhookEndpoints.id, id));
    const on = await api.ok(UPDATE, { id, enabled: true }, game.admin.token);
    expect(on.updateWebhookEndpoint).toMatchObject({
      enabled: true,
      disabledReason: null,
      failingSince: null,
    });
    const filtered = await api.ok(
      `query($q: String) { allWebhookEndpoints(filter: { q: $q, enabled: true }) { id } }`,
      { q: "b.example" },
      game.admin.token,
    );
    expect(filtered.allWebhookEndpoints).toEqual([{ id }]);
    const gone = await api.ok(
      `mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { id url } }`,
      { id },
      game.admin.token,
    );
    expect(gone.deleteWebhookEndpoint).toEqual({ id, url: "https://b.example.org/" });
    expect(await endpointRows(game.organization.id)).toEqual([]);
  });

  it("rotate their secret: a new one shown once, the old one signing until previousSecretUntil", async () => {
    const game = await gameTenant(api);
    const made = await api.ok(
      CREATE,
      { url: "https://a.example.org/", eventTypes: ["achievement.earned"] },
      game.admin.token,
    );
    const { id, secret } = made.createWebhookEndpoint;
    const ROTATE = `mutation($id: ID!, $h: Int) { rotateWebhookEndpointSecret(id: $id, overlapHours: $h) { id secret previousSecretUntil } }`;
    const rotated = await api.ok(
      `mutation($id: ID!) { rotateWebhookEndpointSecret(id: $id) { id secret previousSecretUntil } }`,
      { id },
      game.admin.token,
    );
    expect(rotated.rotateWebhookEndpointSecret.secret).toMatch(/^whsec_/);
    expect(rotated.rotateWebhookEndpointSecret.secret).not.toBe(secret);
    expect(rotated.rotateWebhookEndpointSecret.previousSecretUntil).toBe(
      new Date(api.clock.now().getTime() + 24 * 3_600_000).toISOString(),
    );
    const [row] = await endpointRows(game.organization.id);
    const { secrets } = api.server.services.outbox;
    expect(secrets.open(row!.secret, id)).toBe(rotated.rotateWebhookEndpointSecret.secret);
    expect(secrets.open(row!.previousSecret!, id)).toBe(secret);
    for (const h of [-1, 169]) {
      const bad = await api.gql(ROTATE, { id, h }, game.admin.token);
      expect(bad.errors?.[0]?.extensions).toMatchObject({
        issues: [expect.objectContaining({ field: "overlapHours", rule: "range" })],
      });
    }
    const none = await api.ok(ROTATE, { id, h: 0 }, game.admin.token);
    expect(none.rotateWebhookEndpointSecret.previousSecretUntil).toBeNull();
    const [after] = await endpointRows(game.organization.id);
    expect(after!.previousSecret).toBeNull();
  });
});

describe("who may manage webhooks", () => {
  it("org admins in their tenant, Global Administrators in any; nobody else", async () => {
    const game = await gameTenant(api);
    const other = await gameTenant(api);
    const made = await api.ok(
      CREATE,
      { url: "https://a.example.org/", eventTypes: ["achievement.earned"] },
      game.admin.token,
    );
    const id = made.createWebhookEndpoint.id;
    const coordinator = await game.as("coordinator");
    for (const auth of [coordinator.token, game.backend]) {
      const read = await api.gql(`{ allWebhookEndpoints { id } }`, {}, auth);
      expect(read.errors?.[0]?.extensions).toMatchObject({
        code: "FORBIDDEN",
        permission: "manage:webhooks",
      });
      const write = await api.gql(
        CREATE,
        { url: "https://x.example.org/", eventTypes: ["summary.ready"] },
        auth,
      );
      expect(write.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    }
    // Another tenant's admin sees nothing of it and changes nothing.
    const stranger = other.admin.token;
    expect((await api.ok(`{ allWebhookEndpoints { id } }`, {}, stranger)).allWebhookEndpoints).toEqual([]);
    for (const op of [
      `query($id: ID!) { WebhookEndpoint(id: $id) { id } }`,
      `mutation($id: ID!) { updateWebhookEndpoint(id: $id, enabled: false) { id } }`,
      `mutation($id: ID!) { rotateWebhookEndpointSecret(id: $id) { id } }`,
      `mutation($id: ID!) { sendTestWebhook(id: $id) { id } }`,
      `mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { id } }`,
    ]) {
      const result = await api.gql(op, { id }, stranger);
      expect(result.errors?.[0]?.extensions?.code, op).toBe("NOT_FOUND");
    }
    const spoofed = await api.gql(
      CREATE,
      { url: "https://x.example.org/", eventTypes: ["summary.ready"], organizationId: game.organization.id },
      stranger,
    );
    expect(spoofed.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await endpointRows(game.organization.id)).toHaveLength(1);
    expect((await endpointRows(game.organization.id))[0]).toMatchObject({ enabled: true });

    // A Global Administrator sees it, and registers one for a tenant they name.
    const global = await actor(api, null, "global_admin");
    const seen = await api.ok(
      `query($o: ID!) { allWebhookEndpoints(filter: { organizationId: $o }) { id } }`,
      { o: game.organization.id },
      global.token,
    );
    expect(seen.allWebhookEndpoints).toEqual([{ id }]);
    const unnamed = await api.gql(
      CREATE,
      { url: "https://g.example.org/", eventTypes: ["summary.ready"] },
      global.token,
    );
    expect(unnamed.errors?.[0]?.extensions).toMatchObject({
      issues: [expect.objectContaining({ field: "organizationId" })],
    });
    const named = await api.ok(
      CREATE,
      { url: "https://g.example.org/", eventTypes: ["summary.ready"], organizationId: other.organization.id },
      global.token,
    );
    expect(named.createWebhookEndpoint.organizationId).toBe(other.organization.id);
  });
});

describe("test events, the delivery log and replays", () => {
  it("a test event reaches the endpoint once, is logged, and can be replayed", async () => {
    const game = await gameTenant(open);
    const path = `/test-${game.organization.id}`;
    const made = await open.ok(
      CREATE,
      { url: receiver.url(path), eventTypes: ["achievement.earned"] },
      game.admin.token,
    );
    const id = made.createWebhookEndpoint.id;
    const sent = await open.ok(
      `mutation($id: ID!) { sendTestWebhook(id: $id) { ${DELIVERY} } }`,
      { id },
      game.admin.token,
    );
    const delivery = sent.sendTestWebhook;
    expect(delivery).toMatchObject({
      endpointId: id,
      eventType: "webhook.test",
      status: "PENDING",
      attempts: 0,
    });
    expect(delivery.payload).toEqual({
      id: delivery.outboxId,
      type: "webhook.test",
      organizationId: game.organization.id,
      occurredAt: open.clock.now().toISOString(),
      data: { endpointId: id, message: "A test event from Laurel" },
    });
    await open.server.services.outbox.dispatcher.drain();
    const got = receiver.received.filter((r) => r.path === path);
    expect(got).toHaveLength(1);
    expect(JSON.parse(got[0]!.body)).toEqual(delivery.payload);
    expect(got[0]!.id).toBe(delivery.outboxId);

    const LOG = `query($e: ID!) { allWebhookDeliveries(filter: { endpointId: $e }, sortField: "createdAt", sortOrder: "ASC") { ${DELIVERY} }
      _allWebhookDeliveriesMeta(filter: { endpointId: $e }) { count } WebhookEndpoint(id: $e) { deliveryStats { pending delivered failed } } }`;
    const log = await open.ok(LOG, { e: id }, game.admin.token);
    expect(log.allWebhookDeliveries).toEqual([
      expect.objectContaining({
        id: delivery.id,
        status: "DELIVERED",
        attempts: 1,
        nextAttemptAt: null,
        lastStatusCode: 200,
        lastResponse: "ok",
        deliveredAt: open.clock.now().toISOString(),
      }),
    ]);
    expect(log._allWebhookDeliveriesMeta.count).toBe(1);
    expect(log.WebhookEndpoint.deliveryStats).toEqual({ pending: 0, delivered: 1, failed: 0 });

    // Replayed: due again at once, attempts afresh, the same webhook-id.
    const replayed = await open.ok(
      `mutation($id: ID!) { replayWebhookDelivery(id: $id) { status attempts nextAttemptAt } }`,
      { id: delivery.id },
      game.admin.token,
    );
    expect(replayed.replayWebhookDelivery).toEqual({
      status: "PENDING",
      attempts: 0,
      nextAttemptAt: open.clock.now().toISOString(),
    });
    await open.server.services.outbox.dispatcher.drain();
    expect(receiver.received.filter((r) => r.path === path).map((r) => r.id)).toEqual([
      delivery.outboxId,
      delivery.outboxId,
    ]);

    // Another tenant's admin cannot read or replay it.
    const other = await gameTenant(open);
    const foreign = await open.gql(
      `mutation($id: ID!) { replayWebhookDelivery(id: $id) { id } }`,
      { id: delivery.id },
      other.admin.token,
    );
    expect(foreign.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const list = await open.ok(`{ allWebhookDeliveries { id } }`, {}, other.admin.token);
    expect(list.allWebhookDeliveries).toEqual([]);
  });

  it("failures are retried on schedule, logged with the answer's first KiB, failed after the last attempt, and replayed in bulk", async () => {
    const game = await gameTenant(open);
    const path = `/broken-${game.organization.id}`;
    receiver.answer((r) =>
      r.path === path ? { status: 500, body: "é".repeat(3000) } : { status: 200, body: "ok" },
    );
    try {
      const made = await open.ok(
        CREATE,
        { url: receiver.url(path), eventTypes: ["achievement.earned"] },
        game.admin.token,
      );
      const id = made.createWebhookEndpoint.id;
      const since = open.clock.now().toISOString();
      const sent = await open.ok(
        `mutation($id: ID!) { sendTestWebhook(id: $id) { id } }`,
        { id },
        game.admin.token,
      );
      const { dispatcher } = open.server.services.outbox;
      await dispatcher.drain();
      const one = await open.ok(
        `query($id: ID!) { WebhookDelivery(id: $id) { ${DELIVERY} } }`,
        { id: sent.sendTestWebhook.id },
        game.admin.token,
      );
      expect(one.WebhookDelivery).toMatchObject({ status: "PENDING", attempts: 1, lastStatusCode: 500 });
      expect(Buffer.byteLength(one.WebhookDelivery.lastResponse)).toBeLessThanOrEqual(1024);
      expect(one.WebhookDelivery.lastResponse.startsWith("éééé")).toBe(true);
      const wait = new Date(one.WebhookDelivery.nextAttemptAt).getTime() - open.clock.now().getTime();
      expect(wait).toBeGreaterThanOrEqual(5_000);
      expect(wait).toBeLessThanOrEqual(6_000);
      const endpoint = await open.ok(
        `query($id: ID!) { WebhookEndpoint(id: $id) { failingSince } }`,
        { id },
        game.admin.token,
      );
      expect(endpoint.WebhookEndpoint.failingSince).toBe(open.clock.now().toISOString());
      // Not due yet: nothing is posted.
      expect(await dispatcher.drain()).toBe(0);
      // Each retry when it falls due: 27.6 to 33 hours in all, short of the three days that disable an endpoint.
      for (let attempt = 2; attempt <= 8; attempt++) {
        const [due] = await open.database.db
          .select({ at: schema.webhookDeliveries.nextAttemptAt })
          .from(schema.webhookDeliveries)
          .where(eq(schema.webhookDeliveries.id, sent.sendTestWebhook.id));
        open.clock.set(due!.at);
        expect(await dispatcher.drain()).toBe(1);
      }
      // A day and more went by: the admin signs in again.
      const token = await signIn(open, game.admin.user.email);
      const failed = await open.ok(
        `query($id: ID!) { WebhookDelivery(id: $id) { status attempts nextAttemptAt } }`,
        { id: sent.sendTestWebhook.id },
        token,
      );
      expect(failed.WebhookDelivery).toEqual({ status: "FAILED", attempts: 8, nextAttemptAt: null });
      expect(receiver.received.filter((r) => r.path === path)).toHaveLength(8);

      receiver.answer(() => ({ status: 200, body: "ok" }));
      const later = await open.ok(
        `mutation($e: ID!, $s: DateTimeISO!) { replayWebhookDeliveries(endpointId: $e, since: $s) }`,
        { e: id, s: open.clock.now().toISOString() },
        token,
      );
      expect(later.replayWebhookDeliveries).toBe(0);
      const all = await open.ok(
        `mutation($e: ID!, $s: DateTimeISO!) { replayWebhookDeliveries(endpointId: $e, since: $s) }`,
        { e: id, s: since },
        token,
      );
      expect(all.replayWebhookDeliveries).toBe(1);
      await dispatcher.drain();
      const healthy = await open.ok(
        `query($id: ID!) { WebhookEndpoint(id: $id) { failingSince deliveryStats { pending delivered failed } } }`,
        { id },
        token,
      );
      expect(healthy.WebhookEndpoint).toEqual({
        failingSince: null,
        deliveryStats: { pending: 0, delivered: 1, failed: 0 },
      });
    } finally {
      receiver.answer(() => ({ status: 200, body: "ok" }));
    }
  });

  it("a disabled endpoint takes no test event", async () => {
    const game = await gameTenant(api);
    const made = await api.ok(
      CREATE,
      { url: "https://a.example.org/", eventTypes: ["achievement.earned"] },
      game.admin.token,
    );
    const id = made.createWebhookEndpoint.id;
    await api.ok(UPDATE, { id, enabled: false }, game.admin.token);
    const result = await api.gql(
      `mutation($id: ID!) { sendTestWebhook(id: $id) { id } }`,
      { id },
      game.admin.token,
    );
    expect(result.errors?.[0]?.extensions).toMatchObject({
      issues: [expect.objectContaining({ field: "id", rule: "endpoint_disabled" })],
    });
  });

  it("an award reaches an endpoint through the relay, due on the relay's clock", async () => {
    const game = await gameTenant(open);
    const wins = await game.rule("One win", "wins", "gte", 1, 100);
    await game.achievement({ key: "first_win", name: "First win", ruleIds: [wins], points: 10 });
    await open.settle(game.organization.id);
    const path = `/awards-${game.organization.id}`;
    await open.ok(CREATE, { url: receiver.url(path), eventTypes: ["achievement.earned"] }, game.admin.token);
    await game.event("match_won", { key: "w1" });
    const { relay, dispatcher } = open.server.services.outbox;
    await relay.drain();
    expect(await dispatcher.drain()).toBe(1);
    const [got] = receiver.received.filter((r) => r.path === path);
    const body = JSON.parse(got!.body);
    expect(body).toMatchObject({
      type: "achievement.earned",
      organizationId: game.organization.id,
      data: { userId: game.player.id, achievement: { key: "first_win", points: 10 } },
    });
    expect(got!.id).toBe(body.id);
    expect(got!.headers["webhook-timestamp"]).toBe(String(Math.floor(open.clock.now().getTime() / 1000)));
  });
});
