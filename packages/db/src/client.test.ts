import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase, queryPrepared, rowsOf } from "./client.js";

/** `queryPrepared` on PGlite: named statements through the wire protocol, each with one generic plan. */
let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openDatabase({});
  await handle.db.execute(sql`create table probe (id int primary key, doc jsonb not null)`);
}, 60_000);
afterAll(() => handle.close());

const INSERT = `insert into probe select (x->>'id')::int, x from jsonb_array_elements($1::jsonb) x returning id, doc`;
const COUNT = `select count(*)::int as n, $1::text as label, now() as at from probe where id > $2::int`;

describe("queryPrepared on PGlite", () => {
  it("returns the rows with their types, for text and null parameters", async () => {
    const rows = await queryPrepared<{ id: number; doc: unknown }>(handle.db, INSERT, [
      JSON.stringify([
        { id: 1, a: "x" },
        { id: 2, a: null },
      ]),
    ]);
    expect(rows).toEqual([
      { id: 1, doc: { id: 1, a: "x" } },
      { id: 2, doc: { id: 2, a: null } },
    ]);
    const [count] = await queryPrepared<{ n: number; label: string | null; at: string }>(handle.db, COUNT, [
      null,
      "0",
    ]);
    expect(count).toMatchObject({ n: 2, label: null });
    expect(count!.at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/); // as PostgreSQL sends it, as Drizzle reads it
  });

  it("parses a statement once and plans it once, generically, leaving Drizzle's statements as they were", async () => {
    for (let i = 0; i < 7; i++) await queryPrepared(handle.db, COUNT, ["n", String(i)]);
    const plans = await rowsOf<{ statement: string; generic: number; custom: number }>(
      handle.db.execute(sql`
        select statement, generic_plans::int as generic, custom_plans::int as custom
        from pg_prepared_statements`),
    );
    expect(plans.filter((p) => p.statement === COUNT)).toEqual([{ statement: COUNT, generic: 8, custom: 0 }]);
    const [mode] = await rowsOf<{ plan_cache_mode: string }>(handle.db.execute(sql`show plan_cache_mode`));
    expect(mode!.plan_cache_mode).toBe("auto");
  });

  it("waits for a transaction another caller has open, and is never part of it", async () => {
    const log: string[] = [];
    let hasRow!: () => void;
    const inserted = new Promise<void>((resolve) => (hasRow = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const open = handle.db.transaction(async (tx) => {
      await tx.execute(sql`insert into probe values (100, '{}')`);
      hasRow();
      await held;
      // A statement of the transaction's after the query was sent: had the query not waited for the
      // transaction, it would have been queued on the session first and run before this one.
      await tx.execute(sql`select 1`);
      log.push("transaction's last statement");
      tx.rollback();
    });
    await inserted;
    const counting = queryPrepared<{ n: number }>(handle.db, COUNT, ["during", "0"]).then((rows) => {
      log.push("query");
      return rows;
    });
    // Turns of the event loop, I/O included: PGlite runs in this thread, so a query free to run has
    // run by now (every step of it is a promise of PGlite's, settled without waiting on anything).
    for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual([]);
    release();
    await expect(open).rejects.toThrow();
    // It ran after the transaction ended: it never saw the row, and the row is gone.
    expect((await counting)[0]!.n).toBe(2);
    expect(log).toEqual(["transaction's last statement", "query"]);
  });

  it("refuses once the database is closed, with PGlite's own error", async () => {
    const other = await openDatabase({});
    await queryPrepared(other.db, `select 1 as x`, []);
    await other.close();
    await expect(queryPrepared(other.db, `select 1 as x`, [])).rejects.toThrow(/closed/i);
  }, 60_000);

  it("throws the database's error with its code, and the next statement runs", async () => {
    await expect(queryPrepared(handle.db, INSERT, [JSON.stringify([{ id: 1 }])])).rejects.toMatchObject({
      code: "23505",
    });
    await expect(queryPrepared(handle.db, `select 1 / $1::int as x`, ["0"])).rejects.toMatchObject({
      code: "22012",
    });
    const [count] = await queryPrepared<{ n: number }>(handle.db, COUNT, ["after", "0"]);
    expect(count!.n).toBe(2);
    // Inside a transaction of Drizzle's, after those errors, all is as usual.
    const inside = await handle.db.transaction(async (tx) =>
      rowsOf<{ n: number }>(tx.execute(sql`select count(*)::int as n from probe`)),
    );
    expect(inside[0]!.n).toBe(2);
  });
});
