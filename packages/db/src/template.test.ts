import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, rowsOf } from "./client.js";
import { migrateDatabase, migrationsFolder } from "./migrate.js";
import { buildTemplate, templateDir } from "./template.js";

const folders: string[] = [];
const folder = () => {
  const dir = mkdtempSync(join(tmpdir(), "laurel-template-test-"));
  folders.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

describe("the embedded database's start-up template", () => {
  it("is named after the migrations, so a stale one is never used", () => {
    expect(templateDir()).toMatch(/pglite-[0-9a-f]{16}$/);
    expect(templateDir()).toBe(templateDir());
  });

  it("starts a new data folder already migrated, and leaves a used folder alone", async () => {
    await buildTemplate();
    const dir = folder();
    const database = await openDatabase({ dataDir: dir });
    try {
      const journal = JSON.parse(readFileSync(join(migrationsFolder, "meta/_journal.json"), "utf8")) as {
        entries: unknown[];
      };
      const [applied] = await rowsOf<{ n: number }>(
        database.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`),
      );
      expect(applied!.n).toBe(journal.entries.length);
      await migrateDatabase(database); // nothing left to do
      // Only Laurel's database, half the files to copy; the embedded upkeep's vacuum still runs.
      const databases = await rowsOf<{ datname: string }>(
        database.db.execute(sql`select datname from pg_database`),
      );
      expect(databases.map((d) => d.datname)).toEqual(["postgres"]);
      expect(readdirSync(join(dir, "base"))).toHaveLength(1);
      await database.db.execute(sql`vacuum (analyze)`);
      await database.db.execute(sql`insert into organizations (name, slug) values ('Kept', 'kept')`);
    } finally {
      await database.close();
    }
    const reopened = await openDatabase({ dataDir: dir });
    try {
      const rows = await rowsOf<{ slug: string }>(reopened.db.execute(sql`select slug from organizations`));
      expect(rows.map((r) => r.slug)).toEqual(["kept"]);
    } finally {
      await reopened.close();
    }
  }, 60_000);

  it("is not copied into a folder that has files", async () => {
    const dir = folder();
    writeFileSync(join(dir, "unrelated.txt"), "mine");
    const database = await openDatabase({ dataDir: dir });
    try {
      // PostgreSQL's own initdb ran: no migration has been applied there.
      const [row] = await rowsOf<{ table: string | null }>(
        database.db.execute(sql`select to_regclass('drizzle.__drizzle_migrations')::text as table`),
      );
      expect(row!.table).toBeNull();
      expect(readFileSync(join(dir, "unrelated.txt"), "utf8")).toBe("mine");
    } finally {
      await database.close();
    }
  }, 60_000);
});
