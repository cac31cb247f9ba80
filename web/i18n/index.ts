/**
 * i18next with Japanese (default) and English. The first visit follows the
 * browser's languages (what it sends as Accept-Language); the switch remembers
 * the choice in localStorage and tells the API (Accept-Language on every call).
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { z } from 'zod';
import { zodErrorMap } from '../../src/i18n/issues.ts';
import { en } from './en.ts';
import { ja } from './ja.ts';
import type { Lang } from './lang.ts';
import { moduleMessages } from './modules.ts';

export type { Lang };
const KEY = 'hoshu.lang';

export function initialLang(): Lang {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(KEY) : null;
  if (saved === 'ja' || saved === 'en') return saved;
  for (const l of navigator.languages ?? [navigator.language]) {
    const base = l.toLowerCase().slice(0, 2);
    if (base === 'ja' || base === 'en') return base;
  }
  return 'ja';
}

export function setLang(lang: Lang): void {
  localStorage.setItem(KEY, lang);
  void i18n.changeLanguage(lang);
}

void i18n.use(initReactI18next).init({
  resources: { ja: { translation: { ...ja, ...moduleMessages('ja') } }, en: { translation: { ...en, ...moduleMessages('en') } } },
  lng: initialLang(),
  fallbackLng: 'ja',
  interpolation: { escapeValue: false },
  returnNull: false,
});

/**
 * zod's own messages (a form checked with a contract schema) in the UI language,
 * from the same templates the server answers with; switched with the language.
 */
function configureZod(l: string): void {
  z.config({ customError: zodErrorMap(l === 'en' ? 'en' : 'ja') });
}

i18n.on('languageChanged', (l) => {
  document.documentElement.lang = l;
  configureZod(l);
});
document.documentElement.lang = i18n.language;
configureZod(i18n.language);

export default i18n;
