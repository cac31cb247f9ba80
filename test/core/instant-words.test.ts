/**
 * One instant formatter for the web and the server (src/core/time/instant-words.ts): the
 * console and portal (web/lib/format.ts formatInstant) and the mails, chat messages and error
 * messages (src/i18n/when.ts) write the same instant in the same words, in every zone and
 * both languages, so they cannot drift.
 */
import { describe, expect, it } from 'vitest';
import * as core from '../../src/core/time/instant-words.ts';
import * as server from '../../src/i18n/when.ts';
import { formatInstant } from '../../web/lib/format.ts';

const at = (iso: string) => Date.parse(iso);
const ZONES = ['Asia/Tokyo', 'UTC', 'America/New_York', 'Europe/London', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham'];

describe('instant words, written once', () => {
  it('reads as today in both languages, with and without the zone', () => {
    expect(core.when('ja', at('2026-03-11T02:00:00+09:00'), 'Asia/Tokyo')).toBe('2026/03/11(水) 02:00 JST');
    expect(core.when('en', at('2026-03-11T02:00:00+09:00'), 'Asia/Tokyo')).toBe('Wed, 11 Mar 2026, 02:00 GMT+9');
    expect(core.when('ja', at('2026-03-11T02:00:00+09:00'), 'Asia/Tokyo', { withZone: false })).toBe('2026/03/11(水) 02:00');
    expect(core.when('en', at('2026-03-11T02:00:00+09:00'), 'Asia/Tokyo', { withZone: false })).toBe('Wed, 11 Mar 2026, 02:00');
  });

  it('the server re-exports the core formatter rather than keeping its own', () => {
    expect(server.when).toBe(core.when);
    expect(server.whenRange).toBe(core.whenRange);
    expect(server.zoneAbbreviation).toBe(core.zoneAbbreviation);
  });

  it('the web writes every instant as the server does, across zones, DST switches and both languages', () => {
    const start = at('2025-01-01T00:00:00Z');
    for (const zone of ZONES) {
      for (const lang of ['ja', 'en'] as const) {
        // Every 53 h 17 min for two years: all weekdays, hours and both sides of each DST switch.
        for (let ms = start; ms < start + 2 * 365 * 86_400_000; ms += (53 * 60 + 17) * 60_000) {
          const iso = new Date(ms).toISOString();
          expect(formatInstant(iso, zone, lang)).toBe(core.when(lang, ms, zone));
          expect(formatInstant(iso, zone, lang, false)).toBe(core.when(lang, ms, zone, { withZone: false }));
        }
      }
    }
  });
});
