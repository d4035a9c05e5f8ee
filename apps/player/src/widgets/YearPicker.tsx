import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { currentYear } from "../lib/format";
import { useSession } from "../session/SessionProvider";

/** The year in the address (?year=), by default the last full year; a picker over the last five. */
export function useYear(defaultOffset: number) {
  const { viewer } = useSession();
  const [params, setParams] = useSearchParams();
  const thisYear = currentYear(viewer?.organization?.timeZone);
  const asked = Number(params.get("year"));
  const year =
    Number.isInteger(asked) && asked >= 2000 && asked <= thisYear ? asked : thisYear - defaultOffset;
  const years = Array.from({ length: 5 }, (_, i) => thisYear - i);
  return { year, years, thisYear, setYear: (y: number) => setParams({ year: String(y) }) };
}

export function YearPicker({
  year,
  years,
  onChange,
}: {
  year: number;
  years: number[];
  onChange: (year: number) => void;
}) {
  const { t } = useTranslation();
  return (
    <label className="year-picker">
      {t("wrapped.year")}
      <select name="year" value={year} onChange={(e) => onChange(Number(e.target.value))}>
        {years.map((y) => (
          <option key={y} value={y}>
            {y}
          </option>
        ))}
      </select>
    </label>
  );
}
