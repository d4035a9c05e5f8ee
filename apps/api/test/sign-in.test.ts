import { createHash, randomBytes } from "node:crypto";
import { schema } from "@laurel/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, makeTenant, makeUser, PASSWORD, unique } from "./support/factories.js";
import { SignInCodes } from "../src/modules/auth/sign-in-codes.js";
import { codeIn, type Mailbox, startMailbox } from "./support/mailbox.js";
import { openTestDatabase, startTestServer, type TestApi } from "./support/server.js";

const LOGIN = `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`;
const LOGIN_WITH_CODE = `mutation($email: String!, $code: String!) {
  loginWithCode(email: $email, code: $code) { token user { id } }
}`;
const REQUEST_CODE = `mutation($email: String!) { requestSignInCode(email: $email) }`;

let mailbox: Mailbox;
/** Behind a trusted proxy on loopback, mailing codes by SMTP. */
let api: TestApi;
/** The same database, trusting no proxy. */
let direct: TestApi;

const MAIL = (url: string) => ({ LAUREL_SMTP_URL: url, LAUREL_MAIL_FROM: "Laurel <no-reply@laurel.test>" });

beforeAll(async () => {
  mailbox = await startMailbox();
  api = await startTestServer({ env: { LAUREL_TRUST_PROXY: "loopback", ...MAIL(mailbox.url) } });
  direct = await startTestServer({
    database: api.database,
    env: { LAUREL_TRUST_PROXY: "false", ...MAIL(mailbox.url) },
  });
});
afterAll(async () => {
  await direct.close();
  await api.close();
  await mailbox.close();
});

/** A client network of its own (a /64 of the IPv6 documentation range), as a trusted proxy reports it. */
function client(): Record<string, string> {
  return {
    "x-forwarded-for": `2001:db8:${randomBytes(2).toString("hex")}:${randomBytes(2).toString("hex")}::1`,
  };
}

const noLog = { debug() {}, info() {}, warn() {}, error() {} };

const codeOf = (r: { errors?: { extensions?: Record<string, any> }[] }) => r.errors?.[0]?.extensions?.code;

