import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { civilFromDayNumber, dayNumberFromCivil } from '../../src/core/time/civil.ts';
import fc from 'fast-check';
import { formatInstant, instantOfLocal, localDayNumberOf, minuteFormatter, parseInstant } from '../../src/core/time/zone.ts';

describe('zone conversion', () => {
  it.each(['Asia/Tokyo', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata'])(
    'every existing wall time of 2026 in %s round-trips (every 15 minutes near DST switches)',
    (zone) => {
      for (let day = dayNumberFromCivil(2026, 1, 1); day < dayNumberFromCivil(2027, 1, 1); day++) {
        const c = civilFromDayNumber(day);
        const nearSwitch = [3, 4, 9, 10, 11].includes(c.month);
        for (let m = 0; m < 1440; m += nearSwitch ? 15 : 360) {
          const wall = DateTime.fromObject({ year: c.year, month: c.month, day: c.day, hour: Math.floor(m / 60), minute: m % 60 }, { zone });
          const t = instantOfLocal(zone, day, m);
          const back = DateTime.fromMillis(t, { zone });
          if (wall.isValid && back.hour * 60 + back.minute === m) continue;
          // Only a wall time skipped by a switch may differ, and it moves forward by the gap.
          expect(back.toMillis()).toBeGreaterThan(instantOfLocal(zone, day, m - 15));
          expect(back.hour * 60 + back.minute).toBeGreaterThan(m);
        }
      }
    },
  );
  it('takes the earlier instant of a repeated wall time and moves a skipped one forward', () => {
    expect(formatInstant('America/New_York', instantOfLocal('America/New_York', dayNumberFromCivil(2026, 11, 1), 90))).toBe('2026-11-01T01:30:00-04:00');
    expect(formatInstant('America/New_York', instantOfLocal('America/New_York', dayNumberFromCivil(2026, 3, 8), 150))).toBe('2026-03-08T03:30:00-04:00');
    expect(formatInstant('Europe/London', instantOfLocal('Europe/London', dayNumberFromCivil(2026, 10, 25), 60))).toBe('2026-10-25T01:00:00+01:00');
    expect(formatInstant('Asia/Tokyo', instantOfLocal('Asia/Tokyo', dayNumberFromCivil(2026, 5, 1), 1440))).toBe('2026-05-02T00:00:00+09:00');
  });
  it('formats with the offset in force and finds the local day', () => {
    const t = Date.parse('2026-03-08T06:59:59Z');
    expect(formatInstant('America/New_York', t)).toBe('2026-03-08T01:59:59-05:00');
    expect(formatInstant('America/New_York', t + 1000)).toBe('2026-03-08T03:00:00-04:00');
    expect(formatInstant('Asia/Tokyo', Date.parse('2026-05-01T09:00:00.250Z'))).toBe('2026-05-01T18:00:00.250+09:00');
    expect(localDayNumberOf('Asia/Tokyo', Date.parse('2025-12-31T15:00:00Z'))).toBe(dayNumberFromCivil(2026, 1, 1));
  });
  it('reads instants with an offset as absolute and without one as wall time in the zone', () => {
    expect(parseInstant('2026-05-01T17:50:00+09:00', 'UTC')).toBe(Date.parse('2026-05-01T08:50:00Z'));
    expect(parseInstant('2026-05-01T17:50', 'Asia/Tokyo')).toBe(Date.parse('2026-05-01T08:50:00Z'));
    expect(parseInstant('2026-05-01T17:50:00Z', 'Asia/Tokyo')).toBe(Date.parse('2026-05-01T17:50:00Z'));
    expect(parseInstant('yesterday', 'Asia/Tokyo')).toBeNull();
    expect(parseInstant('2026-02-30T10:00:00', 'Asia/Tokyo')).toBeNull();
  });
});

describe('minuteFormatter (the report\'s instants)', () => {
  const around = Date.parse('2026-11-01T00:00:00+09:00');
  const DAY = 86_400_000;
  // Instants to the millisecond, mostly within the formatter's window (DST switches of 2025–2028 in these zones),
  // some years away from it, where it asks the zone for each instant.
  const instant = fc.oneof(
    fc.integer({ min: around - 900 * DAY, max: around + 900 * DAY }),
    fc.integer({ min: around - 20 * 365 * DAY, max: around + 20 * 365 * DAY }),
  );
  it.each(['Asia/Tokyo', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns'])(
    'writes what formatInstant writes, to the minute, in %s',
    (zone) => {
      const at = minuteFormatter(zone, around);
      fc.assert(fc.property(fc.array(instant, { minLength: 1, maxLength: 50 }), (xs) => {
        for (const x of xs) expect(at(x)).toBe(formatInstant(zone, x).slice(0, 16).replace('T', ' '));
      }), { numRuns: 300 });
    },
  );
  it('around an offset change: every minute of the switch days', () => {
    for (const [zone, day] of [['America/New_York', '2026-11-01'], ['America/New_York', '2026-03-08'], ['Europe/London', '2026-10-25'], ['Australia/Lord_Howe', '2026-04-05']] as const) {
      const at = minuteFormatter(zone, around);
      const start = Date.parse(`${day}T00:00:00Z`) - DAY;
      for (let t = start; t < start + 3 * DAY; t += 60_000) expect(at(t)).toBe(formatInstant(zone, t).slice(0, 16).replace('T', ' '));
    }
  });
});
