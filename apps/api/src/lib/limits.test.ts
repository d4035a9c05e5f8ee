import { describe, expect, it } from "vitest";
import { isSafeLink } from "./formats.js";
import { jsonProblem, jsonSize, LIMITS } from "./limits.js";

describe("jsonSize", () => {
  it("is the length of the JSON text, near enough", () => {
    for (const value of [{ a: "x", b: [1, 2, { c: true }] }, ["s", null, 12.5], "text", { "": {} }]) {
      const exact = JSON.stringify(value).length;
      expect(Math.abs(jsonSize(value) - exact)).toBeLessThanOrEqual(exact * 0.25 + 4);
    }
  });

  it("stops counting once it passes the limit", () => {
    const huge = Array.from({ length: 20_000 }, (_, i) => ({ [`k${i}`]: "v".repeat(100) }));
    const measured = jsonSize(huge, 1000);
    expect(measured).toBeGreaterThan(1000);
    expect(measured).toBeLessThan(JSON.stringify(huge).length / 10);
  });
});

describe("jsonProblem", () => {
  it("names size, depth and NUL", () => {
    expect(jsonProblem("f", { a: "x".repeat(LIMITS.json.bytes) })?.rule).toBe("too_large");
    let deep: Record<string, unknown> = {};
    for (let i = 0; i <= LIMITS.json.depth; i++) deep = { d: deep };
    expect(jsonProblem("f", deep)?.rule).toBe("too_deep");
    expect(jsonProblem("f", { a: ["ok", "n\u0000"] })?.rule).toBe("nul_character");
    expect(jsonProblem("f", { "k\u0000": 1 })?.rule).toBe("nul_character");
    expect(jsonProblem("f", { period: "all_time", nested: { list: [1, 2, 3] } })).toBeUndefined();
  });
});

describe("isSafeLink", () => {
  it("takes https, http outside production, and Laurel's upload paths", () => {
    const upload = "/uploads/0b8f4a52-64b4-4c4e-9d8e-2c9c7c6f6a11";
    for (const production of [true, false]) {
      expect(isSafeLink("https://cdn.example.org/a.png", production)).toBe(true);
      expect(isSafeLink(upload, production)).toBe(true);
      for (const bad of [
        "javascript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<b>x</b>",
        "data:image/png;base64,AAAA",
        "vbscript:x",
        "/uploads/../admin",
        "/badges/a.png",
        "//evil.example/a.png",
        "https://exa mple.org/a.png",
        "https://",
      ]) {
        expect(isSafeLink(bad, production), bad).toBe(false);
      }
    }
    expect(isSafeLink("http://localhost:4000/a.png", false)).toBe(true);
    expect(isSafeLink("http://cdn.example.org/a.png", true)).toBe(false);
  });
});
