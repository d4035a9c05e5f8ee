import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { printSdl, schemaFile } from "../src/schema.js";

describe("schema.graphql", () => {
  it("is the schema the code builds (run `pnpm schema:emit` after changing the API)", async () => {
    const committed = await readFile(schemaFile, "utf8");
    expect(await printSdl()).toBe(committed);
  });
});
