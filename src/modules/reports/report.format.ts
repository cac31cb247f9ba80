/** Formatting shared by the report's sections: escaping, instants in the contract's zone, durations, percentages, drill links. */
import { appendixNumbers } from '../../core/report/compute.ts';
import { formatInstant, offsetMinutesAt } from '../../core/time/zone.ts';
import { t as translate, type Locale } from '../../i18n/index.ts';
import type { IssueInfo, ReportData } from './report.data.ts';

export const esc = (s: unknown): string =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** Translation and number formats in one language: what naming a figure needs ("changed since issue"). */
export interface FigureContext {
  lang: Locale;
  t(key: string, params?: Record<string, string | number>): string;
  /** Duration as 'h:mm' (or 'd日 h:mm'). */
  dur(ms: number | null): string;
  /**
   * How late a target went, on its own clock: a business-hours target's lateness is working
   * time, shown as hours ("営業時間 36:00") — as 'd日 h:mm' it would read as a day and a half
   * of the calendar where it was four working days.
   */
  late(ms: number, businessTime: boolean | undefined): string;
  pct(x: number | null, digits?: number): string;
}

export interface RenderContext extends FigureContext {
  data: ReportData;
  issue: IssueInfo | null;
  /** 'YYYY-MM-DD HH:mm' in the contract's zone ('' for null). */
  at(ms: number | null): string;
  /** A figure linked to the incidents behind it (plain text when none). */
  n(key: string, value: number | string): string;
  /** Incident number linked to its row in the appendix. */
  inc(number: number): string;
  /** Numbers of the incidents that have a row in the appendix. */
  rows: Set<number>;
}

/**
 * A month of 100,000 incidents must still render in well under a second and stay readable:
 * the appendix shows at most this many incident rows (breached, open and out-of-scope ones
 * first: the core's `appendixNumbers`), each drill list at most DRILL_LIMIT numbers; the CSV files always hold every row.
 */
export const APPENDIX_LIMIT = 2000;
export const DRILL_LIMIT = 500;

export function figureContext(lang: Locale): FigureContext {
  // Labels without parameters repeat once per row of a big month's CSV: look each up once.
  const labels = new Map<string, string>();
  const t = (key: string, params?: Record<string, string | number>) => {
    if (params) return translate(lang, key, params);
    let v = labels.get(key);
    if (v === undefined) labels.set(key, (v = translate(lang, key)));
    return v;
  };
  const dur = (ms: number | null) => {
    if (ms === null) return '';
    const neg = ms < 0 ? '-' : '';
    const m = Math.round(Math.abs(ms) / 60_000);
    const d = Math.floor(m / 1440);
    const h = Math.floor((m % 1440) / 60);
    const mm = String(m % 60).padStart(2, '0');
    return d > 0 ? `${neg}${t('report.unit.days', { d })} ${h}:${mm}` : `${neg}${h}:${mm}`;
  };
  return {
    lang, t, dur,
    // Snapshots issued before the field existed have no businessTime: shown as before, on the calendar.
    late: (ms, businessTime) => {
      if (businessTime !== true) return dur(ms);
      const m = Math.round(Math.abs(ms) / 60_000);
      // Met after the day's closing, before the next opening: late, yet by no working minute.
      if (m === 0) return t('report.unit.outsideHours');
      return t('report.unit.businessHours', { h: Math.floor(m / 60), mm: String(m % 60).padStart(2, '0') });
    },
    pct: (x, digits = 1) => (x === null ? '—' : `${(x * 100).toFixed(digits)}%`),
  };
}

export function renderContext(data: ReportData, lang: Locale, issue: IssueInfo | null): RenderContext {
  const zone = data.contract.timeZone;
  const f = figureContext(lang);
  // The appendix's incidents, chosen on first use: the CSV never links to them, and choosing walks every row.
  let rows: Set<number> | undefined;
  const appendixRows = () => (rows ??= appendixNumbers(data.figures, APPENDIX_LIMIT));
  // 'YYYY-MM-DD HH:mm' in the zone; the CSV of a big month formats ~400,000 instants, so the date part is cached per local day.
  const days = new Map<number, string>();
  const at = (ms: number): string => {
    const local = ms + offsetMinutesAt(zone, ms) * 60_000;
    const day = Math.floor(local / 86_400_000);
    let date = days.get(day);
    if (date === undefined) days.set(day, (date = formatInstant(zone, ms).slice(0, 10)));
    const minute = Math.floor((local - day * 86_400_000) / 60_000);
    const h = Math.floor(minute / 60);
    const m = minute % 60;
    return `${date} ${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}`;
  };
  return {
    ...f, data, issue,
    get rows() {
      return appendixRows();
    },
    at: (ms) => (ms === null ? '' : at(ms)),
    n: (key, value) => ((data.figures.drill[key]?.length ?? 0) > 0 ? `<a class="n" href="#d-${esc(key)}">${esc(value)}</a>` : esc(value)),
    inc: (number) => (appendixRows().has(number) ? `<a href="#inc-${number}">#${number}</a>` : `#${number}`),
  };
}

/**
 * "日本標準時（Asia/Tokyo、UTC+9:00）" / "Japan Standard Time (Asia/Tokyo, UTC+9:00)": the
 * zone's name in the reader's language; the IANA name and offset stay, as the figures' instants are in them.
 */
export function zoneLabel(zone: string, lang: Locale, at: number): string {
  const name = new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', { timeZone: zone, timeZoneName: 'long' })
    .formatToParts(at).find((p) => p.type === 'timeZoneName')?.value;
  const off = offsetMinutesAt(zone, at);
  const utc = `UTC${off < 0 ? '-' : '+'}${Math.floor(Math.abs(off) / 60)}:${String(Math.abs(off) % 60).padStart(2, '0')}`;
  return translate(lang, 'report.cover.zone', { name: name ?? zone, zone, utc });
}

export function table(head: string[], body: string[][], cls = ''): string {
  if (!body.length) return '';
  return `<table class="${cls}"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${body
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}
