import type postgres from "postgres";
import { describe, expect, it } from "vitest";
import {
  connectionGone,
  resilient,
  RETRY_BUDGET_MS,
  SessionWatch,
  shouldRetry,
  statementKind,
  withRetry,
} from "./reconnect.js";

const failure = (code: string) => Object.assign(new Error(code), { code });

describe("statementKind", () => {
  it("reads plain selects, shows and values", () => {
    for (const text of [
      `select "id", "name" from "achievements" where "id" = $1`,
      `  SELECT count(*)::int as n from probe`,
      `show plan_cache_mode`,
      `values (1), (2)`,
      `select "updated_at", "deleted" from "users"`, // columns named like keywords are not keywords
    ]) {
      expect(statementKind(text), text).toBe("read");
    }
  });

  it("counts everything else as a write, and every select naming something that writes", () => {
    for (const text of [
      `insert into "users" ("email") values ($1)`,
      `update "api_keys" set "last_used_at" = now()`,
      `delete from "sessions"`,
      `with x as (select 1) select * from x`,
      `/* comment */ select 1`,
      `select * into backup from users`,
      `select * from users for update`,
      `select * from users for no key update`,
      `select nextval('events_id_seq')`,
      `select pg_advisory_xact_lock(1)`,
      `select set_config('a.b', 'c', false)`,
      `select 1; delete from users`,
      `merge into t using s on true when matched then delete`,
      `begin`,
      ``,
    ]) {
      expect(statementKind(text), text).toBe("write");
    }
    expect(statementKind(undefined)).toBe("write");
  });
});

describe("shouldRetry", () => {
  it("retries every statement when the server ended the session or no connection opened", () => {
    for (const code of ["57P01", "57P02", "57P03", "ECONNREFUSED", "CONNECT_TIMEOUT"]) {
      for (const kind of ["read", "begin", "write"] as const) {
        expect(shouldRetry(failure(code), kind), `${code} ${kind}`).toBe(true);
      }
    }
  });

  it("retries a lost socket for reads and BEGIN only, or a write whose session the server ended", () => {
    for (const code of ["CONNECTION_CLOSED", "ECONNRESET", "EPIPE"]) {
      expect(shouldRetry(failure(code), "read"), code).toBe(true);
      expect(shouldRetry(failure(code), "begin"), code).toBe(true);
      expect(shouldRetry(failure(code), "write"), code).toBe(false);
      expect(shouldRetry(failure(code), "write", true), code).toBe(true);
    }
  });

  it("never retries the statement's own errors or this process closing its pool", () => {
    for (const code of ["23505", "40001", "57014", "CONNECTION_ENDED", "CONNECTION_DESTROYED"]) {
      expect(shouldRetry(failure(code), "read"), code).toBe(false);
      expect(connectionGone(failure(code)), code).toBe(false);
    }
    expect(shouldRetry(new Error("no code"), "read")).toBe(false);
    expect(shouldRetry(null, "read")).toBe(false);
  });
});

/** A clock that only moves when told: each try and each wait advance it. */
function fakeClock() {
  let time = 1_000;
  const waits: number[] = [];
  return {
    now: () => time,
    advance: (ms: number) => void (time += ms),
    waits,
    sleep: async (ms: number) => {
      waits.push(ms);
      time += ms;
    },
  };
}

