import { type DatabaseHandle, schema } from "@laurel/db";
import { and, eq } from "drizzle-orm";
import type { ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runJobOnce } from "../src/jobs/scheduler.js";
import { MAIL_RETRY } from "../src/outbox/mailer.js";
import { gameTenant, signInPlayer } from "./support/engine.js";
import { makeUser } from "./support/factories.js";
import { type Mailbox, startMailbox } from "./support/mailbox.js";
import { openTestDatabase, startTestServer, type TestApi } from "./support/server.js";
import { volunteerTenant } from "./support/volunteer.js";

/**
 * People's emails (issue 17, item 7): an award and a Wrapped ready, mailed through the sign-in codes'
 * transport to a real SMTP server in this process, in the person's or organization's language, where the
 * organization turned them on and the person has not opted out; the opt-out link; retries.
 * A database of the file's own: no other file's relay hands on (and dates) these rows.
 */
const PUBLIC_URL = "https://laurel.test";
let mailbox: Mailbox;
let database: DatabaseHandle;
let api: TestApi;
beforeAll(async () => {
  mailbox = await startMailbox();
  database = await openTestDatabase({ own: true });
  api = await startTestServer({
    database,
    env: {
      LAUREL_SMTP_URL: mailbox.url,
      LAUREL_MAIL_FROM: "Laurel <no-reply@laurel.test>",
      LAUREL_PUBLIC_URL: PUBLIC_URL,
      LAUREL_DEV_LOGIN_CODE: "12345",
    },
  });
});
afterAll(async () => {
  await api.close();
  await database.close();
  await mailbox.close();
});

const { emailDeliveries, users } = schema;

/** The relay hands committed outbox rows on, then the mailer sends what is due. */
async function deliver(): Promise<number> {
  await api.server.services.outbox.relay.drain();
  return api.server.services.outbox.mailer.drain();
}

const mailsTo = (email: string) =>
  mailbox.messages.filter((m) =>
    (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).some((a) =>
      a.value.some((v) => v.address?.toLowerCase() === email.toLowerCase()),
    ),
  );

const deliveriesOf = (organizationId: string) =>
  api.database.db.select().from(emailDeliveries).where(eq(emailDeliveries.organizationId, organizationId));

const ORG_SETTINGS = `mutation($id: ID!, $awards: Boolean, $summaries: Boolean) {
  updateOrganization(id: $id, emailAwards: $awards, emailSummaries: $summaries) { id emailAwards emailSummaries } }`;

/** A game tenant in a language, with award emails on or off, and "First win" (10 points, 2 × XP Boost). */
async function arena(locale: string, emailAwards: boolean) {
  const game = await gameTenant(api, { locale, name: `Arena ${locale}` });
  const settings = await api.ok(
    ORG_SETTINGS,
    { id: game.organization.id, awards: emailAwards },
    game.admin.token,
  );
  expect(settings.updateOrganization).toMatchObject({ emailAwards, emailSummaries: false });
  const wins = await game.rule("One win", "wins", "gte", 1, 100);
  const boost = await api.ok(
    `mutation { createConsumable(name: "XP Boost", type: exp, value: 50) { id } }`,
    {},
    game.admin.token,
  );
  const made = await game.achievement({
    key: "first_win",
    name: "Første seier",
    ruleIds: [wins],
    points: 10,
    rewards: [{ consumableId: boost.createConsumable.id, quantity: 2 }],
  });
  expect(made.errors).toBeUndefined();
  await api.settle(game.organization.id);
  return game;
}

const optOutPath = (mail: ParsedMail) => {
  const url = new RegExp(`${PUBLIC_URL}(/email/opt-out\\?token=\\S+)`).exec(mail.text ?? "")?.[1];
  if (!url) throw new Error(`No opt-out link in: ${mail.text}`);
  return url;
};

