import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { gameTenant } from "../../../apps/api/test/support/engine.js";
import { startTestServer, type TestApi } from "../../../apps/api/test/support/server.js";
import { createLaurelClient, type LaurelError, type MyEvent } from "../src/index.js";

// The real API in this process, its outbox relayed: the subscription helper as an app uses it.
let api: TestApi;
beforeAll(async () => {
  api = await startTestServer({ env: { LAUREL_DEV_LOGIN_CODE: "12345" }, own: true });
  await api.server.services.outbox.relay.start();
});
afterAll(() => api.close());

/** A queue of what a handler was given, read in order. */
function inbox<T>() {
  const items: T[] = [];
  let wake: (() => void) | undefined;
  return {
    push(item: T) {
      items.push(item);
      wake?.();
    },
    async next(ms = 5_000): Promise<T> {
      const deadline = Date.now() + ms;
      while (items.length === 0) {
        if (Date.now() > deadline) throw new Error("Nothing arrived");
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 50);
        });
      }
      return items.shift()!;
    },
  };
}

describe("client.subscribe", () => {
  it("myEvents: an award caused by the game server's recordEvent, with the award as logActivity gives it", async () => {
    const game = await gameTenant(api);
    const rule = await game.rule("One win", "wins", "gte", 1, 100);
    await game.achievement({ key: "first_win", name: "First win", ruleIds: [rule], points: 10 });
    await api.settle(game.organization.id);

    const player = createLaurelClient({ url: `${api.url}/graphql`, webSocketImpl: WebSocket });
    const signedIn = await player.signInWithCode(game.player.email, "12345");
    expect(signedIn.ok).toBe(true);
    const events = inbox<MyEvent>();
    const connected = inbox<true>();
    const stop = player.subscribe.myEvents(
      { next: (e) => events.push(e), connected: () => connected.push(true) },
      { types: ["achievement.earned"] },
    );
    try {
      await connected.next();
      // The subscription is in place once the hub has it (the socket's acknowledgement comes before).
      for (let i = 0; api.server.services.outbox.hub.size === 0; i++) {
        if (i > 500) throw new Error("Not subscribed");
        await new Promise((r) => setTimeout(r, 10));
      }
      const server = createLaurelClient({ url: `${api.url}/graphql`, apiKey: game.backend.apiKey });
      const recorded = await server.recordEvent({ userId: game.player.id, type: "match_won" });
      expect(recorded.ok).toBe(true);
      const event = await events.next();
      expect(event).toMatchObject({
        type: "achievement.earned",
        userId: game.player.id,
        earned: { achievement: { key: "first_win", points: 10 }, periodKey: "all" },
        award: { completed: true, pointsAwarded: 10, achievement: { key: "first_win", name: "First win" } },
      });
    } finally {
      stop();
    }
  });

  it("ends with UNAUTHENTICATED when the credentials do not hold", async () => {
    const client = createLaurelClient({
      url: `${api.url}/graphql`,
      token: "expired",
      webSocketImpl: WebSocket,
    });
    const errors = inbox<LaurelError>();
    const stop = client.subscribe.myEvents({ next: () => {}, error: (e) => errors.push(e) });
    try {
      expect(await errors.next()).toMatchObject({
        code: "UNAUTHENTICATED",
        message: "Invalid token: sign in again",
      });
    } finally {
      stop();
    }
  });
});
