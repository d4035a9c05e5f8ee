import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import { en } from "./en";
import { nb } from "./nb";

export const LANGUAGES = [
  { code: "nb", name: "Norsk" },
  { code: "en", name: "English" },
] as const;
export type Language = (typeof LANGUAGES)[number]["code"];

const CHOICE_KEY = "laurel.player.language";

/** nb for Norwegian in any of its tags (nb, no, nn, nb-NO), en for English; null for anything else. */
export function languageFor(locale: string | null | undefined): Language | null {
  const base = locale?.toLowerCase().split(/[-_]/)[0];
  if (base === "nb" || base === "no" || base === "nn") return "nb";
  if (base === "en") return "en";
  return null;
}

function browserLanguage(): Language {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const found = languageFor(tag);
    if (found) return found;
  }
  return "en";
}

function storedChoice(): Language | null {
  return languageFor(localStorage.getItem(CHOICE_KEY));
}

/**
 * Sets the language. A choice made with the switch is remembered and wins; otherwise the
 * organization's (or user's) locale decides, and the browser's before anyone signs in.
 */
export async function setLanguage(language: Language | null, remember: boolean) {
  if (remember && language) localStorage.setItem(CHOICE_KEY, language);
  const next = storedChoice() ?? language ?? browserLanguage();
  document.documentElement.lang = next;
  await i18n.changeLanguage(next);
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, nb: { translation: nb } },
  lng: storedChoice() ?? browserLanguage(),
  fallbackLng: "en",
  interpolation: { escapeValue: false },
  returnNull: false,
});
document.documentElement.lang = i18n.language;

export default i18n;