describe("withRetry's time budget", () => {
  it("stops a silent server (CONNECT_TIMEOUT) within the budget, not after a dozen 5-second tries", async () => {
    const clock = fakeClock();
    const starts: number[] = [];
    const run = async () => {
      starts.push(clock.now());
      clock.advance(5_000); // connect_timeout
      throw failure("CONNECT_TIMEOUT");
    };
    await expect(withRetry(run, () => true, clock)).rejects.toMatchObject({ code: "CONNECT_TIMEOUT" });
    // Failed at 6 000 (the budget starts), tried again at once, failed at 11 000: the budget is spent.
    expect(starts).toEqual([1_000, 6_000]);
    expect(clock.waits).toEqual([]);
  });

  it("waits 0.1 s doubling to 0.4 s while the server refuses, and starts no try past the budget", async () => {
    const clock = fakeClock();
    const starts: number[] = [];
    const run = async () => {
      starts.push(clock.now());
      clock.advance(2);
      throw failure("ECONNREFUSED");
    };
    await expect(withRetry(run, () => true, clock)).rejects.toMatchObject({ code: "ECONNREFUSED" });
    const first = 1_002;
    expect(clock.waits.slice(0, 4)).toEqual([100, 200, 400, 400]);
    expect(starts.every((start) => start - first < RETRY_BUDGET_MS)).toBe(true);
    expect(clock.now() - first).toBeGreaterThanOrEqual(RETRY_BUDGET_MS);
    expect(clock.now() - first).toBeLessThan(RETRY_BUDGET_MS + 10);
  });

  it("passes dead connections straight away, and succeeds once a live one answers", async () => {
    const clock = fakeClock();
    let tries = 0;
    const run = async () => {
      if (++tries < 11) throw failure("57P01");
      return "rows";
    };
    await expect(withRetry(run, () => true, clock)).resolves.toBe("rows");
    expect(tries).toBe(11);
    expect(clock.waits).toEqual([]);
  });

  it("throws at once what is not to be retried", async () => {
    let tries = 0;
    const run = async () => {
      tries++;
      throw failure("ECONNRESET");
    };
    await expect(withRetry(run, () => false)).rejects.toMatchObject({ code: "ECONNRESET" });
    expect(tries).toBe(1);
  });

  it("keeps to a short budget with real timers", async () => {
    const started = performance.now();
    let tries = 0;
    const run = async () => {
      tries++;
      throw failure("57P03");
    };
    await expect(withRetry(run, () => true, { budgetMs: 250 })).rejects.toMatchObject({ code: "57P03" });
    expect(performance.now() - started).toBeLessThan(600);
    expect(tries).toBeGreaterThanOrEqual(2);
  });
});

/** The messages a server sends, as postgres.js receives them. */
function message(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0);
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}
const keyData = (pid: number, secret: number) => {
  const body = Buffer.alloc(8);
  body.writeUInt32BE(pid, 0);
  body.writeUInt32BE(secret, 4);
  return message("K", body);
};
const errorResponse = (severity: string, code: string) =>
  message("E", Buffer.from(`S${severity}\0V${severity}\0C${code}\0Mterminating connection\0\0`));
const ready = message("Z", Buffer.from("I"));
const complete = message("C", Buffer.from("INSERT 0 1\0"));
const row = message("D", Buffer.from([0, 1, 0, 0, 0, 5, 0x35, 0x37, 0x50, 0x30, 0x31])); // "57P01"

/** Fed a byte at a time too: messages split across chunks are read whole. */
function watched(bytes: Buffer, skip = 0) {
  const whole = new SessionWatch(skip);
  whole.read(bytes);
  const split = new SessionWatch(skip);
  for (const byte of bytes) split.read(Buffer.from([byte]));
  expect(split.ended).toBe(whole.ended);
  return whole.ended;
}

describe("SessionWatch", () => {
  it("sees the server end an idle session, or one whose statement had not completed", () => {
    expect(watched(Buffer.concat([keyData(7, 9), ready, errorResponse("FATAL", "57P01")]))).toBe(true);
    expect(watched(Buffer.concat([keyData(7, 9), ready, row, errorResponse("FATAL", "57P02")]))).toBe(true);
    expect(
      watched(Buffer.concat([keyData(7, 9), ready, complete, ready, errorResponse("FATAL", "57P01")])),
    ).toBe(true);
    // After the one-byte answer to an SSLRequest the server refused.
    expect(watched(Buffer.concat([Buffer.from("N"), ready, errorResponse("FATAL", "57P01")]), 1)).toBe(true);
  });

  it("does not when a statement completed since the last ReadyForQuery, or for other errors", () => {
    expect(watched(Buffer.concat([ready, complete, errorResponse("FATAL", "57P01")]))).toBe(false);
    expect(watched(Buffer.concat([ready, errorResponse("ERROR", "57P01")]))).toBe(false);
    expect(watched(Buffer.concat([ready, errorResponse("FATAL", "28P01")]))).toBe(false);
    expect(watched(Buffer.concat([ready, row]))).toBe(false);
  });
});

