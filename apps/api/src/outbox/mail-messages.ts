import type { MailLanguage } from "../mail.js";

/**
 * The emails people get about outbox events, in their language (English, Norwegian Bokmål): an award,
 * and their Wrapped being ready. Plain text; every one ends with its opt-out link.
 */

/** Whom an email goes to, and the links it carries. */
export type Recipient = {
  to: string;
  name: string;
  organization: string;
  language: MailLanguage;
  /** The player app (its badges screen). */
  appUrl: string;
  /** Turns these emails off for this person (opt-out.ts). */
  optOutUrl: string;
};

export type AwardFacts = {
  achievement: string;
  points: number;
  rewards: { name: string; quantity: number }[];
};

export type Mail = { to: string; subject: string; text: string };

const TEXTS = {
  en: {
    hello: (name: string) => `Hi ${name},`,
    awardSubject: (badge: string) => `You earned "${badge}"`,
    award: (badge: string, organization: string) => `You earned "${badge}" in ${organization}.`,
    points: (points: number) => `Points: +${points}`,
    rewards: "Rewards:",
    badges: (url: string) => `See your badges: ${url}`,
    wrappedSubject: (year: number) => `Your ${year} Wrapped is ready`,
    wrapped: (year: number, organization: string) => `Your ${year} with ${organization}, wrapped, is ready.`,
    wrappedLink: (url: string) => `See it here: ${url}`,
    footer: (organization: string, url: string) =>
      `You get this email because ${organization} tells its members about badges and Wrapped by email.\n` +
      `To stop these emails (sign-in codes still come): ${url}`,
  },
  nb: {
    hello: (name: string) => `Hei ${name},`,
    awardSubject: (badge: string) => `Du har fått «${badge}»`,
    award: (badge: string, organization: string) => `Du har fått merket «${badge}» i ${organization}.`,
    points: (points: number) => `Poeng: +${points}`,
    rewards: "Belønninger:",
    badges: (url: string) => `Se merkene dine: ${url}`,
    wrappedSubject: (year: number) => `Din Wrapped for ${year} er klar`,
    wrapped: (year: number, organization: string) =>
      `Året ditt ${year} med ${organization}, oppsummert, er klart.`,
    wrappedLink: (url: string) => `Se det her: ${url}`,
    footer: (organization: string, url: string) =>
      `Du får denne e-posten fordi ${organization} forteller medlemmene om merker og Wrapped på e-post.\n` +
      `Slå av disse e-postene (innloggingskoder kommer fortsatt): ${url}`,
  },
} as const;

const joined = (...blocks: (string | false)[]) =>
  `${blocks.filter((b): b is string => b !== false && b !== "").join("\n\n")}\n`;

/** `achievement.earned`: the badge, its points and rewards, and where to see it. */
export function awardMail(to: Recipient, award: AwardFacts): Mail {
  const t = TEXTS[to.language];
  const extras = [
    award.points > 0 ? t.points(award.points) : "",
    award.rewards.length > 0
      ? [t.rewards, ...award.rewards.map((r) => `  ${r.quantity} × ${r.name}`)].join("\n")
      : "",
  ].filter(Boolean);
  return {
    to: to.to,
    subject: t.awardSubject(award.achievement),
    text: joined(
      t.hello(to.name),
      t.award(award.achievement, to.organization),
      extras.length > 0 && extras.join("\n"),
      t.badges(to.appUrl),
      `-- \n${t.footer(to.organization, to.optOutUrl)}`,
    ),
  };
}

/** `summary.ready`: the year, and a link to the player app's Wrapped screen for it. */
export function wrappedMail(to: Recipient, year: number): Mail {
  const t = TEXTS[to.language];
  const url = `${to.appUrl}wrapped?year=${year}`;
  return {
    to: to.to,
    subject: t.wrappedSubject(year),
    text: joined(
      t.hello(to.name),
      t.wrapped(year, to.organization),
      t.wrappedLink(url),
      `-- \n${t.footer(to.organization, to.optOutUrl)}`,
    ),
  };
}

/** The opt-out page's words: done, or a link that is not valid. */
export const OPT_OUT_PAGE = {
  en: {
    title: "Emails turned off",
    invalidTitle: "Link not valid",
    done: (organization: string) =>
      `You will no longer get emails from ${organization} about badges and Wrapped. Sign-in codes still come.`,
    invalid: "This link is not valid: copy the whole link from the email.",
  },
  nb: {
    title: "E-poster slått av",
    invalidTitle: "Ugyldig lenke",
    done: (organization: string) =>
      `Du får ikke lenger e-post fra ${organization} om merker og Wrapped. Innloggingskoder kommer fortsatt.`,
    invalid: "Lenken er ikke gyldig: kopier hele lenken fra e-posten.",
  },
} as const;
