import { checkStatement } from "@laurel/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as statements from "../src/scoring/statements.js";
import { openTestDatabase } from "./support/server.js";

/**
 * The scoring layer's hand-written statements fit the migrated schema: each is prepared against it, so a
 * column or table renamed in the Drizzle schema (and its migration) fails here, not at the first event.
 */
let database: Awaited<ReturnType<typeof openTestDatabase>>;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());

describe("the scoring layer's statements", () => {
  const all = Object.values(statements);
  it("are all named scoring.*", () => {
    expect(all.map((s) => s.name).sort()).toEqual(["scoring.forget", "scoring.read", "scoring.write"]);
  });
  it.each(all.map((s) => [s.name, s] as const))(
    "%s prepares against the migrated schema",
    async (_, statement) => {
      await expect(checkStatement(database.db, statement)).resolves.toBeUndefined();
    },
  );
});
