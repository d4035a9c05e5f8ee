import type { LookupAddress } from "node:dns";
import { describe, expect, it } from "vitest";
import {
  blockedRange,
  guardedLookup,
  literalAddress,
  RefusedAddress,
  refusedHost,
  type Resolve,
} from "./ssrf.js";

describe("blockedRange", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.8.9.10", "loopback"],
    ["10.0.0.1", "private"],
    ["172.16.5.4", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "linkLocal"],
    ["100.64.0.1", "carrierGradeNat"],
    ["0.0.0.0", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "linkLocal"],
    ["fc00::1", "uniqueLocal"],
    ["fd00:ec2::254", "uniqueLocal"],
    ["ff02::1", "multicast"],
    // An IPv4 address written as IPv6 is judged as itself.
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:169.254.169.254", "linkLocal"],
    ["::ffff:10.1.2.3", "private"],
  ])("refuses %s (%s)", (address, range) => {
    expect(blockedRange(address)).toBe(range);
  });

  it.each(["93.184.216.34", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])(
    "lets the public address %s through",
    (address) => {
      expect(blockedRange(address)).toBeUndefined();
    },
  );
});

describe("refusedHost (before any lookup)", () => {
  it("refuses literal private addresses and localhost names, unless allowed", () => {
    expect(refusedHost("127.0.0.1", false)?.range).toBe("loopback");
    expect(refusedHost("[::1]", false)?.range).toBe("loopback");
    expect(refusedHost("169.254.169.254", false)?.message).toBe(
      "refused: 169.254.169.254 is a linkLocal address",
    );
    expect(refusedHost("localhost", false)?.range).toBe("loopback");
    expect(refusedHost("api.localhost", false)?.range).toBe("loopback");
    expect(refusedHost("hooks.example.org", false)).toBeUndefined();
    expect(refusedHost("8.8.8.8", false)).toBeUndefined();
    expect(refusedHost("10.0.0.1", true)).toBeUndefined();
    expect(refusedHost("localhost", true)).toBeUndefined();
  });

  it("reads bracketed IPv6 hosts", () => {
    expect(literalAddress("[fe80::1]")).toBe("fe80::1");
    expect(literalAddress("example.org")).toBeUndefined();
  });
});

describe("guardedLookup (at connect time)", () => {
  const names: Record<string, LookupAddress[]> = {
    "public.test": [{ address: "93.184.216.34", family: 4 }],
    "inside.test": [{ address: "10.0.0.1", family: 4 }],
    "metadata.test": [{ address: "169.254.169.254", family: 4 }],
    // One public and one private address: refused, or a connection could be steered to the private one.
    "mixed.test": [
      { address: "93.184.216.34", family: 4 },
      { address: "127.0.0.1", family: 4 },
    ],
  };
  const resolve: Resolve = async (hostname) => names[hostname] ?? [];
  const look = (allowPrivate: boolean, hostname: string, all: boolean) =>
    new Promise<{ error: NodeJS.ErrnoException | null; address: unknown; family?: number }>((done) =>
      guardedLookup({ allowPrivate, resolve })(hostname, { all }, (error, address, family) =>
        done({ error, address, family }),
      ),
    );

  it("answers a public name's addresses in both of net's forms", async () => {
    expect(await look(false, "public.test", false)).toEqual({
      error: null,
      address: "93.184.216.34",
      family: 4,
    });
    expect((await look(false, "public.test", true)).address).toEqual(names["public.test"]);
  });

  it.each(["inside.test", "metadata.test", "mixed.test"])("refuses %s", async (name) => {
    const { error } = await look(false, name, true);
    expect(error).toBeInstanceOf(RefusedAddress);
    expect(error!.message).toMatch(new RegExp(`^refused: ${name.replace(".", "\\.")} resolves to `));
  });

  it("lets them through with LAUREL_WEBHOOK_ALLOW_PRIVATE", async () => {
    expect(await look(true, "inside.test", false)).toEqual({ error: null, address: "10.0.0.1", family: 4 });
    expect((await look(true, "metadata.test", false)).address).toBe("169.254.169.254");
  });

  it("fails a name without addresses", async () => {
    expect((await look(false, "nowhere.test", false)).error?.code).toBe("ENOTFOUND");
  });
});
