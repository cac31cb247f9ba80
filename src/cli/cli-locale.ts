import type { Locale } from '../i18n/index.ts';

/**
 * The language of people-facing CLI output, from the POSIX locale (LC_ALL, then
 * LC_MESSAGES, then LANG): ja_JP.UTF-8 → Japanese, anything else → English, since a
 * terminal without a Japanese locale may not even show Japanese.
 */
export function cliLocale(env: NodeJS.ProcessEnv = process.env): Locale {
  const tag = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^ja([_.@-]|$)/i.test(tag) ? 'ja' : 'en';
}
