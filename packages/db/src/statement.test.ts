import { randomUUID } from "node:crypto";
import { sql, TransactionRollbackError } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { type DatabaseHandle, openDatabase, rowsOf } from "./client.js";
import { migrateDatabase } from "./migrate.js";
import * as schema from "./schema/index.js";
import { createScratchDatabase, dropScratchDatabase } from "./scratch.js";
import {
  checkStatement,
  column,
  columns,
  defineStatement,
  param,
  recordset,
  runStatement,
  StatementRowError,
  table,
} from "./statement.js";

const { users } = schema;

/** The user part of the intake's snapshot, as the helper writes it. */
const READ_USER = defineStatement({
  name: "test.user",
  params: { userId: param.uuid(), organizationId: param.uuid() },
  row: z.object({ isActive: z.boolean(), lockVersion: z.string() }),
  text: (p) => `
    select u.${column(users.isActive)} as "isActive", u.${column(users.lockVersion)}::text as "lockVersion"
    from ${table(users)} u
    where u.${column(users.id)} = ${p.userId} and u.${column(users.organizationId)} = ${p.organizationId}`,
});

const Probe = z.object({ id: z.uuid(), label: z.string().nullable(), n: z.int() });

const INSERT = defineStatement({
  name: "test.insert",
  params: { rows: param.jsonRows(Probe) },
  row: z.object({ id: z.uuid(), at: z.string() }),
  text: (
    p,
  ) => `insert into probe (id, label, n) select r.id, r.label, r.n from ${recordset(Probe, p.rows, "r")}
    returning id, at`,
});

const FIND = defineStatement({
  name: "test.find",
  params: { ids: param.uuidArray(), label: param.text().nullable() },
  row: Probe.extend({ matches: z.boolean(), at: z.string() }),
  text: (p) => `select id, label, n, label is not distinct from ${p.label} as matches, at from probe
    where id = any(${p.ids}) and (${p.label} is null or label = ${p.label}) order by n`,
});

describe("statement text", () => {
  it("takes table and column names from the schema, quoted", () => {
    expect(table(users)).toBe(`"users"`);
    expect(column(users.lockVersion)).toBe(`"lock_version"`);
    expect(columns(schema.events, ["id", "organizationId", "idempotencyKey"])).toBe(
      `"id", "organization_id", "idempotency_key"`,
    );
    // @ts-expect-error: a property the table does not have
    expect(() => columns(users, ["lockVersions"])).toThrow();
  });

  it("starts with the name, and numbers parameters in order, the same number at each use", () => {
    expect(FIND.text.startsWith("/* laurel:test.find */\n")).toBe(true);
    expect(FIND.text.match(/\$\d+::[\w[\]]+/g)).toEqual(["$2::text", "$1::uuid[]", "$2::text", "$2::text"]);
  });

  it("refuses a parameter the text never uses, and a name that could end the comment", () => {
    const define = (name: string) =>
      defineStatement({
        name,
        params: { a: param.int(), b: param.int() },
        row: z.object({}),
        text: (p) => `select ${p.a}`,
      });
    expect(() => define("test.unused")).toThrow("Statement test.unused never uses b");
    expect(() => define("x */ drop table users; /*")).toThrow(TypeError);
  });

  it("declares a recordset's columns from the row schema", () => {
    const row = z.object({
      id: z.uuid(),
      key: z.string(),
      at: z.iso.datetime(),
      count: z.int().nullable(),
      value: z.number(),
      done: z.boolean(),
      version: z.string().meta({ sql: "bigint" }),
      data: z.record(z.string(), z.unknown()),
    });
    expect(recordset(row, "$1::jsonb", "x")).toBe(
      `jsonb_to_recordset($1::jsonb) as x("id" uuid, "key" text, "at" timestamptz, "count" int, ` +
        `"value" numeric, "done" boolean, "version" bigint, "data" jsonb)`,
    );
  });
});

const drivers: [string, () => Promise<{ url?: string; drop?: () => Promise<void> }>][] = [
  ["PGlite", async () => ({})],
];
const admin = process.env.DATABASE_URL;
if (admin) {
  drivers.push([
    "PostgreSQL",
    async () => {
      const url = await createScratchDatabase(admin, "laurel_statement");
      return { url, drop: () => dropScratchDatabase(admin, url) };
    },
  ]);
}

