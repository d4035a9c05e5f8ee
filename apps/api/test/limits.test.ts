import { schema } from "@laurel/db";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LIMITS } from "../src/lib/limits.js";
import { gameTenant } from "./support/engine.js";
import { builtInRoleId, makeTenant, unique } from "./support/factories.js";
import { startTestServer, type TestApi } from "./support/server.js";

/** Small enough that a few large descriptions pass it; far above any other answer in this file. */
const MAX_RESPONSE_BYTES = 32 * 1024;

let api: TestApi;
beforeAll(async () => {
  api = await startTestServer({
    env: { LAUREL_MAX_RESPONSE_BYTES: String(MAX_RESPONSE_BYTES), LAUREL_SCHEDULER: "false" },
  });
});
afterAll(() => api.close());

type Result = Awaited<ReturnType<TestApi["gql"]>>;

function refusal(result: Result) {
  expect(result.errors, JSON.stringify(result)).toBeDefined();
  const error = result.errors![0]!;
  expect(error.extensions!.code).toBe("BAD_USER_INPUT");
  return error.extensions!.issues[0] as { field: string; rule: string; message: string };
}

async function achievementCount(organizationId: string) {
  const rows = await api.database.db
    .select({ id: schema.achievements.id })
    .from(schema.achievements)
    .where(eq(schema.achievements.organizationId, organizationId));
  return rows.length;
}

const manual = { name: "Test badge", category: "special", triggerType: "manual" };

describe("input size limits", () => {
  it("refuses a JSON argument over its limit by name, and stores nothing", async () => {
    const game = await gameTenant(api);
    const big = { note: "x".repeat(LIMITS.json.bytes) };
    const result = await game.achievement({ ...manual, triggerMetadata: big });
    expect(refusal(result)).toMatchObject({ field: "triggerMetadata", rule: "too_large" });
    expect(await achievementCount(game.organization.id)).toBe(0);

    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 20; i++) deep = { deeper: deep };
    const tooDeep = await game.achievement({ ...manual, triggerMetadata: deep });
    expect(refusal(tooDeep)).toMatchObject({ field: "triggerMetadata", rule: "too_deep" });

    // An event's attributes: 40 keys of 500 characters each were accepted before (80 KB at most).
    const attributes = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, "y".repeat(500)]));
    expect(refusal(await game.event("match_won", { attributes }))).toMatchObject({
      field: "attributes",
      rule: "too_large",
    });

    // Within the limit: saved.
    const fits = await game.achievement({ ...manual, triggerMetadata: { note: "x".repeat(1000) } });
    expect(fits.errors).toBeUndefined();
    expect(await achievementCount(game.organization.id)).toBe(1);
  });

  it("refuses text and lists over their limits by name", async () => {
    const game = await gameTenant(api);
    const long = await game.achievement({ ...manual, description: "d".repeat(LIMITS.text.description + 1) });
    expect(refusal(long)).toMatchObject({ field: "description", rule: "too_long" });
    const name = await game.achievement({ ...manual, name: "n".repeat(LIMITS.text.default + 1) });
    expect(refusal(name)).toMatchObject({ field: "name", rule: "too_long" });
    const search = await api.gql(
      `query($q: String) { allUsers(filter: { q: $q }) { id } }`,
      { q: "q".repeat(LIMITS.text.default + 1) },
      game.admin.token,
    );
    expect(refusal(search)).toMatchObject({ field: "filter.q", rule: "too_long" });
    const ids = Array.from({ length: LIMITS.list.ids + 1 }, () => "00000000-0000-4000-8000-000000000000");
    const many = await api.gql(
      `query($ids: [ID!]) { allUsers(filter: { ids: $ids }) { id } }`,
      { ids },
      game.admin.token,
    );
    expect(refusal(many)).toMatchObject({ field: "filter.ids", rule: "too_many" });
    expect(await achievementCount(game.organization.id)).toBe(0);
  });
});

describe("the response limit", () => {
  it("refuses an answer whose running estimate passes LAUREL_MAX_RESPONSE_BYTES, with one clear error", async () => {
    const game = await gameTenant(api);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const made = await game.achievement({
        ...manual,
        description: `${i}`.repeat(9_000),
        triggerMetadata: { note: "m".repeat(2_000) },
      });
      expect(made.errors).toBeUndefined();
      ids.push(made.data.createAchievement.id);
    }
    // The tenant's five, and any platform-wide ones other suites made on a shared database.
    const small = await api.gql(`{ allAchievements(perPage: 100) { id key } }`, {}, game.admin.token);
    expect(small.errors).toBeUndefined();
    expect(small.data.allAchievements.map((a: { id: string }) => a.id)).toEqual(expect.arrayContaining(ids));

    const large = await api.gql(
      `{ allAchievements { id description triggerMetadata } }`,
      {},
      game.admin.token,
    );
    expect(large.data).toBeNull();
    expect(large.errors).toHaveLength(1);
    expect(large.errors![0]!.extensions).toMatchObject({
      code: "RESPONSE_TOO_LARGE",
      maxBytes: MAX_RESPONSE_BYTES,
    });
    expect(large.errors![0]!.message).toMatch(/larger than 32768 bytes/);
  });
});

