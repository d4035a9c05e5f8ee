import { describe, expect, it } from "vitest";
import { WriteBatcher } from "./batch.js";
import type { WriteRequest, Written } from "./store.js";

const request = (userId: string, id = `${userId}-event`, lockVersion = "1") =>
  ({ userId, lockVersion, event: { id } }) as unknown as WriteRequest;
const written = (r: WriteRequest): Written =>
  ({ kind: "written", event: { id: r.event!.id }, awards: [] }) as unknown as Written;

/** A writer that records each statement's plans and answers after a turn of the event loop. */
function recorder(fail?: (batch: readonly WriteRequest[]) => Error | undefined) {
  const statements: string[][] = [];
  let inFlight = 0;
  let most = 0;
  const write = async (batch: readonly WriteRequest[]) => {
    statements.push(batch.map((r) => r.event!.id));
    most = Math.max(most, ++inFlight);
    await new Promise((r) => setTimeout(r, 5));
    inFlight--;
    const error = fail?.(batch);
    if (error) throw error;
    return batch.map(written);
  };
  return { write, statements, most: () => most };
}

describe("the intake's write batcher", () => {
  it("writes plans made in one turn of the event loop in one statement", async () => {
    const r = recorder();
    const batcher = new WriteBatcher(r.write);
    const results = await Promise.all(["a", "b", "c"].map((u) => batcher.write(request(u))));
    expect(r.statements).toEqual([["a-event", "b-event", "c-event"]]);
    expect(results.map((w) => (w.kind === "written" ? w.event!.id : w.kind))).toEqual([
      "a-event",
      "b-event",
      "c-event",
    ]);
  });

  it("never puts two plans of one user in one statement", async () => {
    const r = recorder();
    const batcher = new WriteBatcher(r.write);
    await Promise.all([
      batcher.write(request("a", "a1", "1")),
      batcher.write(request("b", "b1", "1")),
      batcher.write(request("a", "a2", "2")),
    ]);
    expect(r.statements).toEqual([["a1", "b1"], ["a2"]]);
  });

  it("keeps at most its limit of statements on their way, and batches what waits meanwhile", async () => {
    const r = recorder();
    const batcher = new WriteBatcher(r.write, { inFlight: 1, size: 64 });
    const first = batcher.write(request("a"));
    await new Promise((resolve) => setImmediate(resolve));
    const later = ["b", "c", "d"].map((u) => batcher.write(request(u)));
    await Promise.all([first, ...later]);
    expect(r.most()).toBe(1);
    expect(r.statements).toEqual([["a-event"], ["b-event", "c-event", "d-event"]]);
  });

  it("holds a statement to its size", async () => {
    const r = recorder();
    const batcher = new WriteBatcher(r.write, { inFlight: 4, size: 2 });
    await Promise.all(["a", "b", "c", "d", "e"].map((u) => batcher.write(request(u))));
    expect(r.statements.map((s) => s.length)).toEqual([2, 2, 1]);
  });

  it("writes each plan of a batch alone when one plan may have failed it, one after another", async () => {
    const poison = Object.assign(new Error("an award of plan b did not happen"), { code: "LA001" });
    const r = recorder((batch) => (batch.some((x) => x.userId === "b") ? poison : undefined));
    const batcher = new WriteBatcher(r.write);
    const results = await Promise.allSettled(["a", "b", "c"].map((u) => batcher.write(request(u))));
    expect(results.map((x) => x.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason).toBe(poison);
    expect(r.statements).toEqual([["a-event", "b-event", "c-event"], ["a-event"], ["b-event"], ["c-event"]]);
    expect(r.most()).toBe(1);
  });

  it("fails every plan of a batch with an error nobody can pin on one plan, and writes none again", async () => {
    const lost = Object.assign(new Error("connection lost"), { code: "ECONNRESET" });
    const r = recorder(() => lost);
    const batcher = new WriteBatcher(r.write);
    const results = await Promise.allSettled(["a", "b"].map((u) => batcher.write(request(u))));
    expect(results.map((x) => (x.status === "rejected" ? x.reason : x.value))).toEqual([lost, lost]);
    expect(r.statements).toEqual([["a-event", "b-event"]]);
  });
});
