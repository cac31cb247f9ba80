/**
 * One section of the monthly report. The report is the list in ./index.ts: a section
 * renders its part of the HTML (shared by the console, the portal and the PDF), its CSV
 * tables and the figures compared for "changed since issue". A section whose data comes
 * from another module (change requests, risks, security incidents) also `collect`s it
 * through that module's public functions; its data is frozen with the rest.
 */
import type { Executor } from '../../../db/database.ts';
import type { FigureContext, RenderContext } from '../report.format.ts';
import type { ReportData } from '../report.data.ts';
import { esc } from '../report.format.ts';
import type { ReportSources } from '../report.sources.ts';

export type CsvRow = Array<string | number | null>;

/** A CSV field per RFC 4180: quoted (quotes doubled) only when it holds a comma, a quote or a line break. */
const NEEDS_QUOTES = /[",\r\n]/;
export function csvField(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  return NEEDS_QUOTES.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

export type CsvTable = {
  /** File stem, e.g. "breaches" → breaches.csv */
  name: string;
  header: string[];
} & (
  /** Made as they are written (see csvRows): a big month's 100,000 row arrays need not all exist at once. */
  | { rows: Iterable<CsvRow> }
  /**
   * Lines written by the section itself (fields through csvField, each line ending CRLF): the tables
   * with a row per incident, where a template per line cost a third of an array per row joined field by field.
   */
  | { lines: LineWriter }
);

/** Writes a table's lines, each handed to `emit` as it is made (a callback: a generator's resume per line cost more). */
export type LineWriter = (emit: (line: string) => void) => void;

/** A table's rows, each made when the writer reaches it, so it dies young (a cheap scavenge). */
export function csvRows<T>(items: readonly T[], row: (item: T) => CsvRow): Iterable<CsvRow> {
  return {
    *[Symbol.iterator]() {
      for (const item of items) yield row(item);
    },
  };
}

/** A table's lines (see CsvTable), one per item. */
export function csvLines<T>(items: readonly T[], line: (item: T) => string): LineWriter {
  return (emit) => {
    for (const item of items) emit(line(item));
  };
}

/**
 * The lines of a table listing incidents, in number order, when the figures come split
 * (`rows: 'split'`): the incidents read whole (`items`, in number order) and the settled ones
 * (columns, in number order; `at` is an index into them) merged as they are written.
 */
export function mergedLines<T extends { number: number }>(items: readonly T[], line: (item: T) => string, settled: { number: ArrayLike<number> } | undefined, settledLine: (at: number) => string): LineWriter {
  const numbers = settled?.number ?? [];
  return (emit) => {
    let k = 0;
    for (const item of items) {
      for (; k < numbers.length && numbers[k]! < item.number; k++) emit(settledLine(k));
      emit(line(item));
    }
    for (; k < numbers.length; k++) emit(settledLine(k));
  };
}

export interface CollectInput {
  ex: Executor;
  contractId: string;
  clientId: string;
  from: number;
  to: number;
  asOf: number;
  /** Read functions of the other modules, from the composition root. */
  sources: ReportSources;
}

export interface ReportSection {
  id: string;
  /** Reads this section's own data (for sections over other modules); the result is stored in data.sections[id]. */
  collect?(q: CollectInput): Promise<unknown>;
  /** The section's HTML (an <h2> and its content). */
  html(ctx: RenderContext): string;
  tables?(ctx: RenderContext): CsvTable[];
  /**
   * Named figures compared between an issued report and today's data ("changed since issue"):
   * the value compared, and the figure's name and value as a reader sees them (in ctx's language).
   */
  figures?(data: ReportData, ctx: FigureContext): Record<string, ReportFigure>;
}

export interface ReportFigure {
  /** What is compared: a count, minutes, a percentage, or a short state. */
  value: number | string | null;
  /** The figure's name for the reader, e.g. 「SLA達成状況: 解決・緊急・違反」. */
  label: string;
  /** The value for the reader ('—' for none). */
  text: string;
}

/** A count figure: its value shown with thousands separators. */
export const count = (label: string, value: number): ReportFigure => ({ value, label, text: value.toLocaleString('en') });

/**
 * A link to a record's console page (the report is shown in a frame: `_top` leaves it).
 * The console redirects a contact to the portal's page of the same record.
 */
export const recordLink = (path: string, label: string): string => `<a class="ref" href="${esc(path)}" target="_top">${esc(label)}</a>`;

/** JPY amounts as integers with thousands separators ('' for null). */
export const yen = (n: number | null): string => (n === null ? '' : `¥${n.toLocaleString('ja-JP')}`);

/** The section's frame: its heading and body, or the "none this month" line when it has nothing. */
export function sectionFrame(ctx: RenderContext, id: string, body: string | null): string {
  const d = ctx.data.sections[id];
  const inner = d === undefined ? `<p class="muted">${ctx.t('report.section.notAvailable')}</p>` : body ?? `<p class="muted">${ctx.t(`report.${id}.none`)}</p>`;
  return `<section id="s-${id}"><h2>${ctx.t(`report.sections.${id}`)}</h2>${inner}</section>`;
}
