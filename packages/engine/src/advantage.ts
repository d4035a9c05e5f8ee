/**
 * The advantage calculator (seed 004): what a peer mentor's volunteer work in a year is worth.
 *
 * Formula, version 2026.1:
 * - estimated monetary value = hours × the organization's hourly rate for that year;
 * - breakdown: per benefit category, quantity × rate, the quantity being the year's hours, activities
 *   or distinct contacts as the category says;
 * - social impact score = activities × 1 + hours × 2 + contacts helped × 5 + achievement points × 0.5.
 * Amounts are rounded to 0.01. A new formula gets a new version; stored rows keep the one they used.
 */
export const CALCULATION_VERSION = "2026.1";

export const IMPACT_WEIGHTS = { activities: 1, hours: 2, contacts: 5, points: 0.5 } as const;

export type Basis = "hours" | "activities" | "contacts";
export type BenefitCategory = { key: string; label: string; basis: Basis; rate: number };
export type AdvantageTotals = { activities: number; hours: number; contacts: number; points: number };
export type AdvantageParameters = {
  hourlyRate: number;
  currency: string;
  source: string;
  benefitCategories: readonly unknown[];
};
export type BreakdownItem = {
  key: string;
  label: string;
  basis: Basis;
  quantity: number;
  rate: number;
  value: number;
};

export type Advantage = {
  estimatedMonetaryValue: number | null;
  socialImpactScore: number;
  breakdown: BreakdownItem[];
  /** Benefit categories that were not of the expected shape (seed 004's advantage_breakdown_schema). */
  skippedCategories: number;
  calculationVersion: string;
};

const cents = (n: number) => Math.round(n * 100) / 100;

export function isBenefitCategory(value: unknown): value is BenefitCategory {
  const c = value as BenefitCategory;
  return (
    typeof c === "object" &&
    c !== null &&
    typeof c.key === "string" &&
    c.key.length > 0 &&
    typeof c.label === "string" &&
    (c.basis === "hours" || c.basis === "activities" || c.basis === "contacts") &&
    typeof c.rate === "number" &&
    Number.isFinite(c.rate) &&
    c.rate >= 0
  );
}

export function socialImpactScore(t: AdvantageTotals): number {
  const w = IMPACT_WEIGHTS;
  return cents(
    t.activities * w.activities + t.hours * w.hours + t.contacts * w.contacts + t.points * w.points,
  );
}

export function advantageOf(totals: AdvantageTotals, parameters: AdvantageParameters | null): Advantage {
  const categories = parameters?.benefitCategories ?? [];
  const valid = categories.filter(isBenefitCategory);
  return {
    estimatedMonetaryValue: parameters ? cents(totals.hours * parameters.hourlyRate) : null,
    socialImpactScore: socialImpactScore(totals),
    breakdown: valid.map((c) => {
      const quantity =
        c.basis === "hours" ? totals.hours : c.basis === "activities" ? totals.activities : totals.contacts;
      return {
        key: c.key,
        label: c.label,
        basis: c.basis,
        quantity,
        rate: c.rate,
        value: cents(quantity * c.rate),
      };
    }),
    skippedCategories: categories.length - valid.length,
    calculationVersion: CALCULATION_VERSION,
  };
}