describe("ordinary input that once answered 500", () => {
  it("refuses the NUL character in any text by name: search, note, event ref, display name, JSON", async () => {
    const game = await gameTenant(api);
    const token = game.admin.token;
    const search = await api.gql(
      `query($q: String) { allUsers(filter: { q: $q }) { id } }`,
      { q: "a\u0000" },
      token,
    );
    expect(refusal(search)).toMatchObject({ field: "filter.q", rule: "nul_character" });

    const activityType = await api.ok(
      `mutation { createActivityType(slug: "${unique("t_")}", name: "Talk") { id } }`,
      {},
      token,
    );
    const note = await api.gql(
      `mutation($t: ID!, $notes: String) { logActivity(activityTypeId: $t, durationMinutes: 30, notes: $notes) { activity { id } } }`,
      { t: activityType.createActivityType.id, notes: "a\u0000" },
      token,
    );
    expect(refusal(note)).toMatchObject({ field: "notes", rule: "nul_character" });

    const ref = await api.gql(
      `mutation($ref: String!) { attendEvent(eventRef: $ref, eventName: "Meetup") { attendance { id } } }`,
      { ref: "a\u0000" },
      token,
    );
    expect(refusal(ref)).toMatchObject({ field: "eventRef", rule: "nul_character" });

    const name = await api.gql(
      `mutation($id: ID!, $name: String) { updateUser(id: $id, displayName: $name) { id } }`,
      { id: game.admin.user.id, name: "a\u0000" },
      token,
    );
    expect(refusal(name)).toMatchObject({ field: "displayName", rule: "nul_character" });

    const json = await game.achievement({ ...manual, triggerMetadata: { "a\u0000": "b" } });
    expect(refusal(json)).toMatchObject({ field: "triggerMetadata", rule: "nul_character" });
  });

  it("takes sort fields from the resource's own list: __proto__, constructor and toString are refused", async () => {
    const tenant = await makeTenant(api);
    for (const sortField of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
      const result = await api.gql(
        `query($s: String) { allUsers(sortField: $s) { id } }`,
        { s: sortField },
        tenant.admin.token,
      );
      expect(refusal(result), sortField).toMatchObject({ field: "sortField", rule: "one_of" });
    }
    const fine = await api.gql(`{ allUsers(sortField: "email") { id } }`, {}, tenant.admin.token);
    expect(fine.errors).toBeUndefined();
  });

  it("answers an unterminated multipart upload with 400 naming the file", async () => {
    const tenant = await makeTenant(api);
    const boundary = "----laurel-test-boundary";
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n\u0089PNG`;
    const response = await fetch(`${api.url}/uploads`, {
      method: "POST",
      headers: {
        "content-type": `multipart/form-data; boundary=${boundary}`,
        authorization: `Bearer ${tenant.admin.token}`,
      },
      body,
    });
    expect(response.status).toBe(400);
    const answer = (await response.json()) as { errors: { extensions: Record<string, any> }[] };
    expect(answer.errors[0]!.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      issues: [{ field: "file", rule: "upload_format" }],
    });
  });
});

describe("icon URLs", () => {
  it("accepts https, http outside production and Laurel's uploads; refuses anything else as an error", async () => {
    const game = await gameTenant(api);
    const refused = [
      "javascript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "JaVaScRiPt:alert(1)",
      "badge icon.png",
      "/badges/win.svg",
      "//evil.example/x.png",
      "ftp://example.org/x.png",
    ];
    for (const iconUrl of refused) {
      const result = await game.achievement({ ...manual, iconUrl });
      expect(refusal(result), iconUrl).toMatchObject({ field: "iconUrl", rule: "icon_url_format" });
    }
    expect(await achievementCount(game.organization.id)).toBe(0);
    for (const iconUrl of [
      "https://cdn.example.org/badge.png",
      "http://localhost:4000/badge.png",
      "/uploads/0b8f4a52-64b4-4c4e-9d8e-2c9c7c6f6a11",
    ]) {
      const result = await game.achievement({ ...manual, iconUrl });
      expect(result.errors, iconUrl).toBeUndefined();
    }
    const [made] = await api.database.db
      .select({ id: schema.achievements.id })
      .from(schema.achievements)
      .where(eq(schema.achievements.organizationId, game.organization.id))
      .limit(1);
    const update = await api.gql(
      `mutation($id: ID!) { updateAchievement(id: $id, iconUrl: "javascript:alert(1)") { id } }`,
      { id: made!.id },
      game.admin.token,
    );
    expect(refusal(update)).toMatchObject({ field: "iconUrl", rule: "icon_url_format" });
  });

  it("serves a stored icon that is not safe (saved before the check) as null, to admins and players", async () => {
    const game = await gameTenant(api);
    const made = await api.ok(
      `mutation($key: String!) { createAchievement(key: $key, name: "Old badge", description: "Saved long ago",
        category: special, triggerType: manual, iconUrl: "https://cdn.example.org/old.png") { id } }`,
      { key: unique("old_") },
      game.admin.token,
    );
    const id = made.createAchievement.id as string;
    const { user, token: player } = await game.as("player");
    await api.ok(
      `mutation($u: ID!, $a: ID!) { grantAchievement(userId: $u, achievementId: $a) { id } }`,
      { u: user.id, a: id },
      game.admin.token,
    );
    for (const stored of ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>"]) {
      await api.database.db
        .update(schema.achievements)
        .set({ iconUrl: stored })
        .where(eq(schema.achievements.id, id));
      const admin = await api.ok(
        `query($id: ID!, $u: ID!) { Achievement(id: $id) { iconUrl warnings { rule } }
          userProgress(userId: $u) { achievementId iconUrl }
          allUserAchievements(filter: { achievementId: $id }) { achievement { iconUrl } } }`,
        { id, u: user.id },
        game.admin.token,
      );
      expect(admin.Achievement, stored).toEqual({ iconUrl: null, warnings: [] });
      expect(
        admin.userProgress.find((b: { achievementId: string }) => b.achievementId === id).iconUrl,
      ).toBeNull();
      expect(admin.allUserAchievements, stored).toEqual([{ achievement: { iconUrl: null } }]);
      const mine = await api.ok(`{ myBadges { achievementId iconUrl } }`, {}, player);
      expect(
        mine.myBadges.find((b: { achievementId: string }) => b.achievementId === id),
        stored,
      ).toEqual({
        achievementId: id,
        iconUrl: null,
      });
    }
    // A safe stored icon is served as it is.
    await api.database.db
      .update(schema.achievements)
      .set({ iconUrl: "https://cdn.example.org/new.png" })
      .where(eq(schema.achievements.id, id));
    const mine = await api.ok(`{ myBadges { achievementId iconUrl } }`, {}, player);
    expect(mine.myBadges.find((b: { achievementId: string }) => b.achievementId === id).iconUrl).toBe(
      "https://cdn.example.org/new.png",
    );
  });
});

describe("logs", () => {
  it("never carry a failed statement's parameters, and still name the error", async () => {
    const tenant = await makeTenant(api);
    const displayName = unique("Boom ");
    const password = unique("a secret password ");
    // A statement that fails inside the database with an error no rule translates: an internal error.
    await api.database.db.execute(
      sql.raw(`create or replace function laurel_test_boom() returns trigger language plpgsql as $$
        begin raise exception 'laurel test refuses this row'; end $$`),
    );
    const trigger = `laurel_test_boom_${unique()}`;
    await api.database.db.execute(
      sql.raw(`create trigger ${trigger} before insert on users for each row
        when (new.display_name = '${displayName}') execute function laurel_test_boom()`),
    );
    try {
      const email = `${unique("secret-")}@example.test`;
      const result = await api.gql(
        `mutation($email: String!, $name: String!, $password: String, $role: ID!) {
          createUser(email: $email, displayName: $name, password: $password, roleId: $role) { id } }`,
        { email, name: displayName, password, role: await builtInRoleId(api.database.db, "player") },
        tenant.admin.token,
      );
      expect(result.errors![0]!.extensions!.code).toBe("INTERNAL_SERVER_ERROR");
      const logged = api.logs.filter((line) => line.includes("laurel test refuses this row"));
      expect(logged.length).toBeGreaterThan(0);
      const all = api.logs.join("\n");
      expect(all).toContain("insert into");
      expect(all).not.toContain(displayName);
      expect(all).not.toContain(email);
      expect(all).not.toMatch(/\$argon2/);
      // Outside production the message reaches the client too: without the parameters.
      expect(JSON.stringify(result.errors![0]!.message)).not.toContain(email);
    } finally {
      await api.database.db.execute(sql.raw(`drop trigger ${trigger} on users`));
    }
  });
});
