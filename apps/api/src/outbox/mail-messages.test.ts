import { describe, expect, it } from "vitest";
import { mailLanguage } from "../mail.js";
import { awardMail, type Recipient, wrappedMail } from "./mail-messages.js";
import { MAIL_RETRY, retryDelayMs } from "./mailer.js";
import { PeopleLinks } from "./opt-out.js";

const to = (language: "en" | "nb"): Recipient => ({
  to: "ola@example.test",
  name: "Ola",
  organization: "Helping Hands Oslo",
  language,
  appUrl: "https://laurel.test/player/",
  optOutUrl: "https://laurel.test/email/opt-out?token=t",
});

describe("people's emails", () => {
  it.each([
    ["nb", null, "nb"],
    [null, "nb", "nb"],
    ["en", "nb", "en"],
    ["nn-NO", "en", "nb"],
    ["no", null, "nb"],
    ["", "nb", "nb"],
    [null, "sv", "en"],
    [null, null, "en"],
  ] as const)("user %s, organization %s: written in %s", (user, organization, language) => {
    expect(mailLanguage(user, organization)).toBe(language);
  });

  it("tell an award with its points and rewards, and end with the opt-out link", () => {
    const award = { achievement: "First win", points: 10, rewards: [{ name: "XP Boost", quantity: 2 }] };
    const en = awardMail(to("en"), award);
    expect(en.subject).toBe('You earned "First win"');
    expect(en.text).toBe(
      [
        "Hi Ola,",
        "",
        'You earned "First win" in Helping Hands Oslo.',
        "",
        "Points: +10",
        "Rewards:",
        "  2 × XP Boost",
        "",
        "See your badges: https://laurel.test/player/",
        "",
        "-- ",
        "You get this email because Helping Hands Oslo tells its members about badges and Wrapped by email.",
        "To stop these emails (sign-in codes still come): https://laurel.test/email/opt-out?token=t",
        "",
      ].join("\n"),
    );
    const nb = awardMail(to("nb"), { ...award, points: 0, rewards: [] });
    expect(nb.subject).toBe("Du har fått «First win»");
    expect(nb.text).not.toContain("Poeng");
    expect(nb.text).not.toContain("Belønninger");
    expect(nb.text).toContain(
      "Slå av disse e-postene (innloggingskoder kommer fortsatt): https://laurel.test/email/opt-out?token=t",
    );
  });

  it("link a Wrapped to the player app's screen of its year", () => {
    expect(wrappedMail(to("en"), 2025)).toMatchObject({
      subject: "Your 2025 Wrapped is ready",
      text: expect.stringContaining("See it here: https://laurel.test/player/wrapped?year=2025"),
    });
    expect(wrappedMail(to("nb"), 2025).subject).toBe("Din Wrapped for 2025 er klar");
  });

  it("are retried after 1 minute, twice as long each time up to 6 hours, with at most a tenth more", () => {
    const none = () => 0;
    expect([1, 2, 3, 9, 10, 11].map((n) => retryDelayMs(n, none) / 60_000)).toEqual([1, 2, 4, 256, 360, 360]);
    expect(retryDelayMs(1, () => 0.999)).toBeLessThanOrEqual(MAIL_RETRY.firstDelayMs * 1.1);
    const total = Array.from({ length: MAIL_RETRY.maxAttempts - 1 }, (_, i) =>
      retryDelayMs(i + 1, none),
    ).reduce((a, b) => a + b);
    // The last attempt comes about a day after the first.
    expect(total / 3_600_000).toBeGreaterThan(24);
    expect(total / 3_600_000).toBeLessThan(30);
  });
});

describe("opt-out tokens", () => {
  const links = new PeopleLinks("a-secret-that-is-long-enough-0123456789", "https://laurel.test");
  const id = "0b6f9a2e-8d1c-4a4e-9a51-2f4f1c7d9e10";

  it("carry the person they were made for, signed", () => {
    expect(links.verify(links.token(id))).toBe(id);
    expect(links.optOutUrl(id)).toBe(
      `https://laurel.test/email/opt-out?token=${encodeURIComponent(links.token(id))}`,
    );
  });

  it("refuse anything this server did not sign", () => {
    const [, mac] = links.token(id).split(".");
    const other = "7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
    const elsewhere = new PeopleLinks("another-secret-that-is-long-enough-0123", "https://laurel.test");
    for (const forged of [
      `${other}.${mac}`,
      `${id}.${mac!.slice(0, -1)}${mac!.endsWith("A") ? "B" : "A"}`,
      `${id}.`,
      id,
      `${id}.${mac}.x`,
      elsewhere.token(id),
      "",
      undefined,
      ["x"],
    ])
      expect(links.verify(forged)).toBeNull();
  });
});
