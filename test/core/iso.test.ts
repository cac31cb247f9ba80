import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoUtc } from '../../src/core/time/iso.ts';

describe('isoUtc', () => {
  it('writes exactly what Date#toISOString writes, for any instant of years 0000–9999', () => {
    fc.assert(fc.property(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), (ms) => {
      expect(isoUtc(ms)).toBe(new Date(ms).toISOString());
    }), { numRuns: 20_000, seed: 20261201 });
  });

  it('is exact at day, second and millisecond edges, before and after 1970', () => {
    for (const ms of [0, -1, 1, 86_399_999, 86_400_000, -86_400_000, -86_400_001, 999, 1000, Date.parse('2026-12-31T23:59:59.999Z'), Date.parse('1969-12-31T23:59:59.999Z'), -62_167_219_200_000, 253_402_300_799_999]) {
      expect(isoUtc(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it('leaves other years and fractions of a millisecond to Date', () => {
    expect(isoUtc(253_402_300_800_000)).toBe('+010000-01-01T00:00:00.000Z');
    expect(isoUtc(-62_167_219_200_001)).toBe('-000001-12-31T23:59:59.999Z');
    expect(isoUtc(1.5)).toBe(new Date(1.5).toISOString());
  });
});