function tally(results: { errors?: { extensions?: Record<string, any> }[]; data?: unknown }[]) {
  const counts: Record<string, number> = {};
  for (const r of results) {
    const key = codeOf(r) ?? "OK";
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

async function participant(organizationId: string, values: { locale?: string } = {}) {
  const user = await makeUser(api.database.db, { organizationId, role: "player", password: false });
  if (values.locale) {
    await api.database.db
      .update(schema.users)
      .set({ locale: values.locale })
      .where(eq(schema.users.id, user.id));
  }
  return user;
}

async function codeRows(userId: string) {
  return api.database.db.select().from(schema.signInCodes).where(eq(schema.signInCodes.userId, userId));
}

describe("the throttle counts before it checks (item 1)", () => {
  it("checks at most the limit of 40 simultaneous wrong passwords", async () => {
    const tenant = await makeTenant(api);
    const from = client();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        api.gql(LOGIN, { email: tenant.admin.user.email, password: `wrong ${i}` }, undefined, from),
      ),
    );
    const counts = tally(results);
    // Each UNAUTHENTICATED answer is a password that was checked; the rest were refused before argon2.
    expect(counts.UNAUTHENTICATED).toBeGreaterThan(0);
    expect(counts.UNAUTHENTICATED).toBeLessThanOrEqual(api.env.signIn.maxFailures);
    expect(counts.TOO_MANY_ATTEMPTS).toBe(40 - counts.UNAUTHENTICATED!);
  });

  it("compares at most five of 100 simultaneous guesses of a code", async () => {
    // A throttle wide enough to let every guess through to the code's own counter, the one under test.
    const wide = await startTestServer({
      database: api.database,
      env: { LAUREL_SIGN_IN_MAX_FAILURES: "200", LAUREL_TRUST_PROXY: "loopback", ...MAIL(mailbox.url) },
    });
    const org = await makeOrganization(api.database.db);
    const player = await participant(org.id);
    await wide.ok(REQUEST_CODE, { email: player.email });
    const code = codeIn(await mailbox.next(player.email));
    const wrong = code === "000000" ? "000001" : "000000";
    const results = await Promise.all(
      Array.from({ length: 100 }, () =>
        wide.gql(LOGIN_WITH_CODE, { email: player.email, code: wrong }, undefined, client()),
      ),
    );
    await wide.close();
    expect(tally(results)).toEqual({ UNAUTHENTICATED: 100 });
    // The counter is moved on before each comparison, in the statement that checks the limit.
    const [row] = await codeRows(player.id);
    expect(row!.attempts).toBe(5);
    // The code is spent: even the right one is refused now.
    api.clock.advance(60_000);
    const right = await api.gql(LOGIN_WITH_CODE, { email: player.email, code }, undefined, client());
    expect(codeOf(right)).toBe("UNAUTHENTICATED");
  });

  it("makes at most three codes of 60 simultaneous requests for one email", async () => {
    const org = await makeOrganization(api.database.db);
    const player = await participant(org.id);
    const from = client();
    const results = await Promise.all(
      Array.from({ length: 60 }, () => api.gql(REQUEST_CODE, { email: player.email }, undefined, from)),
    );
    expect(tally(results)).toEqual({ OK: 3, TOO_MANY_ATTEMPTS: 57 });
    expect(await codeRows(player.id)).toHaveLength(3);
    // An unknown email is refused alike: the limit tells nobody which emails exist.
    const ghost = `${unique("ghost-")}@example.test`;
    const ghosts = await Promise.all(
      Array.from({ length: 6 }, () => api.gql(REQUEST_CODE, { email: ghost }, undefined, client())),
    );
    expect(tally(ghosts)).toEqual({ OK: 3, TOO_MANY_ATTEMPTS: 3 });
  });

  it("limits code requests from one address over many emails", async () => {
    const from = client();
    const results = [];
    for (let i = 0; i < 31; i++) {
      results.push(
        await api.gql(REQUEST_CODE, { email: `${unique("many-")}@example.test` }, undefined, from),
      );
    }
    expect(tally(results)).toEqual({ OK: 30, TOO_MANY_ATTEMPTS: 1 });
    expect(
      (await api.gql(REQUEST_CODE, { email: `${unique("x-")}@example.test` }, undefined, client())).data,
    ).toEqual({
      requestSignInCode: true,
    });
  });
});

