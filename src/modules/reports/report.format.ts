/** Formatting shared by the report's sections: escaping, instants in the contract's zone, durations, percentages, drill links. */
import { appendixNumbers } from '../../core/report/compute.ts';
import { minuteFormatter, offsetMinutesAt } from '../../core/time/zone.ts';
import { capitalised, t as translate, type Locale } from '../../i18n/index.ts';
import type { IssueInfo, ReportData } from './report.data.ts';

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const NEEDS_ESCAPE = /[&<>"']/;
/**
 * Text as HTML. Most text (titles, causes, labels) has nothing to escape: a test first
 * returns it as it is, where a replace with a callback cost ~1 µs per string even without a match.
 */
export const esc = (s: unknown): string => {
  const text = typeof s === 'string' ? s : String(s ?? '');
  return NEEDS_ESCAPE.test(text) ? text.replace(/[&<>"']/g, (c) => ESCAPES[c]!) : text;
};

/** Translation and number formats in one language: what naming a figure needs ("changed since issue"). */
export interface FigureContext {
  lang: Locale;
  t(key: string, params?: Record<string, string | number>): string;
  /**
   * `t(\`${group}.${word}\`)` looked up by the two words: a label repeated once per row of a big
   * month (priority, kind, category) then costs no key string built and hashed per row.
   */
  label(group: string, word: string): string;
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
    // Templates with parameters (lateness, day counts) are compiled once by i18n itself.
    if (params) return translate(lang, key, params);
    let v = labels.get(key);
    if (v === undefined) labels.set(key, (v = translate(lang, key)));
    return v;
  };
  const groups = new Map<string, Map<string, string>>();
  const label = (group: string, word: string) => {
    let words = groups.get(group);
    if (words === undefined) groups.set(group, (words = new Map()));
    let v = words.get(word);
    // A label stands alone in a cell: "Not started", not "not started" (the catalogue keeps the word as a sentence uses it).
    if (v === undefined) words.set(word, (v = capitalised(lang, t(`${group}.${word}`))));
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
    lang, t, label, dur,
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
  // 'YYYY-MM-DD HH:mm' in the zone; the CSV of a big month formats ~420,000 instants (days looked up around the month).
  const at = minuteFormatter(zone, data.figures.from);
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

/**
 * An instant of `ctx.at` ('YYYY-MM-DD HH:mm') written after `ref`: its time alone when both fall on
 * one day, so an interval reads "2026-11-09 02:00–04:00" (the appendix's intervals, a window's times).
 */
export const sameDayShort = (ref: string, x: string): string => (x.slice(0, 10) === ref.slice(0, 10) ? x.slice(11) : x);

/** A table of HTML cells ('' when it has no row). */
export function table(head: string[], body: string[][], cls = ''): string {
  return tableOf(head, rowsHtml(body, tr), cls);
}

/** One body row of HTML cells. */
export function tr(cells: readonly string[]): string {
  // Concatenated in one pass: `.map().join()` per row and per cell took about half of the 20,714-row breach table's time.
  let out = '<tr>';
  for (const c of cells) out += `<td>${c}</td>`;
  return `${out}</tr>`;
}

/** A table around body rows already written (`rowsHtml`); '' without rows. */
export function tableOf(head: string[], rows: string, cls = ''): string {
  if (!rows) return '';
  let th = '';
  for (const h of head) th += `<th>${h}</th>`;
  return `<table class="${cls}"><thead><tr>${th}</tr></thead><tbody>${rows}</tbody></table>`;
}

const ROW_BATCH = 512;
/**
 * The HTML of many rows, one item each. Rows are joined a batch at a time: a row's pieces
 * (a template's dozen concatenations) then die young, where appended to one growing string
 * they lived on as a rope of hundreds of thousands of pieces until the page was joined, and
 * the GC copied them (the 20,714-row breach table: ~25 % less CPU).
 */
export function rowsHtml<T>(items: Iterable<T>, row: (item: T) => string): string {
  const chunks: string[] = [];
  let batch: string[] = [];
  for (const item of items) {
    batch.push(row(item));
    if (batch.length === ROW_BATCH) {
      chunks.push(batch.join(''));
      batch = [];
    }
  }
  chunks.push(batch.join(''));
  // The batches are appended, not joined: the page is copied flat once, when it is encoded.
  let out = '';
  for (const c of chunks) out += c;
  return out;
}
