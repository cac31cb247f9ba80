import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ISSUE_RULES, SERVICE_ISSUE_CODES, ZOD_ISSUE_CODES, isErrorCode } from '../../src/contract/errors.ts';
import { hasKey, keys, pickLocale, t } from '../../src/i18n/index.ts';
import { renderIssue } from '../../src/i18n/issues.ts';

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}
const sources = () => sourceFiles(path.resolve(import.meta.dirname, '../../src')).map((f) => fs.readFileSync(f, 'utf8'));

/** Every error code the code base can throw, found in the source (tsc checks the same through `ErrorCode`). */
function thrownCodes(): string[] {
  const codes = new Set<string>();
  for (const src of sources()) {
    for (const m of src.matchAll(/(?:AppError|invalid)\(\s*'([a-z_]+\.[a-z_.]+)'/g)) codes.add(m[1]!);
    for (const m of src.matchAll(/notFound\(\s*'([a-z_]+)'\s*\)/g)) codes.add(`${m[1]}.not_found`);
  }
  return [...codes].sort();
}

describe('i18n', () => {
  it('has a ja and an en message for every code of the error catalogue, and no message for a code outside it', () => {
    expect(ERROR_CODES.length).toBeGreaterThan(40);
    const missing = ERROR_CODES.flatMap((c) => (['ja', 'en'] as const).filter((l) => !hasKey(l, `errors.${c}`)).map((l) => `${l}: errors.${c}`));
    expect(missing).toEqual([]);
    const stray = keys('en').filter((k) => k.startsWith('errors.') && !isErrorCode(k.slice('errors.'.length)));
    expect(stray).toEqual([]);
  });

  it('every error code thrown anywhere in src/ is in the catalogue', () => {
    const codes = thrownCodes();
    expect(codes.length).toBeGreaterThan(20);
    expect(codes.filter((c) => !isErrorCode(c))).toEqual([]);
  });

  it('every issue code and every custom rule has a ja and an en template, and every rule used in src/ is listed', () => {
    const templates = [...SERVICE_ISSUE_CODES, ...ZOD_ISSUE_CODES].map((c) => `issues.${c}`).concat(ISSUE_RULES.map((r) => `issues.rule.${r}`));
    for (const l of ['ja', 'en'] as const) {
      const have = keys(l);
      expect(templates.filter((k) => !have.some((h) => h === k || h.startsWith(`${k}.`))), l).toEqual([]);
    }
    const used = new Set<string>();
    for (const src of sources()) for (const m of src.matchAll(/rule(?:: |\()'([a-z_]+)'/g)) used.add(m[1]!);
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((r) => !(ISSUE_RULES as readonly string[]).includes(r))).toEqual([]);
  });

  it('renders issues with their params in the reader\'s language', () => {
    expect(renderIssue('ja', 'too_small', { origin: 'string', minimum: 12 })).toBe('12 文字以上で入力してください。');
    expect(renderIssue('en', 'too_small', { origin: 'string', minimum: 12 })).toBe('Must be at least 12 characters.');
    // An empty required field (text or select) is "required", not "at least 1 character".
    expect(renderIssue('ja', 'too_small', { origin: 'string', minimum: 1 })).toBe('入力してください。');
    expect(renderIssue('en', 'too_small', { origin: 'string', minimum: 1 })).toBe('Required.');
    expect(renderIssue('ja', 'invalid_value', { values: 'a, b' })).toContain('a, b');
    expect(renderIssue('ja', 'invalid_type', { expected: 'string' })).toBe('無効な入力：文字列を指定してください。');
    expect(renderIssue('ja', 'custom', { rule: 'after_start' })).toBe('開始より後にしてください。');
    expect(renderIssue('ja', 'invalid', { issue: 'custom', rule: 'time_zone' })).toMatch(/タイムゾーン/);
    expect(renderIssue('ja', 'no_such_code')).toBe(t('ja', 'issues.invalid'));
  });

  it('ja.json and en.json have the same keys and the same placeholders', () => {
    expect(keys('ja').sort()).toEqual(keys('en').sort());
    for (const k of keys('en')) {
      const ph = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(ph(t('ja', k)), k).toEqual(ph(t('en', k)));
    }
  });

  it('picks the language from Accept-Language with q-values, Japanese by default', () => {
    expect(pickLocale(undefined)).toBe('ja');
    expect(pickLocale('fr-FR, de')).toBe('ja');
    expect(pickLocale('en-GB')).toBe('en');
    expect(pickLocale('ja;q=0.4, en;q=0.8')).toBe('en');
    expect(pickLocale('en;q=0, ja')).toBe('ja');
    expect(t('en', 'errors.auth.rate_limited', { seconds: 30 })).toBe('Too many sign-in attempts; try again in 30 seconds.');
  });
});
