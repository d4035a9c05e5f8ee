import { describe, expect, it } from "vitest";
import { addressKey, delayMs, policies } from "./throttle.js";

describe("addressKey", () => {
  it("keeps IPv4 addresses whole, also when written IPv4-mapped", () => {
    expect(addressKey("203.0.113.7")).toBe("203.0.113.7");
    expect(addressKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
  });

  it("counts an IPv6 address by its /64, however it is written", () => {
    const key = "2001:db8:1:2::/64";
    for (const written of [
      "2001:db8:1:2::a",
      "2001:db8:1:2:ffff:ffff:ffff:ffff",
      "2001:0db8:0001:0002:0000:0000:0000:0001",
      "2001:DB8:1:2::1.2.3.4",
    ])
      expect(addressKey(written), written).toBe(key);
    expect(addressKey("2001:db8:1:3::a")).not.toBe(key);
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
    expect(addressKey("fe80::1")).toBe("fe80:0:0:0::/64");
  });

  it("leaves what is not an address as it is", () => {
    expect(addressKey("unknown")).toBe("unknown");
  });
});

describe("policies", () => {
  it("never delays the account's own counter beyond a minute, whatever the operator sets", () => {
    const rules = policies({ maxFailures: 5, maxDelaySeconds: 86_400 });
    expect(delayMs(rules.account, 1_000)).toBe(60_000);
    expect(delayMs(rules.pair, 1_000)).toBe(86_400_000);
    expect(delayMs(rules.codeEmail, 1_000)).toBe(5 * 60_000);
  });
});
