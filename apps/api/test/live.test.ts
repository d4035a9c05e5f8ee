import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gameTenant, signInPlayer } from "./support/engine.js";
import { actor, makeUser } from "./support/factories.js";
import { connectLive, type Live } from "./support/live.js";
import { startTestServer, type TestApi } from "./support/server.js";

/**
 * Live events: GraphQL subscriptions over a real WebSocket (graphql-ws on /graphql), fed by the relay of
 * committed outbox rows through this process's hub.
 */
let api: TestApi;
const open: Live[] = [];
beforeAll(async () => {
  api = await startTestServer({ env: { LAUREL_DEV_LOGIN_CODE: "12345" }, own: true });
  await api.server.services.outbox.relay.start();
});
afterAll(async () => {
  await Promise.all(open.map((live) => live.dispose()));
  await api.close();
});

function connect(auth: Parameters<typeof connectLive>[1], on: TestApi = api) {
  const live = connectLive(on.url, auth);
  open.push(live);
  return live;
}

/** Until the hub has `n` more subscribers than `before`: the subscription is in place on the server. */
async function subscribed(before: number, n = 1) {
  const { hub } = api.server.services.outbox;
  for (let waited = 0; hub.size < before + n; waited += 10) {
    if (waited > 5_000) throw new Error(`The hub has ${hub.size} subscribers, not ${before + n}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const EVENT_FIELDS = `id type organizationId userId occurredAt data
  earned { achievement { id key name points hidden } periodKey userAchievementId }`;
const MY_EVENTS = `subscription($types: [String!]) { myEvents(types: $types) { ${EVENT_FIELDS}
  award { id pointsAwarded completed achievement { key name } rewards { name quantity } }
  notification { id title } } }`;
const ORG_EVENTS = `subscription($types: [String!], $organizationId: ID) {
  organizationEvents(types: $types, organizationId: $organizationId) { ${EVENT_FIELDS} } }`;

/** A game tenant with "First win" (one win, 10 points, a reward), hidden "Secret double" (two wins), a second player. */
async function arena() {
  const game = await gameTenant(api);
  const oneWin = await game.rule("One win", "wins", "gte", 1, 100);
  const twoWins = await game.rule("Two wins", "wins", "gte", 2, 100);
  const boost = await api.ok(
    `mutation { createConsumable(name: "Boost", type: boost, value: 1) { id } }`,
    {},
    game.admin.token,
  );
  await game.achievement({
    key: "first_win",
    name: "First win",
    ruleIds: [oneWin],
    points: 10,
    rewards: [{ consumableId: boost.createConsumable.id, quantity: 2 }],
  });
  await game.achievement({ key: "secret_double", name: "Secret double", ruleIds: [twoWins], isHidden: true });
  await api.settle(game.organization.id);
  const rival = await makeUser(api.database.db, {
    organizationId: game.organization.id,
    role: "player",
    password: false,
  });
  return { ...game, rival, token: await signInPlayer(api, game.player.email) };
}

describe("myEvents", () => {
  it("brings the player's own award with its award and notification, not another player's, not another tenant's", async () => {
    const game = await arena();
    const stranger = await arena();
    const { hub } = api.server.services.outbox;
    const live = connect(game.token);
    await live.connected;
    const before = hub.size;
    const feed = live.subscribe(MY_EVENTS);
    await subscribed(before);

    // Another player of the same tenant, and a player of another tenant, win first; then the player.
    expect((await game.event("match_won", { userId: game.rival.id })).errors).toBeUndefined();
    expect((await stranger.event("match_won")).errors).toBeUndefined();
    const mine = await game.event("match_won", { key: "mine" });
    expect(mine.errors).toBeUndefined();

    const { myEvents: earned } = await feed.until((d) => d.myEvents.type === "achievement.earned");
    expect(earned).toMatchObject({
      organizationId: game.organization.id,
      userId: game.player.id,
      earned: {
        achievement: { key: "first_win", name: "First win", points: 10, hidden: false },
        periodKey: "all",
      },
      award: {
        pointsAwarded: 10,
        completed: true,
        achievement: { key: "first_win", name: "First win" },
        rewards: [{ name: "Boost", quantity: 2 }],
      },
      notification: { title: expect.any(String) },
    });
    expect(earned.data).toMatchObject({ triggeringEventId: mine.data.recordEvent.event.id });
    const { myEvents: reward } = await feed.until((d) => d.myEvents.type === "reward.granted");
    expect(reward.data).toMatchObject({ userId: game.player.id, quantity: 2 });
    // The events before the player's own (other people's) came first through the hub: none reached here.
    expect(feed.received.length).toBeGreaterThan(0);
    for (const message of feed.received) {
      expect(message.errors).toBeUndefined();
      expect(message.data.myEvents).toMatchObject({
        userId: game.player.id,
        organizationId: game.organization.id,
      });
    }

    // Stopping it lets go of its place in the hub.
    feed.stop();
    for (let waited = 0; hub.size > before; waited += 10) {
      if (waited > 5_000) throw new Error("The subscription kept its listener");
      await new Promise((r) => setTimeout(r, 10));
    }
  });

  it("leaves out progress on a hidden badge not yet earned, and tells the player when they earn it", async () => {
    const game = await arena();
    const { hub } = api.server.services.outbox;
    const live = connect(game.token);
    const admin = connect(game.admin.token);
    await Promise.all([live.connected, admin.connected]);
    const before = hub.size;
    const progress = live.subscribe(MY_EVENTS, { types: ["progress.changed"] });
    const earned = live.subscribe(MY_EVENTS, { types: ["achievement.earned"] });
    // The admin sees the whole event: it does name the hidden badge.
    const whole = admin.subscribe(ORG_EVENTS, { types: ["progress.changed"] });
    await subscribed(before, 3);
    type Change = { hidden: boolean; completed: boolean; progress: number };

    // One win: "First win" is done, the hidden "Secret double" half way: left out for the player.
    await game.event("match_won", { key: "w1" });
    const told = (await whole.next()).organizationEvents.data.changes as Change[];
    expect(told).toContainEqual(expect.objectContaining({ hidden: true, completed: false, progress: 50 }));
    const first = (await progress.next()).myEvents.data.changes as Change[];
    expect(first).toContainEqual(expect.objectContaining({ hidden: false, completed: true, progress: 100 }));
    expect(first.filter((c) => c.hidden)).toEqual([]);

    // Two wins: the hidden badge is earned, so the player sees it, in the progress and as an award.
    await game.event("match_won", { key: "w2" });
    const second = (await progress.next()).myEvents.data.changes as Change[];
    expect(second).toContainEqual(expect.objectContaining({ hidden: true, completed: true, progress: 100 }));
    const awards = [(await earned.next()).myEvents, (await earned.next()).myEvents];
    expect(awards.map((a) => a.earned.achievement.key)).toEqual(["first_win", "secret_double"]);
    expect(awards[1]).toMatchObject({ earned: { achievement: { name: "Secret double", hidden: true } } });
  });

  it("needs a signed-in user: an API key is refused", async () => {
    const game = await arena();
    const live = connect(game.backend);
    await live.connected;
    const errors = await live.subscribe(MY_EVENTS).failed();
    expect(errors[0]).toMatchObject({ extensions: { code: "FORBIDDEN" } });
    expect(errors[0]!.message).toMatch(/signed-in user/);
  });
});

describe("organizationEvents", () => {
  it("needs read:events: admins and keys holding it follow their tenant; a key without it, players and coordinators are refused", async () => {
    const game = await arena();
    const { hub } = api.server.services.outbox;
    const readKey = await api.ok(
      `mutation { createApiKey(name: "events", permissions: ["read:events"]) { secret } }`,
      {},
      game.admin.token,
    );
    const coordinator = await game.as("coordinator");
    for (const auth of [game.backend, coordinator.token, game.token]) {
      const live = connect(auth);
      await live.connected;
      const errors = await live.subscribe(ORG_EVENTS).failed();
      expect(errors[0]).toMatchObject({
        message: "This needs the permission read:events",
        extensions: { code: "FORBIDDEN" },
      });
    }

    const admin = connect(game.admin.token);
    const key = connect({ apiKey: readKey.createApiKey.secret });
    await Promise.all([admin.connected, key.connected]);
    const before = hub.size;
    const adminFeed = admin.subscribe(ORG_EVENTS, { types: ["achievement.earned"] });
    const keyFeed = key.subscribe(ORG_EVENTS, { types: ["achievement.earned"] });
    await subscribed(before, 2);
    // The rival wins twice: "First win", then hidden "Secret double".
    await game.event("match_won", { userId: game.rival.id, key: "r1" });
    await game.event("match_won", { userId: game.rival.id, key: "r2" });
    const seenByAdmin = [
      (await adminFeed.next()).organizationEvents,
      (await adminFeed.next()).organizationEvents,
    ];
    expect(seenByAdmin.map((e) => [e.userId, e.earned.achievement.key])).toEqual([
      [game.rival.id, "first_win"],
      [game.rival.id, "secret_double"],
    ]);
    // An API key is no one: it never sees a hidden achievement. A third award shows what it skipped.
    await game.event("match_won", { key: "p1" });
    const seenByKey = [(await keyFeed.next()).organizationEvents, (await keyFeed.next()).organizationEvents];
    expect(seenByKey.map((e) => [e.userId, e.earned.achievement.key])).toEqual([
      [game.rival.id, "first_win"],
      [game.player.id, "first_win"],
    ]);
  });

  it("stays in the viewer's tenant; a Global Administrator names one; types are checked", async () => {
    const game = await arena();
    const other = await arena();
    const live = connect(game.admin.token);
    await live.connected;
    const foreign = await live.subscribe(ORG_EVENTS, { organizationId: other.organization.id }).failed();
    expect(foreign[0]).toMatchObject({ extensions: { code: "FORBIDDEN" } });
    const unknown = await live
      .subscribe(ORG_EVENTS, { types: ["achievement.earned", "everything"] })
      .failed();
    expect(unknown[0]).toMatchObject({
      extensions: {
        code: "BAD_USER_INPUT",
        issues: [expect.objectContaining({ field: "types.1", rule: "event_type" })],
      },
    });

    const global = await actor(api, null, "global_admin");
    const platform = connect(global.token);
    await platform.connected;
    const unnamed = await platform.subscribe(ORG_EVENTS).failed();
    expect(unnamed[0]).toMatchObject({
      extensions: { code: "BAD_USER_INPUT", issues: [expect.objectContaining({ field: "organizationId" })] },
    });
    const { hub } = api.server.services.outbox;
    const before = hub.size;
    const named = platform.subscribe(ORG_EVENTS, {
      organizationId: other.organization.id,
      types: ["achievement.earned"],
    });
    await subscribed(before);
    await game.event("match_won", { key: "g1" });
    await other.event("match_won", { key: "o1" });
    const { organizationEvents } = await named.next();
    expect(organizationEvents).toMatchObject({
      organizationId: other.organization.id,
      userId: other.player.id,
    });
  });
});

describe("the connection", () => {
  it("refuses bad credentials at connection init, with the reason", async () => {
    const game = await arena();
    const refusals = [
      [null, /^Sign in first/],
      ["not-a-token", /^Invalid token: sign in again$/],
      [{ apiKey: "lrl_not-a-key" }, /^Invalid API key$/],
    ] as const;
    for (const [auth, reason] of refusals) {
      const live = connect(auth);
      const closed = await live.closed;
      expect(closed.code).toBe(4401);
      expect(closed.reason).toMatch(reason);
    }
    // The same token over HTTP and WebSocket: accepted on both.
    const live = connect(game.token);
    await live.connected;
  });

  it("takes subscriptions only: queries and mutations go over HTTP, and subscriptions never do", async () => {
    const game = await arena();
    const live = connect(game.token);
    await live.connected;
    const errors = await live.subscribe(`{ me { id } }`).failed();
    expect(errors[0]).toMatchObject({ extensions: { code: "BAD_REQUEST" } });
    expect(errors[0]!.message).toContain("POST /graphql");
    // At most 20 subscriptions at once on one connection.
    const { hub } = api.server.services.outbox;
    const before = hub.size;
    const many = Array.from({ length: 20 }, () => live.subscribe(MY_EVENTS));
    await subscribed(before, 20);
    const over = await live.subscribe(MY_EVENTS).failed();
    expect(over[0]).toMatchObject({ extensions: { code: "BAD_REQUEST" } });
    expect(over[0]!.message).toBe("At most 20 subscriptions at once on one connection");
    for (const feed of many) feed.stop();
    // And a subscription posted over HTTP is refused as a client error, not a crash.
    const posted = await api.gql(`subscription { myEvents { id } }`, {}, game.token);
    expect(posted.errors?.[0]).toMatchObject({ extensions: { code: "BAD_REQUEST" } });
    expect(posted.errors?.[0]!.message).toMatch(/^Subscriptions go over WebSocket/);
  });

  it("is closed when its token expires, or its session ends (sign-out everywhere)", async () => {
    const game = await arena();
    const { hub } = api.server.services.outbox;
    const expiring = connect(game.token);
    await expiring.connected;
    const before = hub.size;
    const feed = expiring.subscribe(MY_EVENTS);
    await subscribed(before);
    const start = api.clock.now();
    try {
      // Still valid a minute before the 12 hours are up: a check leaves it open.
      api.clock.advance(12 * 3600_000 - 60_000);
      await api.server.sockets.recheck();
      await game.event("match_won", { key: "still-open" });
      expect((await feed.until((d) => d.myEvents.type === "achievement.earned")).myEvents.userId).toBe(
        game.player.id,
      );
      api.clock.advance(61_000);
      await api.server.sockets.recheck();
      expect(await expiring.closed).toEqual({
        code: 4401,
        reason: "Your session has expired: sign in again",
      });
      await feed.ended;
    } finally {
      api.clock.set(start);
    }

    const token = await signInPlayer(api, game.player.email);
    const ending = connect(token);
    await ending.connected;
    await api.ok(`mutation { signOutEverywhere }`, {}, token);
    await api.server.sockets.recheck();
    expect(await ending.closed).toEqual({ code: 4401, reason: "This session has ended: sign in again" });
  });

  it("is closed at the token's expiry by itself, without a check from outside", async () => {
    // A server of its own on the same database, with one-second tokens.
    const short = await startTestServer({
      database: api.database,
      env: { LAUREL_DEV_LOGIN_CODE: "12345", LAUREL_TOKEN_TTL: "1s" },
    });
    try {
      const game = await gameTenant(short);
      const token = await signInPlayer(short, game.player.email);
      const live = connect(token, short);
      await live.connected;
      // The injected clock passes the expiry; the connection's own timer (due in a second) sees it.
      short.clock.advance(2_000);
      expect(await live.closed).toEqual({ code: 4401, reason: "Your session has expired: sign in again" });
    } finally {
      await short.close();
    }
  });
});
