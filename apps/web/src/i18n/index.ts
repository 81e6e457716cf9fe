import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import dayjs from 'dayjs';
import 'dayjs/locale/vi';
import 'dayjs/locale/en';
import vi from './vi.json';
import en from './en.json';

/**
 * Feature dictionaries: every `<feature>.vi.json` / `<feature>.en.json` beside this file is
 * merged over the base ones, so features add their strings without editing a shared file.
 */
type Dictionary = Record<string, unknown>;
const featureFiles = import.meta.glob<Dictionary>('./*.{vi,en}.json', { eager: true, import: 'default' });
function featureStrings(lng: 'vi' | 'en'): Dictionary {
  const merged: Dictionary = {};
  for (const [path, dict] of Object.entries(featureFiles).sort(([a], [b]) => a.localeCompare(b))) {
    if (path.endsWith(`.${lng}.json`)) Object.assign(merged, dict);
  }
  return merged;
}

export const LANGUAGES = ['vi', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_STORAGE_KEY = 'motcua.lang';

function readStoredLanguage(): Language {
  try {
    const stored = window.localStorage.getItem(LANGUAGE_STORAGE_KEY);
    return stored === 'en' ? 'en' : 'vi';
  } catch {
    return 'vi';
  }
}

function applyToDocument(lng: string): void {
  document.documentElement.lang = lng;
  dayjs.locale(lng === 'en' ? 'en' : 'vi');
}

export function currentLanguage(): Language {
  return i18next.language === 'en' ? 'en' : 'vi';
}

/** Switch the interface language and remember the choice on this device. */
export async function setLanguage(lng: Language): Promise<void> {
  try {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, lng);
  } catch {
    // Private browsing may refuse storage; the switch still applies to this page.
  }
  await i18next.changeLanguage(lng);
}

i18next.on('languageChanged', applyToDocument);

void i18next.use(initReactI18next).init({
  resources: { vi: { translation: { ...vi, ...featureStrings('vi') } }, en: { translation: { ...en, ...featureStrings('en') } } },
  lng: readStoredLanguage(),
  fallbackLng: 'vi',
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false },
});
applyToDocument(i18next.language);

export default i18next;
