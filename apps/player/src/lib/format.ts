import { useTranslation } from "react-i18next";
import { useSession } from "../session/SessionProvider";

/** Numbers, money, percentages and dates in the chosen language and the organization's time zone. */
export function useFormat() {
  const { i18n } = useTranslation();
  const { viewer } = useSession();
  const locale = i18n.language;
  const timeZone = viewer?.organization?.timeZone;
  const currency = viewer?.organization?.currency ?? "EUR";

  return {
    locale,
    number: (value: number, digits = 1) =>
      new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value),
    money: (value: number, code = currency) =>
      new Intl.NumberFormat(locale, { style: "currency", currency: code, maximumFractionDigits: 0 }).format(
        value,
      ),
    rate: (value: number, code = currency) =>
      new Intl.NumberFormat(locale, { style: "currency", currency: code }).format(value),
    percent: (share: number) =>
      new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 }).format(share),
    date: (iso: string) =>
      new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone }).format(new Date(iso)),
    /** A YYYY-MM-DD calendar day, already in the organization's zone. */
    day: (ymd: string) =>
      new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(
        new Date(`${ymd}T00:00:00Z`),
      ),
    month: (month: number, style: "long" | "short" = "long") =>
      new Intl.DateTimeFormat(locale, { month: style, timeZone: "UTC" }).format(
        new Date(Date.UTC(2000, month - 1, 1)),
      ),
  };
}

/** The current calendar year where the organization is. */
export function currentYear(timeZone: string | undefined): number {
  const year = new Intl.DateTimeFormat("en", { year: "numeric", timeZone }).format(new Date());
  return Number(year);
}

/** Today's YYYY-MM-DD where the organization is. */
export function today(timeZone: string | undefined): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone }).format(new Date());
}