describe("an award", () => {
  it("is emailed to the person once, in their organization's language, with its points, rewards and an opt-out link", async () => {
    const game = await arena("nb", true);
    expect((await game.event("match_won", { key: "w1" })).errors).toBeUndefined();
    expect(await deliver()).toBe(1);
    const mail = await mailbox.next(game.player.email);
    expect(mail.subject).toBe("Du har fått «Første seier»");
    expect(mail.from?.text).toContain("no-reply@laurel.test");
    expect(mail.text).toContain(`Hei ${game.player.displayName},`);
    expect(mail.text).toContain("Du har fått merket «Første seier» i Arena nb.");
    expect(mail.text).toContain("Poeng: +10");
    expect(mail.text).toContain("2 × XP Boost");
    expect(mail.text).toContain(`${PUBLIC_URL}/player/`);
    // One-click unsubscribe in mail clients (RFC 8058), to the same link.
    const header = (key: string) =>
      mail.headerLines.find((h) => h.key === key)?.line.replace(/\r?\n\s+/g, " ");
    expect(header("list-unsubscribe")).toBe(`List-Unsubscribe: <${PUBLIC_URL}${optOutPath(mail)}>`);
    expect(header("list-unsubscribe-post")).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    const [row] = await deliveriesOf(game.organization.id);
    expect(row).toMatchObject({ status: "delivered", attempts: 1, userId: game.player.id, lastError: null });
    expect(row!.sentAt).toEqual(api.clock.now());

    // Once: relaying and sending again, or replaying the event, mails nothing more.
    await game.event("match_won", { key: "w1" });
    expect(await deliver()).toBe(0);
    expect(mailsTo(game.player.email)).toHaveLength(1);
    expect(await deliveriesOf(game.organization.id)).toHaveLength(1);
  });

  it("is in English for an English organization, and in the person's own language when they chose one", async () => {
    const game = await arena("en", true);
    await game.event("match_won", { key: "w1" });
    await deliver();
    const english = await mailbox.next(game.player.email);
    expect(english.subject).toBe('You earned "Første seier"');
    expect(english.text).toContain("Points: +10");

    const norwegian = await makeUser(api.database.db, {
      organizationId: game.organization.id,
      role: "player",
    });
    await api.database.db.update(users).set({ locale: "nb" }).where(eq(users.id, norwegian.id));
    await game.event("match_won", { key: "w2", userId: norwegian.id });
    await deliver();
    expect((await mailbox.next(norwegian.email)).subject).toBe("Du har fått «Første seier»");
  });

  it("is not emailed when the organization has award emails off", async () => {
    const game = await arena("nb", false);
    await game.event("match_won", { key: "w1" });
    await deliver();
    expect(await deliveriesOf(game.organization.id)).toEqual([]);
    expect(mailsTo(game.player.email)).toEqual([]);
  });

  it("is not emailed to a person who opted out in the app, nor when they opt out after it was queued", async () => {
    const game = await arena("nb", true);
    const token = await signInPlayer(api, game.player.email);
    const PREFERENCE = `mutation($o: Boolean!) { updateMyEmailPreferences(emailOptOut: $o) { id emailOptOut } }`;
    expect((await api.ok(PREFERENCE, { o: true }, token)).updateMyEmailPreferences).toEqual({
      id: game.player.id,
      emailOptOut: true,
    });
    await game.event("match_won", { key: "w1" });
    await deliver();
    expect(await deliveriesOf(game.organization.id)).toEqual([]);

    // Queued while they still took emails, then they opted out: checked again before sending.
    const other = await makeUser(api.database.db, { organizationId: game.organization.id, role: "player" });
    await game.event("match_won", { key: "w2", userId: other.id });
    await api.server.services.outbox.relay.drain();
    await api.database.db.update(users).set({ emailOptOut: true }).where(eq(users.id, other.id));
    expect(await api.server.services.outbox.mailer.drain()).toBe(1);
    const [row] = await deliveriesOf(game.organization.id);
    expect(row).toMatchObject({
      userId: other.id,
      status: "failed",
      lastError: "not sent: the person opted out",
    });
    expect(mailsTo(game.player.email)).toEqual([]);
    expect(mailsTo(other.email)).toEqual([]);
  });

  it("is retried when the mail server fails, later each time, and marked failed after the last attempt", async () => {
    const game = await arena("en", true);
    mailbox.refuse(1);
    await game.event("match_won", { key: "w1" });
    const start = api.clock.now().getTime();
    expect(await deliver()).toBe(1);
    let [row] = await deliveriesOf(game.organization.id);
    expect(row).toMatchObject({ status: "pending", attempts: 1, sentAt: null });
    expect(row!.lastError).toMatch(/451/);
    const wait = row!.nextAttemptAt.getTime() - start;
    expect(wait).toBeGreaterThanOrEqual(MAIL_RETRY.firstDelayMs);
    expect(wait).toBeLessThanOrEqual(MAIL_RETRY.firstDelayMs * 1.1);
    // Not before it is due.
    expect(await api.server.services.outbox.mailer.drain()).toBe(0);
    api.clock.advance(wait);
    expect(await api.server.services.outbox.mailer.drain()).toBe(1);
    expect((await mailbox.next(game.player.email)).subject).toBe('You earned "Første seier"');
    [row] = await deliveriesOf(game.organization.id);
    expect(row).toMatchObject({ status: "delivered", attempts: 2 });

    // A server that never takes it: every attempt, each further apart, then failed for good.
    const other = await makeUser(api.database.db, { organizationId: game.organization.id, role: "player" });
    mailbox.refuse(MAIL_RETRY.maxAttempts);
    await game.event("match_won", { key: "w2", userId: other.id });
    await api.server.services.outbox.relay.drain();
    const waits: number[] = [];
    for (let attempt = 1; attempt <= MAIL_RETRY.maxAttempts; attempt++) {
      expect(await api.server.services.outbox.mailer.drain()).toBe(1);
      const [mine] = (await deliveriesOf(game.organization.id)).filter((d) => d.userId === other.id);
      expect(mine!.attempts).toBe(attempt);
      if (attempt < MAIL_RETRY.maxAttempts) {
        expect(mine!.status).toBe("pending");
        waits.push(mine!.nextAttemptAt.getTime() - api.clock.now().getTime());
        api.clock.advance(waits.at(-1)!);
      } else expect(mine).toMatchObject({ status: "failed", sentAt: null });
    }
    expect(waits[1]! / waits[0]!).toBeGreaterThan(1.5);
    expect(Math.max(...waits)).toBeLessThanOrEqual(MAIL_RETRY.maxDelayMs * 1.1);
    expect(mailsTo(other.email)).toEqual([]);
    api.clock.set("2026-06-15T12:00:00Z");
  });

  it("reaches the person without a hand on the relay or the mailer once both run", async () => {
    const game = await arena("en", true);
    const { relay, mailer } = api.server.services.outbox;
    await relay.start();
    mailer.start();
    try {
      await game.event("match_won", { key: "w1" });
      expect((await mailbox.next(game.player.email)).subject).toBe('You earned "Første seier"');
    } finally {
      await relay.stop();
      await mailer.stop();
    }
  });
});

