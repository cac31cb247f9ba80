/** The UI languages (its own file so web/lib/format.ts, tested under Node, needs nothing of the browser's i18n setup). */
export type Lang = 'ja' | 'en';
