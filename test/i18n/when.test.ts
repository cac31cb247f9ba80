import { describe, expect, it } from 'vitest';
import { when, whenRange } from '../../src/i18n/when.ts';

const at = (iso: string) => Date.parse(iso);

describe('instants in texts people read', () => {
  it('reads as the console shows it, in the zone of the contract, zone named by its short name', () => {
    expect(when('ja', at('2026-03-11T02:00:00+09:00'), 'Asia/Tokyo')).toBe('2026/03/11(水) 02:00 JST');
    expect(when('en', at('2026-03-11T02:00:00+09:00'), 'Asia/Tokyo')).toBe('Wed, 11 Mar 2026, 02:00 GMT+9');
    // Another zone: its own wall clock and date, not Tokyo's.
    expect(when('ja', at('2026-03-11T02:00:00+09:00'), 'America/New_York')).toBe('2026/03/10(火) 13:00 GMT-4');
    // With seconds where they matter (when a monitor first failed).
    expect(when('ja', at('2026-03-11T02:00:05+09:00'), 'Asia/Tokyo', { seconds: true })).toBe('2026/03/11(水) 02:00:05 JST');
  });

  it('a window on one day names the day once; across midnight both days', () => {
    expect(whenRange('ja', at('2026-03-11T02:00:00+09:00'), at('2026-03-11T04:00:00+09:00'), 'Asia/Tokyo')).toBe('2026/03/11(水) 02:00–04:00 JST');
    expect(whenRange('en', at('2026-03-11T22:00:00+09:00'), at('2026-03-12T01:30:00+09:00'), 'Asia/Tokyo')).toBe('Wed, 11 Mar 2026, 22:00 – Thu, 12 Mar 2026, 01:30 GMT+9');
  });
});
