import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase, rowsOf } from "./client.js";
import { migrateDatabase } from "./migrate.js";

/** What the migrations write by hand (schema/HAND-WRITTEN.md) is in a migrated database, and works. */
let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openDatabase({});
  await migrateDatabase(handle);
}, 120_000);
afterAll(() => handle.close());

const CATALOG_TABLES = [
  "achievement_rewards",
  "achievement_rule_links",
  "achievement_rules",
  "achievements",
  "consumables",
  "metric_definitions",
];

describe("the hand-written part of the schema", () => {
  it("has the catalog version's triggers on every catalog table, and they move it", async () => {
    const triggers = await rowsOf<{ table: string; name: string }>(
      handle.db.execute(sql`
        select c.relname as table, t.tgname as name from pg_trigger t join pg_class c on c.oid = t.tgrelid
        where not t.tgisinternal and t.tgfoid = 'bump_catalog_version'::regproc order by 1`),
    );
    expect(triggers.map((t) => t.table)).toEqual(CATALOG_TABLES);
    const version = async () =>
      Number(
        (
          await rowsOf<{ v: string }>(handle.db.execute(sql`select version::text as v from catalog_version`))
        )[0]!.v,
      );
    const before = await version();
    await handle.db.execute(sql`update consumables set name = name where false`);
    expect(await version()).toBe(before + 1);
  });

  it("has laurel_assert, which raises LA001 when its condition fails", async () => {
    await expect(handle.db.execute(sql`select laurel_assert(true, 'fine')`)).resolves.toBeDefined();
    const error = (await handle.db
      .execute(sql`select laurel_assert(false, 'PLAN_FAILED')`)
      .catch((e: unknown) => e)) as {
      code?: string;
      cause?: { code?: string };
    };
    expect((error.cause ?? error).code).toBe("LA001");
  });

  it("keeps room on the pages of the rows every event updates", async () => {
    const options = await rowsOf<{ table: string; options: string[] }>(
      handle.db.execute(sql`
        select relname as table, reloptions as options from pg_class
        where relname in ('users', 'user_achievements', 'metric_values') order by 1`),
    );
    expect(options).toEqual([
      { table: "metric_values", options: ["fillfactor=70"] },
      { table: "user_achievements", options: ["fillfactor=60"] },
      { table: "users", options: ["fillfactor=80"] },
    ]);
  });

  it("queues every outbox row for the relay, in the statement that inserts it", async () => {
    const [org] = await rowsOf<{ id: string }>(
      handle.db.execute(
        sql`insert into organizations (name, slug) values ('Outbox', 'outbox-hand-written') returning id`,
      ),
    );
    const rows = await rowsOf<{ id: string; seq: string }>(
      handle.db.execute(sql`
        insert into outbox (organization_id, type, payload, occurred_at)
        select ${org!.id}::uuid, 'progress.changed', '{}', now() from generate_series(1, 3)
        returning id, seq::text`),
    );
    const pending = await rowsOf<{ id: string; seq: string }>(
      handle.db.execute(sql`select id, seq::text from outbox_pending order by seq`),
    );
    expect(pending).toEqual(rows);
  });
});
