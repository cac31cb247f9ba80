/**
 * How the web writes instants, dates, spans of time, zones and lists, in the
 * reader's language. Pure (Intl only, no browser state): test/web/format.test.ts
 * runs it under Node.
 */
import { when, whenRange, zoneName as zoneWords } from '../../src/core/time/instant-words.ts';
import type { Lang } from '../i18n/lang.ts';

const fmtCache = new Map<string, Intl.DateTimeFormat>();

function cached(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = fmtCache.get(key);
  if (!f) fmtCache.set(key, (f = make()));
  return f;
}

const locale = (lang: Lang) => (lang === 'ja' ? 'ja-JP' : 'en-GB');

/**
 * "2026/04/01(水) 10:00 JST" / "Wed, 01 Apr 2026, 10:00 GMT+9" in the given zone; withZone=false leaves the zone's name off.
 * The server's mails, chat messages and error messages write instants with the same function
 * (src/core/time/instant-words.ts), so the console, the portal and what the desk sends read alike.
 */
export function formatInstant(iso: string | null | undefined, zone: string, lang: Lang, withZone = true): string {
  if (!iso) return '—';
  return when(lang, Date.parse(iso), zone, { withZone });
}

/**
 * A span between two instants, its end without its date on the same day: "2026/12/10(木) 20:00–23:00 JST",
 * "Thu, 10 Dec 2026, 20:00–23:00 GMT+9"; across days "2026/12/12(土) 22:00 – 2026/12/13(日) 02:00 JST" (as the mails write it).
 */
export function formatInstantRange(from: string, to: string, zone: string, lang: Lang): string {
  return whenRange(lang, Date.parse(from), Date.parse(to), zone);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date ("2026-01-01", no zone: a date is the same date everywhere) as "2026年1月1日" / "1 Jan 2026"; anything else as given. */
export function formatDate(date: string | null | undefined, lang: Lang): string {
  if (!date) return '—';
  const m = DATE.exec(date);
  if (!m) return date;
  const f = cached(`d|${lang}`, () => new Intl.DateTimeFormat(locale(lang), { timeZone: 'UTC', year: 'numeric', month: lang === 'ja' ? 'long' : 'short', day: 'numeric' }));
  return f.format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))));
}

/** The date an instant falls on in `zone`, written as formatDate does ("2026年12月7日"). */
export function formatInstantDate(iso: string | null | undefined, zone: string, lang: Lang): string {
  if (!iso) return '—';
  const parts = cached(`c|${zone}`, () => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' })).formatToParts(new Date(iso));
  const get = (k: string) => parts.find((p) => p.type === k)?.value ?? '';
  return formatDate(`${get('year')}-${get('month')}-${get('day')}`, lang);
}

/**
 * A period of dates in pieces that must not break inside (a view keeps each one on a line and
 * lets the line break only between them): ["2026年1月1日〜", "2026年12月31日"],
 * ["1 Jan 2026 –", "31 Dec 2026"]; without an end ["2026年1月1日〜"], ["from 1 Jan 2026"].
 */
export function dateRangeParts(from: string, to: string | null | undefined, lang: Lang): string[] {
  const a = formatDate(from, lang);
  if (!to) return [lang === 'ja' ? `${a}〜` : `from ${a}`];
  return lang === 'ja' ? [`${a}〜`, formatDate(to, lang)] : [`${a} –`, formatDate(to, lang)];
}

/** The period as one string: "2026年1月1日〜2026年12月31日", "1 Jan 2026 – 31 Dec 2026". */
export function formatDateRange(from: string, to: string | null | undefined, lang: Lang): string {
  return dateRangeParts(from, to, lang).join(lang === 'ja' ? '' : ' ');
}

const pad2 = (n: number) => String(n).padStart(2, '0');

export interface SpanStyle {
  /** Seconds under an hour ("57分08秒"), for a countdown that ticks every second; otherwise whole minutes. */
  seconds?: boolean;
  /** Whole days above 24 hours ("4日13時間"); false for working time, where a day is not 24 hours ("45時間00分"). */
  days?: boolean;
}

/**
 * A span of time as a duration, never like a clock time: "4日13時間" / "4 d 13 h", "7時間05分" / "7 h 05 min",
 * "57分" / "57 min" (under a minute: "1分未満" / "< 1 min"); with seconds, under an hour only: "57分08秒" / "57 min 08 s".
 * The sign is the caller's (left / over).
 */
export function formatSpan(ms: number, lang: Lang, { seconds = false, days = true }: SpanStyle = {}): string {
  const ja = lang === 'ja';
  const s = Math.floor(Math.abs(ms) / 1000);
  const d = days ? Math.floor(s / 86400) : 0;
  const h = Math.floor((s - d * 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d > 0) {
    if (h === 0) return ja ? `${d}日` : `${d} d`;
    return ja ? `${d}日${h}時間` : `${d} d ${h} h`;
  }
  if (h > 0) return ja ? `${h}時間${pad2(m)}分` : `${h} h ${pad2(m)} min`;
  if (seconds) {
    if (m === 0) return ja ? `${sec}秒` : `${sec} s`;
    return ja ? `${m}分${pad2(sec)}秒` : `${m} min ${pad2(sec)} s`;
  }
  if (m === 0 && s > 0) return ja ? '1分未満' : '< 1 min';
  return ja ? `${m}分` : `${m} min`;
}

/** The zone as people name it now: "日本標準時" / "Japan Standard Time" (src/core/time/instant-words.ts). */
export const zoneName = (zone: string, lang: Lang, withId = false): string => zoneWords(zone, lang, withId, Date.now());

/** Items of a list in a sentence: "A、B、C" in Japanese, "A, B, C" in English. */
export function joinList(items: readonly (string | null | undefined)[], lang: Lang): string {
  return items.filter((x): x is string => Boolean(x)).join(lang === 'ja' ? '、' : ', ');
}
