/**
 * Japanese public holidays (including substitute and citizens' holidays) from the
 * bundled @holiday-jp/holiday_jp table. The table ends at a fixed year; past it we
 * refuse to answer rather than silently say "not a holiday".
 */
import holidayJp from '@holiday-jp/holiday_jp';
import { parseIsoDate } from '../time/civil.ts';

const dayNumbers = new Set<number>();
const names = new Map<number, { ja: string; en: string }>();
let lastYear = 0;
let firstYear = Number.POSITIVE_INFINITY;
for (const h of Object.values(holidayJp.holidays)) {
  const d = parseIsoDate(h.date);
  if (d === null) continue;
  dayNumbers.add(d);
  names.set(d, { ja: h.name, en: h.name_en });
  const year = Number(h.date.slice(0, 4));
  if (year > lastYear) lastYear = year;
  if (year < firstYear) firstYear = year;
}

/** The data covers whole years: its last entry (11-23) is the last holiday of its year. */
export const JP_HOLIDAYS_FIRST_YEAR = firstYear;
export const JP_HOLIDAYS_LAST_YEAR = lastYear;

export function isJapaneseHoliday(dayNumber: number): boolean {
  return dayNumbers.has(dayNumber);
}

export function japaneseHolidayName(dayNumber: number): { ja: string; en: string } | undefined {
  return names.get(dayNumber);
}
