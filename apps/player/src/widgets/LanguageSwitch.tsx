import { useTranslation } from "react-i18next";
import { type Language, LANGUAGES, setLanguage } from "../i18n";

/** Switches between Norwegian Bokmål and English; the choice is remembered on this device. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <label className="language">
      <span className="visually-hidden">{t("app.language")}</span>
      <select
        name="language"
        aria-label={t("app.language")}
        value={i18n.language}
        onChange={(e) => void setLanguage(e.target.value as Language, true)}
      >
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code}>
            {l.name}
          </option>
        ))}
      </select>
    </label>
  );
}
