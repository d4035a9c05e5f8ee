import { describe, expect, it } from "vitest";
import { AttemptLog } from "./attempt-log.js";

/** A writer whose writes end when the test says, recording each batch. */
function gatedWriter(stopped: string[] = []) {
  const batches: string[][] = [];
  const gates: (() => void)[] = [];
  const write = async (batch: readonly string[]) => {
    batches.push([...batch]);
    await new Promise<void>((resolve) => gates.push(resolve));
    return new Set(stopped);
  };
  return { batches, gates, write };
}

describe("AttemptLog", () => {
  it("writes a lone entry at once, and the entries added during a write together in the next", async () => {
    const writer = gatedWriter(["b"]);
    const log = new AttemptLog<string>(writer.write, (e) => e);
    const first = log.add("a");
    expect(writer.batches).toEqual([["a"]]);
    const rest = [log.add("b"), log.add("c")];
    expect(writer.batches).toHaveLength(1);
    writer.gates.shift()!();
    expect(await first).toBe(false);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writer.batches).toEqual([["a"], ["b", "c"]]);
    writer.gates.shift()!();
    expect(await Promise.all(rest)).toEqual([true, false]);
    await log.idle();
    // Idle again: the next entry starts a write of its own.
    const later = log.add("d");
    expect(writer.batches).toEqual([["a"], ["b", "c"], ["d"]]);
    writer.gates.shift()!();
    expect(await later).toBe(false);
  });

  it("rejects a failed batch's entries and keeps writing later ones", async () => {
    let calls = 0;
    const log = new AttemptLog<string>(
      () => (++calls === 1 ? Promise.reject(new Error("db down")) : Promise.resolve(new Set<string>())),
      (e) => e,
    );
    await expect(log.add("a")).rejects.toThrow("db down");
    await expect(log.add("b")).resolves.toBe(false);
    expect(calls).toBe(2);
  });
});
