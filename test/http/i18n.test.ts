import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasKey, keys, pickLocale, t } from '../../src/i18n/index.ts';

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every error code the code base can throw, found in the source. */
function thrownCodes(): string[] {
  const codes = new Set<string>();
  for (const f of sourceFiles(path.resolve(import.meta.dirname, '../../src'))) {
    const src = fs.readFileSync(f, 'utf8');
    for (const m of src.matchAll(/(?:AppError|invalid)\(\s*'([a-z_]+\.[a-z_.]+)'/g)) codes.add(m[1]!);
    for (const m of src.matchAll(/notFound\(\s*'([a-z_]+)'\s*\)/g)) codes.add(`${m[1]}.not_found`);
  }
  return [...codes].sort();
}

describe('i18n', () => {
  it('has a ja and an en message for every error code thrown anywhere in src/', () => {
    const codes = thrownCodes();
    expect(codes.length).toBeGreaterThan(20);
    const missing = codes.flatMap((c) => (['ja', 'en'] as const).filter((l) => !hasKey(l, `errors.${c}`)).map((l) => `${l}: errors.${c}`));
    expect(missing).toEqual([]);
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