describe("the opt-out link", () => {
  it("turns the person's emails off and says so in their language; a forged token is refused and changes nothing", async () => {
    const game = await arena("nb", true);
    const other = await makeUser(api.database.db, { organizationId: game.organization.id, role: "player" });
    await game.event("match_won", { key: "w1" });
    await deliver();
    const path = optOutPath(await mailbox.next(game.player.email));
    const token = new URL(path, PUBLIC_URL).searchParams.get("token")!;
    const optedOut = async (id: string) =>
      (await api.database.db.select().from(users).where(eq(users.id, id)))[0]!.emailOptOut;

    // Forged: a made-up signature, another person's id under this signature, no token at all.
    const [, mac] = token.split(".");
    for (const forged of [
      `${game.player.id}.${"A".repeat(mac!.length)}`,
      `${other.id}.${mac}`,
      "",
      "nonsense",
    ]) {
      const refused = await fetch(`${api.url}/email/opt-out?token=${encodeURIComponent(forged)}`, {
        headers: { "accept-language": "en-GB,en;q=0.8" },
      });
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain("This link is not valid");
    }
    const norwegian = await fetch(`${api.url}/email/opt-out?token=x`, {
      headers: { "accept-language": "nb-NO,nb;q=0.9" },
    });
    expect(await norwegian.text()).toContain("Ugyldig lenke");
    expect(await optedOut(game.player.id)).toBe(false);
    expect(await optedOut(other.id)).toBe(false);

    const page = await fetch(`${api.url}${path}`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain("E-poster slått av");
    expect(html).toContain("Arena nb");
    expect(await optedOut(game.player.id)).toBe(true);
    expect(await optedOut(other.id)).toBe(false);

    // No more award emails for them; the others still get theirs.
    const second = await game.achievement({
      key: "first_win_again",
      name: "Again",
      ruleIds: [await game.rule("Two", "wins", "gte", 2, 100)],
    });
    expect(second.errors).toBeUndefined();
    await api.settle(game.organization.id);
    await game.event("match_won", { key: "w2" });
    await game.event("match_won", { key: "o1", userId: other.id });
    await deliver();
    expect(mailsTo(game.player.email)).toHaveLength(1);
    expect((await mailbox.next(other.email)).subject).toBe("Du har fått «Første seier»");

    // Mail clients' one-click unsubscribe (RFC 8058) posts to the same link.
    const otherToken = api.server.services.outbox.links.token(other.id);
    const oneClick = await fetch(`${api.url}/email/opt-out?token=${encodeURIComponent(otherToken)}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(oneClick.status).toBe(200);
    expect(await optedOut(other.id)).toBe(true);
  });
});

describe("a Wrapped ready", () => {
  it("is emailed with a link to the player app's Wrapped of that year when the organization sends them", async () => {
    const org = await volunteerTenant(api);
    await api.ok(ORG_SETTINGS, { id: org.organization.id, summaries: true }, org.admin.token);
    await api.database.db.update(users).set({ locale: "nb" }).where(eq(users.id, org.mentor.id));
    const silent = await makeUser(api.database.db, {
      organizationId: org.organization.id,
      role: "peer_mentor",
    });
    await api.database.db.update(users).set({ emailOptOut: true }).where(eq(users.id, silent.id));
    await org.log({ at: "2025-03-03T09:00:00Z", minutes: 90 });
    await runJobOnce({
      db: api.database.db,
      clock: api.clock,
      logger: api.server.services.logger,
      leaseMs: 60_000,
    });
    await deliver();
    const mail = await mailbox.next(org.mentor.email);
    expect(mail.subject).toBe("Din Wrapped for 2025 er klar");
    expect(mail.text).toContain(`${PUBLIC_URL}/player/wrapped?year=2025`);
    expect(mail.text).toContain(org.organization.name);
    // Awards of this tenant are not emailed (that setting is off), nor is anyone who opted out.
    const deliveries = await deliveriesOf(org.organization.id);
    expect(deliveries).toHaveLength(1);
    expect(mailsTo(silent.email)).toEqual([]);
    const summaries = await api.database.db
      .select()
      .from(schema.annualSummaries)
      .where(
        and(
          eq(schema.annualSummaries.organizationId, org.organization.id),
          eq(schema.annualSummaries.year, 2025),
        ),
      );
    expect(summaries.map((s) => s.generationStatus)).toEqual(["ready", "ready"]);
  });
});