describe("nobody can lock a real user out (item 2)", () => {
  it("lets the real user in from their address while an attacker fails at another", async () => {
    const tenant = await makeTenant(api);
    const email = tenant.admin.user.email;
    const attacker = client();
    const attempts = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        api.gql(LOGIN, { email, password: `guess ${i}` }, undefined, attacker),
      ),
    );
    expect(tally(attempts).TOO_MANY_ATTEMPTS).toBeGreaterThan(0);
    const real = await api.gql(LOGIN, { email, password: PASSWORD }, undefined, client());
    expect(real.errors).toBeUndefined();
    expect(real.data.login.token).toEqual(expect.any(String));
  });

  it("grows the delay for one account from one address, and says when to retry", async () => {
    const tenant = await makeTenant(api);
    const email = tenant.admin.user.email;
    const from = client();
    for (let i = 0; i < api.env.signIn.maxFailures; i++) {
      expect(codeOf(await api.gql(LOGIN, { email, password: `no ${i}` }, undefined, from))).toBe(
        "UNAUTHENTICATED",
      );
    }
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await fetch(`${api.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", ...from },
        body: JSON.stringify({ query: LOGIN, variables: { email, password: PASSWORD } }),
      });
      const body = (await response.json()) as { errors: { extensions: Record<string, any> }[] };
      expect(body.errors[0]!.extensions.code).toBe("TOO_MANY_ATTEMPTS");
      const seconds = body.errors[0]!.extensions.retryAfterSeconds as number;
      expect(response.headers.get("retry-after")).toBe(String(seconds));
      waits.push(seconds);
      api.clock.advance(seconds * 1000);
      expect(codeOf(await api.gql(LOGIN, { email, password: `late ${i}` }, undefined, from))).toBe(
        "UNAUTHENTICATED",
      );
    }
    expect(waits).toEqual([1, 2, 4, 8]);
    // Once the delay has run out, the right password works and the counters start over.
    api.clock.advance(16_000);
    expect((await api.gql(LOGIN, { email, password: PASSWORD }, undefined, from)).errors).toBeUndefined();
    expect(codeOf(await api.gql(LOGIN, { email, password: "one more" }, undefined, from))).toBe(
      "UNAUTHENTICATED",
    );
  });

  it("slows an account down under attack from many addresses, never for more than a minute", async () => {
    const tenant = await makeTenant(api);
    const email = tenant.admin.user.email;
    const free = api.server.services.throttle.rules.account.free;
    const first = await Promise.all(
      Array.from({ length: free }, (_, i) =>
        api.gql(LOGIN, { email, password: `spray ${i}` }, undefined, client()),
      ),
    );
    expect(tally(first)).toEqual({ UNAUTHENTICATED: free });
    const waits: number[] = [];
    while (waits.filter((w) => w === 60).length < 2) {
      const result = await api.gql(LOGIN, { email, password: PASSWORD }, undefined, client());
      expect(codeOf(result)).toBe("TOO_MANY_ATTEMPTS");
      const seconds = result.errors![0]!.extensions!.retryAfterSeconds as number;
      waits.push(seconds);
      api.clock.advance(seconds * 1000);
      expect(codeOf(await api.gql(LOGIN, { email, password: "spray" }, undefined, client()))).toBe(
        "UNAUTHENTICATED",
      );
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 60, 60]);
    // The real user, told to wait at most a minute, gets in when they come back.
    const refused = await api.gql(LOGIN, { email, password: PASSWORD }, undefined, client());
    const seconds = refused.errors![0]!.extensions!.retryAfterSeconds as number;
    expect(seconds).toBeLessThanOrEqual(60);
    api.clock.advance(seconds * 1000);
    expect((await api.gql(LOGIN, { email, password: PASSWORD }, undefined, client())).errors).toBeUndefined();
  });

  it("lets the owner in from an address they signed in from before, while the account is sprayed from elsewhere", async () => {
    const tenant = await makeTenant(api);
    const email = tenant.admin.user.email;
    const home = client();
    expect((await api.gql(LOGIN, { email, password: PASSWORD }, undefined, home)).errors).toBeUndefined();
    const free = api.server.services.throttle.rules.account.free;
    const spray = await Promise.all(
      Array.from({ length: free + 5 }, (_, i) =>
        api.gql(LOGIN, { email, password: `spray ${i}` }, undefined, client()),
      ),
    );
    // The account's own counter is spent: a newcomer to the account waits ...
    expect(tally(spray).TOO_MANY_ATTEMPTS).toBeGreaterThan(0);
    expect(codeOf(await api.gql(LOGIN, { email, password: PASSWORD }, undefined, client()))).toBe(
      "TOO_MANY_ATTEMPTS",
    );
    // ... the owner, at home, does not.
    const owner = await api.gql(LOGIN, { email, password: PASSWORD }, undefined, home);
    expect(owner.errors).toBeUndefined();
  });

  it("drains an address's count over time: a steady trickle of failures behind one address never locks it", async () => {
    const tenant = await makeTenant(api);
    const school = client();
    const free = api.server.services.throttle.rules.address.free;
    const burst = await Promise.all(
      Array.from({ length: free }, () =>
        api.gql(LOGIN, { email: `${unique("typo-")}@example.test`, password: "x" }, undefined, school),
      ),
    );
    expect(tally(burst)).toEqual({ UNAUTHENTICATED: free });
    // Then a typo a minute for half an hour, from someone else at the school each time.
    const answers: string[] = [];
    for (let minute = 0; minute < 30; minute++) {
      api.clock.advance(60_000);
      const typo = await api.gql(
        LOGIN,
        { email: `${unique("typo-")}@example.test`, password: "x" },
        undefined,
        school,
      );
      answers.push(codeOf(typo));
    }
    expect(answers).toEqual(Array(30).fill("UNAUTHENTICATED"));
    // A teacher signing in a minute later is not held back by any of it.
    api.clock.advance(60_000);
    const teacher = await api.gql(
      LOGIN,
      { email: tenant.admin.user.email, password: PASSWORD },
      undefined,
      school,
    );
    expect(teacher.errors).toBeUndefined();
  });

  it("counts an IPv6 client by its /64: a sprayer cannot take fresh addresses from its own network", async () => {
    const tenant = await makeTenant(api);
    const net = `2001:db8:${randomBytes(2).toString("hex")}:${randomBytes(2).toString("hex")}`;
    const free = api.server.services.throttle.rules.address.free;
    const spray = await Promise.all(
      Array.from({ length: free }, (_, i) =>
        api.gql(LOGIN, { email: `${unique("spray-")}@example.test`, password: "x" }, undefined, {
          "x-forwarded-for": `${net}::${(i + 1).toString(16)}`,
        }),
      ),
    );
    expect(tally(spray)).toEqual({ UNAUTHENTICATED: free });
    const sameNetwork = await api.gql(
      LOGIN,
      { email: tenant.admin.user.email, password: PASSWORD },
      undefined,
      {
        "x-forwarded-for": `${net}:ffff:ffff:ffff:fff0`,
      },
    );
    expect(codeOf(sameNetwork)).toBe("TOO_MANY_ATTEMPTS");
    const elsewhere = await api.gql(
      LOGIN,
      { email: tenant.admin.user.email, password: PASSWORD },
      undefined,
      client(),
    );
    expect(elsewhere.errors).toBeUndefined();
  });

  it("keeps the clients behind a trusted proxy apart: 50 failures from one block none of the others", async () => {
    const tenant = await makeTenant(api);
    const sprayer = client();
    const free = api.server.services.throttle.rules.address.free;
    expect(free).toBe(50);
    const failures = await Promise.all(
      Array.from({ length: free }, () =>
        api.gql(LOGIN, { email: `${unique("spray-")}@example.test`, password: "x" }, undefined, sprayer),
      ),
    );
    expect(tally(failures)).toEqual({ UNAUTHENTICATED: free });
    const blocked = await api.gql(
      LOGIN,
      { email: tenant.admin.user.email, password: PASSWORD },
      undefined,
      sprayer,
    );
    expect(codeOf(blocked)).toBe("TOO_MANY_ATTEMPTS");
    const neighbour = await api.gql(
      LOGIN,
      { email: tenant.admin.user.email, password: PASSWORD },
      undefined,
      client(),
    );
    expect(neighbour.errors).toBeUndefined();
  });

  it("ignores X-Forwarded-For when no proxy is trusted", async () => {
    const tenant = await makeTenant(direct);
    const email = tenant.admin.user.email;
    for (let i = 0; i < direct.env.signIn.maxFailures; i++) {
      expect(codeOf(await direct.gql(LOGIN, { email, password: `no ${i}` }, undefined, client()))).toBe(
        "UNAUTHENTICATED",
      );
    }
    // Another forwarded address changes nothing: the server counts the connection's own address.
    expect(codeOf(await direct.gql(LOGIN, { email, password: PASSWORD }, undefined, client()))).toBe(
      "TOO_MANY_ATTEMPTS",
    );
  });
});

describe("sign-in codes reach people (item 3)", () => {
  it("mails the code in the organization's language, and it signs in once", async () => {
    const nb = await makeOrganization(api.database.db, { locale: "nb" });
    const player = await participant(nb.id);
    expect((await api.ok(REQUEST_CODE, { email: player.email }, undefined, client())).requestSignInCode).toBe(
      true,
    );
    const mail = await mailbox.next(player.email);
    expect(mail.subject).toBe("Din innloggingskode");
    expect(mail.text).toContain(nb.name);
    expect(mail.from?.text).toContain("no-reply@laurel.test");
    const code = codeIn(mail);
    // Only an HMAC of the code is kept, under a key derived from the server's secret: not the plain SHA-256
    // of user and code that a reader of the database could reverse in a million tries.
    const [row] = await codeRows(player.id);
    expect(row!.codeHash).toBe(api.server.services.signInCodes.hash(player.email, code));
    expect(row!.codeHash).not.toBe(createHash("sha256").update(`${player.id}:${code}`).digest("hex"));
    expect(
      new SignInCodes(
        { ...api.env, mail: undefined, tokenSecret: "another-secret-0123456789abcdef0123" },
        noLog,
      ).hash(player.email, code),
    ).not.toBe(row!.codeHash);
    const first = await api.ok(LOGIN_WITH_CODE, { email: player.email, code }, undefined, client());
    expect(first.loginWithCode.user.id).toBe(player.id);
    expect(codeOf(await api.gql(LOGIN_WITH_CODE, { email: player.email, code }, undefined, client()))).toBe(
      "UNAUTHENTICATED",
    );
    // A user's own language comes first.
    const english = await participant(nb.id, { locale: "en" });
    await api.ok(REQUEST_CODE, { email: english.email }, undefined, client());
    expect((await mailbox.next(english.email)).subject).toBe("Your sign-in code");
  });

  it("answers before the mail is sent, with the same statements whether or not the email exists", async () => {
    const statements: string[] = [];
    const database = await openTestDatabase({ onQuery: (query) => statements.push(query) });
    const watched = await startTestServer({ database, env: MAIL(mailbox.url) });
    try {
      const org = await makeOrganization(database.db);
      const player = await makeUser(database.db, { organizationId: org.id, role: "player", password: false });
      const run = async (email: string) => {
        statements.length = 0;
        const answer = await watched.gql(REQUEST_CODE, { email }, undefined, client());
        const seen = [...statements];
        return { answer, seen };
      };
      // The mail server holds its answer: were the request to wait for the mail, it would wait here too.
      const release = mailbox.hold();
      const accepted = mailbox.messages.length;
      const known = await run(player.email);
      expect(known.answer.data).toEqual({ requestSignInCode: true });
      expect(mailbox.messages.length).toBe(accepted);
      release();
      expect(codeIn(await mailbox.next(player.email))).toMatch(/^\d{6}$/);

      const unknown = await run(`${unique("nobody-")}@example.test`);
      expect(unknown.answer.data).toEqual({ requestSignInCode: true });
      expect(known.seen.some((s) => /insert into "sign_in_codes"/.test(s))).toBe(true);
      expect(unknown.seen).toEqual(known.seen);
    } finally {
      await watched.close();
      await database.close();
    }
  });

  it("in production without a mail transport: starts, warns, reports it and refuses code requests clearly", async () => {
    const prod = await startTestServer({ database: api.database, env: { NODE_ENV: "production" } });
    try {
      expect(prod.logs.some((l) => /Sign-in codes are not configured/.test(l))).toBe(true);
      const health = (await (await fetch(`${prod.url}/health`)).json()) as Record<string, unknown>;
      expect(health).toMatchObject({ status: "ok", signInCodes: "unavailable" });
      const refused = await prod.gql(REQUEST_CODE, { email: "anyone@example.test" });
      expect(refused.errors![0]).toMatchObject({
        message: expect.stringMatching(/^Sign-in codes are not configured/),
        extensions: { code: "NOT_CONFIGURED" },
      });
      const mailing = (await (await fetch(`${api.url}/health`)).json()) as Record<string, unknown>;
      expect(mailing.signInCodes).toBe("smtp");
    } finally {
      await prod.close();
    }
  });
});
