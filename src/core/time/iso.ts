/**
 * An instant as ISO 8601 UTC with milliseconds, exactly as Date#toISOString writes
 * it. Every API answer carries a dozen instants per incident, and on the reference
 * machine Date#toISOString costs about a microsecond each — more than the rest of
 * presenting an incident — so the date part is kept per day and the time of day is
 * written with integer arithmetic. Years outside 0000–9999 go to Date.
 */
const DAY_MS = 86_400_000;
const YEAR_0 = -62_167_219_200_000; // 0000-01-01T00:00:00.000Z
const YEAR_10000 = 253_402_300_800_000; // 10000-01-01T00:00:00.000Z

const dayPrefix = new Map<number, string>();
const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

export function isoUtc(ms: number): string {
  if (!Number.isInteger(ms) || ms < YEAR_0 || ms >= YEAR_10000) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  let prefix = dayPrefix.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    if (dayPrefix.size > 20_000) dayPrefix.clear();
    dayPrefix.set(day, prefix);
  }
  let rest = ms - day * DAY_MS;
  const milli = rest % 1000;
  rest = (rest - milli) / 1000;
  const sec = rest % 60;
  rest = (rest - sec) / 60;
  const min = rest % 60;
  const hour = (rest - min) / 60;
  return `${prefix}${pad2(hour)}:${pad2(min)}:${pad2(sec)}.${milli < 10 ? `00${milli}` : milli < 100 ? `0${milli}` : milli}Z`;
}