describe.each(drivers)("runStatement on %s", (_driver, scratch) => {
  let handle: DatabaseHandle;
  let drop: (() => Promise<void>) | undefined;
  const sent: string[] = [];
  beforeAll(async () => {
    const made = await scratch();
    drop = made.drop;
    handle = await openDatabase({ url: made.url, onQuery: (text) => sent.push(text) });
    await migrateDatabase(handle);
    await handle.db.execute(
      sql`create table probe (id uuid primary key, label text, n int not null, at timestamptz not null default now())`,
    );
  }, 120_000);
  afterAll(async () => {
    await handle?.close();
    await drop?.();
  });

  const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];

  it("sends JSON rows and id arrays, repeats and nulls parameters, and parses the rows", async () => {
    const inserted = await runStatement(handle.db, INSERT, {
      rows: [
        { id: a, label: "x", n: 1 },
        { id: b, label: null, n: 2 },
      ],
    });
    expect(inserted.map((r) => r.id).sort()).toEqual([a, b].sort());
    const all = await runStatement(handle.db, FIND, { ids: [a, b, c], label: null });
    expect(all).toMatchObject([
      { id: a, label: "x", n: 1, matches: false },
      { id: b, label: null, n: 2, matches: true },
    ]);
    expect(await runStatement(handle.db, FIND, { ids: [a, b], label: "x" })).toMatchObject([{ id: a }]);
    expect(sent.filter((text) => text === FIND.text)).toHaveLength(2);
  });

  it("checks JSON rows against their schema before sending, and refuses a missing parameter", async () => {
    const before = sent.length;
    await expect(
      runStatement(handle.db, INSERT, { rows: [{ id: "not a uuid", label: null, n: 1 }] }),
    ).rejects.toThrow(z.ZodError);
    await expect(runStatement(handle.db, FIND, { ids: null as never, label: null })).rejects.toThrow(
      "Statement test.find: parameter ids is null, and not nullable",
    );
    expect(sent.length).toBe(before);
  });

  it("throws a row that is not as declared, naming the statement and the field", async () => {
    const wrong = defineStatement({
      name: "test.wrong",
      params: { id: param.uuid() },
      row: z.object({ id: z.uuid(), n: z.string() }),
      text: (p) => `select id, n from probe where id = ${p.id}`,
    });
    const error = await runStatement(handle.db, wrong, { id: a }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StatementRowError);
    expect(error).toMatchObject({ statement: "test.wrong", field: "n" });
    expect((error as Error).message).toMatch(/^Statement test\.wrong returned a row not as declared: n: /);
  });

  it("runs inside a transaction, seeing its rows, and gives the same values as outside", async () => {
    const outside = await runStatement(handle.db, FIND, { ids: [a], label: null });
    const before = sent.length;
    let inside: unknown[] = [];
    await expect(
      handle.db.transaction(async (tx) => {
        await tx.execute(sql`insert into probe (id, label, n) values (${c}, 'tx', 3)`);
        inside = await runStatement(tx, FIND, { ids: [a, c], label: null });
        tx.rollback();
      }),
    ).rejects.toThrow(TransactionRollbackError);
    expect(inside).toEqual([outside[0], expect.objectContaining({ id: c, label: "tx", n: 3 })]);
    expect(sent.slice(before)).toContain(FIND.text);
    expect(await runStatement(handle.db, FIND, { ids: [c], label: null })).toEqual([]);
  });

  it("fails a statement whose columns drift from the database, naming it", async () => {
    await checkStatement(handle.db, READ_USER);
    await checkStatement(handle.db, FIND);
    expect(await runStatement(handle.db, READ_USER, { userId: a, organizationId: b })).toEqual([]);
    const drifted = defineStatement({
      ...READ_USER,
      name: "test.drifted",
      text: (p) =>
        `select lock_versions from users where id = ${p.userId} and organization_id = ${p.organizationId}`,
    });
    await expect(checkStatement(handle.db, drifted)).rejects.toThrow(
      /^Statement test\.drifted does not fit the database: column "lock_versions" does not exist/,
    );
  });

  it("runs on the database through the prepared path", async () => {
    if (handle.driver !== "pglite") return; // on PostgreSQL, its statements are on connections of its own
    const plans = await rowsOf<{ generic: number }>(
      handle.db.execute(
        sql`select generic_plans::int as generic from pg_prepared_statements where statement = ${FIND.text}`,
      ),
    );
    expect(plans).toEqual([{ generic: expect.any(Number) }]);
    expect(plans[0]!.generic).toBeGreaterThan(0);
  });
});
