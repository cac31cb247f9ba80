/**
 * Checks of command-line input before anything is opened or written: a bad value is
 * refused with one translated line naming the option and the value (exit 1), the
 * same rules as the API (the contract's zod schemas) where there is one.
 */
import { Email } from '../contract/common.ts';
import type { Config } from '../config.ts';
import { redactUrl } from '../config.ts';
import { t } from '../i18n/index.ts';
import { cliLocale, fail } from './cli-support.ts';

const refuse = (key: string, params: Record<string, string> = {}): never => fail(new Error(t(cliLocale(), key, params)));

/** The e-mail address as the API would take it (trimmed), or a refusal. */
export function emailOption(raw: string): string {
  const email = raw.trim();
  if (!Email.safeParse(email).success) refuse('cli.invalidEmail', { email: raw });
  return email;
}

export function roleOption(raw: string): 'admin' | 'agent' | 'contact' {
  if (raw !== 'admin' && raw !== 'agent' && raw !== 'contact') refuse('cli.badRole', { role: raw });
  return raw as 'admin' | 'agent' | 'contact';
}

export function localeOption(raw: string): 'ja' | 'en' {
  if (raw !== 'ja' && raw !== 'en') refuse('cli.badLocale', { locale: raw });
  return raw as 'ja' | 'en';
}

/** A free-text option given but blank (`--name ""`) is a mistake, not "use the default". */
export function textOption(option: string, raw: string | undefined): string | undefined {
  if (raw !== undefined && raw.trim() === '') refuse('cli.emptyOption', { option });
  return raw?.trim();
}

/** Which data the command opened, for "not found" answers: the SQLite file, or PostgreSQL without its password. */
export function openedData(config: Pick<Config, 'database'>): string {
  return config.database.dialect === 'sqlite' ? config.database.file : `PostgreSQL ${redactUrl(config.database.url)}`;
}