type FakeQuery = Promise<unknown> & { state: { pid: number; secret: number }; values(): FakeQuery };

/** A postgres.js client whose statements answer from `answer`, sent on session (pid, 1). */
function fakeClient(answer: (text: string, attempt: number) => unknown, pid = 1) {
  const sent: string[] = [];
  const client = {
    unsafe(text: string) {
      sent.push(text);
      const attempt = sent.filter((t) => t === text).length;
      let settled: Promise<unknown> | undefined;
      const run = () =>
        (settled ??= (async () => {
          const result = answer(text, attempt);
          if (result instanceof Error) throw result;
          return result;
        })());
      const query = {
        state: { pid, secret: 1 },
        values: () => query,
        then: (a?: (v: unknown) => unknown, b?: (e: unknown) => unknown) => run().then(a, b),
      };
      return query as unknown as FakeQuery;
    },
    begin: async () => undefined,
  };
  return { client: client as unknown as postgres.Sql, sent };
}

describe("resilient", () => {
  const quick = { sleep: async () => {} };

  it("sends a read again after a lost socket, and a write only after the server's 57P01", async () => {
    const lost = (_: string, attempt: number) => (attempt === 1 ? failure("CONNECTION_CLOSED") : [{ ok: 1 }]);
    const { client, sent } = fakeClient(lost);
    const sql = resilient(client, quick);
    await expect(sql.unsafe(`select 1 as ok`)).resolves.toEqual([{ ok: 1 }]);
    await expect(sql.unsafe(`insert into t values (1)`)).rejects.toMatchObject({ code: "CONNECTION_CLOSED" });
    await expect(sql.unsafe(`update t set a = 1`).values()).rejects.toMatchObject({
      code: "CONNECTION_CLOSED",
    });
    expect(sent).toEqual([
      `select 1 as ok`,
      `select 1 as ok`,
      `insert into t values (1)`,
      `update t set a = 1`,
    ]);

    const refused = (_: string, attempt: number) => (attempt === 1 ? failure("57P01") : [{ ok: 2 }]);
    const other = fakeClient(refused);
    await expect(resilient(other.client, quick).unsafe(`insert into t values (2)`)).resolves.toEqual([
      { ok: 2 },
    ]);
  });

  it("sends a write again after a lost socket when the server had ended its session", async () => {
    const watch = new SessionWatch();
    watch.read(Buffer.concat([keyData(4242, 1), ready, errorResponse("FATAL", "57P01")]));
    const lost = (_: string, attempt: number) => (attempt === 1 ? failure("ECONNRESET") : [{ ok: 3 }]);
    const { client, sent } = fakeClient(lost, 4242);
    await expect(resilient(client, quick).unsafe(`insert into t values (3)`)).resolves.toEqual([{ ok: 3 }]);
    expect(sent).toHaveLength(2);
    watch.closed();
  });

  it("retries a transaction only while its BEGIN failed", async () => {
    let calls = 0;
    const before = {
      begin: async (fn: (sql: unknown) => unknown) => {
        if (++calls === 1) throw failure("ECONNRESET");
        return fn({});
      },
    } as unknown as postgres.Sql;
    await expect(resilient(before, quick).begin(async () => "done")).resolves.toBe("done");
    expect(calls).toBe(2);

    let runs = 0;
    const during = {
      begin: async (fn: (sql: unknown) => unknown) => {
        await fn({});
        throw failure("57P01");
      },
    } as unknown as postgres.Sql;
    await expect(resilient(during, quick).begin(async () => void runs++)).rejects.toMatchObject({
      code: "57P01",
    });
    expect(runs).toBe(1);
  });
});
