/**
 * A tiny translation helper. Messages live in ja.json / en.json (and one pair of
 * files per module, listed in catalog-files.ts) as nested objects;
 * keys are dotted paths ("errors.incident.not_found"). `{name}` placeholders are
 * filled from params. A missing key falls back to English, then to the key itself,
 * so a forgotten translation shows up as text rather than as a crash.
 */
import { CATALOG_FILES } from './catalog-files.ts';

export type Locale = 'ja' | 'en';
export const LOCALES: readonly Locale[] = ['ja', 'en'];
export const DEFAULT_LOCALE: Locale = 'ja';

type Tree = { [k: string]: string | Tree };

function flatten(tree: Tree, prefix = '', out = new Map<string, string>()): Map<string, string> {
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else flatten(v, key, out);
  }
  return out;
}

function merged(trees: readonly object[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const tree of trees) flatten(tree as Tree, '', out);
  return out;
}

const catalogs: Record<Locale, Map<string, string>> = {
  ja: merged(CATALOG_FILES.ja),
  en: merged(CATALOG_FILES.en),
};

export function hasKey(locale: Locale, key: string): boolean {
  return catalogs[locale].has(key);
}

export function keys(locale: Locale): string[] {
  return [...catalogs[locale].keys()];
}

type Fill = (params: Record<string, string | number>) => string;
const compiled = new Map<string, Fill>();

/**
 * A template split once at its `{name}` placeholders: filling it is then a concatenation, not a
 * regex replace per call (a big monthly report fills one per breach row). A name the params
 * lack stays as written.
 */
function compile(template: string): Fill {
  // With its capturing group, split keeps the names: literal, name, literal, …, literal.
  const parts = template.split(/\{(\w+)\}/);
  if (parts.length === 1) return () => template;
  return (params) => {
    let out = parts[0]!;
    for (let i = 1; i < parts.length; i += 2) {
      const name = parts[i]!;
      out += (name in params ? String(params[name]) : `{${name}}`) + parts[i + 1]!;
    }
    return out;
  };
}

export function t(locale: Locale, key: string, params: Record<string, string | number> = {}): string {
  const template = catalogs[locale].get(key) ?? catalogs.en.get(key);
  // Only the catalogues' templates are kept: a missing key (the key itself is shown) may carry a record's data.
  if (template === undefined) return compile(key)(params);
  let fill = compiled.get(template);
  if (fill === undefined) compiled.set(template, (fill = compile(template)));
  return fill(params);
}

/**
 * A word of a vocabulary (status, priority, category, channel, SLA state) standing alone — a
 * table cell, a CSV value, the value after a label ("Priority: Urgent") — rather than inside a
 * sentence ("is now in progress"): English starts it with a capital, as the console writes
 * it; Japanese has no case and is unchanged. The catalogues keep the sentence form.
 */
export function tLabel(locale: Locale, key: string, params: Record<string, string | number> = {}): string {
  return capitalised(locale, t(locale, key, params));
}

/** A translated word as it stands alone (a cell, a field's value): capital first letter in English. */
export function capitalised(locale: Locale, word: string): string {
  return locale === 'en' ? word.charAt(0).toUpperCase() + word.slice(1) : word;
}

/**
 * Picks ja or en from an Accept-Language header, honouring q-values
 * ("en-US,en;q=0.9,ja;q=0.8" → en). Unknown or missing → the default (ja).
 */
export function pickLocale(header: string | undefined | null): Locale {
  if (!header) return DEFAULT_LOCALE;
  let best: { locale: Locale; q: number } | null = null;
  for (const part of header.split(',')) {
    const [tag, ...rest] = part.trim().split(';');
    const lang = (tag ?? '').trim().toLowerCase().split('-')[0];
    if (lang !== 'ja' && lang !== 'en') continue;
    let q = 1;
    for (const p of rest) {
      const [k, v] = p.trim().split('=');
      if (k === 'q' && v !== undefined) q = Number(v);
    }
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { locale: lang, q };
  }
  return best?.locale ?? DEFAULT_LOCALE;
}
