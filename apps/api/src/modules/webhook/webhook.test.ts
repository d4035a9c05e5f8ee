import { describe, expect, it } from "vitest";
import { urlProblem } from "./webhook.rules.js";

const dev = { production: false, allowPrivate: false };
const prod = { production: true, allowPrivate: false };
const rule = (url: string, options = dev) => urlProblem(url, options)?.rule;

describe("a webhook endpoint's URL", () => {
  it("is an absolute http(s) URL, https only in production", () => {
    expect(rule("https://hooks.example.org/laurel")).toBeUndefined();
    expect(rule("http://hooks.example.org/laurel")).toBeUndefined();
    expect(rule("http://hooks.example.org/laurel", prod)).toBe("url_https_required");
    expect(rule("https://hooks.example.org/laurel", prod)).toBeUndefined();
    expect(rule("hooks.example.org/laurel")).toBe("url_format");
    expect(rule("ftp://hooks.example.org/")).toBe("url_scheme");
    expect(rule("javascript:alert(1)")).toBe("url_scheme");
  });

  it("holds no credentials and fits 2048 characters", () => {
    expect(rule("https://user:pass@hooks.example.org/")).toBe("url_no_credentials");
    expect(rule("https://token@hooks.example.org/")).toBe("url_no_credentials");
    expect(rule(`https://hooks.example.org/${"a".repeat(2030)}`)).toBe("url_too_long");
  });

  it.each([
    "http://127.0.0.1:8080/hook",
    "http://10.0.0.1/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/hook",
    "http://[fd00:ec2::254]/",
    "http://localhost:3000/hook",
    "http://100.64.1.1/",
  ])("refuses the private address %s, and allows it with LAUREL_WEBHOOK_ALLOW_PRIVATE", (url) => {
    expect(rule(url)).toBe("url_private_address");
    expect(rule(url, { production: false, allowPrivate: true })).toBeUndefined();
  });
});
