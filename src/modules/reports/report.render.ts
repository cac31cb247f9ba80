/**
 * Renders a report's data to its formats. HTML is the master: the console and the portal
 * show it in a frame, and the PDF is that same HTML printed by Chromium (src/render/pdf.ts)
 * with a cover, running header (contract and month) and page numbers. CSV: one file per
 * table, UTF-8 with a byte-order mark so Excel opens Japanese correctly, quoted per RFC 4180
 * (CRLF line ends, quotes doubled).
 */
import { monthLabel } from '../../contract/reports.ts';
import type { Locale } from '../../i18n/index.ts';
import { PRINT_BASE_CSS } from '../../render/pdf-font.ts';
import type { PdfRenderer } from '../../render/pdf.ts';
import { esc, figureContext, renderContext, zoneLabel, type RenderContext } from './report.format.ts';
import type { IssueInfo, ReportData } from './report.data.ts';
import { REPORT_SECTIONS } from './sections/index.ts';
import { csvField, type CsvRow, type CsvTable, type ReportFigure } from './sections/section.ts';

const CSS = `${PRINT_BASE_CSS}
body{margin:0 auto;max-width:1000px;padding:16px;color:#212529;font-size:10.5pt;line-height:1.5}
h1{font-size:20pt;margin:0 0 8px}h2{font-size:14pt;border-bottom:2px solid #1c7ed6;padding-bottom:2px;margin:24px 0 8px;color:#1c4f8a}
h3{font-size:12pt;margin:16px 0 6px;color:#343a40}h4{font-size:10.5pt;margin:10px 0 4px;color:#343a40}
table{border-collapse:collapse;width:100%;margin:6px 0;font-size:9.5pt}th,td{border:1px solid #dee2e6;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f1f3f5;word-break:keep-all}table.narrow{width:auto;min-width:220px}thead{display:table-header-group}tr{break-inside:avoid}
.row{display:flex;gap:24px;flex-wrap:wrap;align-items:flex-start}.charts{display:flex;flex-wrap:wrap;gap:8px}.chart svg{max-width:100%;height:auto}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{border:1px solid #dee2e6;border-radius:6px;padding:8px 14px;min-width:120px}
.card .label{color:#495057;font-size:9pt}.card .value{font-size:18pt;color:#1c4f8a}
.muted{color:#6c757d;font-size:9pt}a.ref{white-space:nowrap}a.n{color:#1864ab;text-decoration:underline}a{color:#1864ab}
.cover{border-bottom:1px solid #dee2e6;margin-bottom:16px;padding-bottom:12px}.cover dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:8px 0}
.cover dt{color:#495057}.cover dd{margin:0}.stamp{display:inline-block;border:1px solid #e03131;color:#e03131;padding:0 6px;border-radius:4px;font-size:9pt}
.incident{border-top:1px solid #e9ecef;padding-top:4px;break-inside:avoid}td.iv{font-size:8.5pt}.nw{white-space:nowrap}table.targets td{word-break:keep-all}
.footnote{margin-top:24px;border-top:1px solid #dee2e6;padding-top:8px}.incident:target,.drill:target{background:#fff9db}
@media print{body{max-width:none;padding:0 1px}.cover{break-after:page;border:0}.cover h1{margin-top:60mm;font-size:26pt}section{break-inside:auto}h2{break-after:avoid}a{color:inherit;text-decoration:none}}`;

function cover(ctx: RenderContext): string {
  const d = ctx.data;
  const i = ctx.issue;
  const facts: Array<[string, string]> = [
    [ctx.t('report.cover.client'), esc(d.contract.clientName)],
    [ctx.t('report.cover.contract'), esc(d.contract.name)],
    [ctx.t('report.cover.month'), esc(monthLabel(d.month, ctx.lang))],
    [ctx.t('report.cover.policy'), esc(d.contract.policyName)],
    [ctx.t('report.cover.timeZone'), esc(zoneLabel(d.contract.timeZone, ctx.lang, d.figures.asOf))],
  ];
  if (i) {
    facts.push([ctx.t('report.cover.number'), `${ctx.t('report.cover.numberValue', { number: i.number })}`]);
    facts.push([ctx.t('report.cover.revision'), ctx.t('report.cover.revisionValue', { revision: i.revision })]);
    facts.push([ctx.t('report.cover.issuedAt'), `${ctx.at(i.issuedAt)} (${esc(i.issuedByName)})`]);
  } else {
    facts.push([ctx.t('report.cover.status'), `<span class="stamp">${ctx.t('report.cover.preview')}</span> ${ctx.t('report.cover.asOf', { at: ctx.at(d.figures.asOf) })}`]);
  }
  return `<section class="cover"><h1>${ctx.t('report.title')}</h1><dl>${facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl></section>`;
}

/** The complete HTML document (self-contained: inline CSS and SVG, no scripts). */
export function renderHtml(data: ReportData, lang: Locale, issue: IssueInfo | null): string {
  const ctx = renderContext(data, lang, issue);
  const toc = REPORT_SECTIONS.map((s) => `<a href="#s-${s.id}">${ctx.t(`report.sections.${s.id}`)}</a>`).join(' · ');
  // Appended rather than joined: a big month's sections are megabytes, copied flat once when the page is encoded.
  let body = '';
  REPORT_SECTIONS.forEach((s, i) => {
    body += i === 0 ? s.html(ctx) : `\n${s.html(ctx)}`;
  });
  const title = `${ctx.t('report.title')} ${data.contract.name} ${monthLabel(data.month, lang)}`;
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title><style>${CSS}</style></head>`
    + `<body>${cover(ctx)}<nav class="muted">${toc}</nav>${body}<p class="footnote muted" id="footnote">${ctx.t('report.footnote')}</p></body></html>`;
}

/** Lines encoded together: ~50 KB of a big month's incidents. */
const CSV_BATCH = 512;

/**
 * One CSV file per table: name → UTF-8 bytes with a BOM, CRLF line ends. Written here
 * rather than by csv-stringify: its per-record machinery took seconds for the 400,000
 * rows of a 100,000-incident month; quoting per RFC 4180 is the one rule above.
 */
export function renderCsv(data: ReportData, lang: Locale): Map<string, Buffer> {
  // An issued report's stored figures keep only the appendix's rows; its CSV files were written at issue.
  if (data.figures.rows === 'appendix') throw new Error('the CSV tables need every row: render them from computed figures, not from an issued report\'s stored ones');
  if (data.figures.rows === 'split' && !data.figures.settledRows) throw new Error('figures split for the CSV come with their settled rows');
  const ctx = renderContext(data, lang, null);
  const out = new Map<string, Buffer>();
  const tables: CsvTable[] = REPORT_SECTIONS.flatMap((s) => s.tables?.(ctx) ?? []);
  const line = (r: CsvRow) => `${r.map((v) => csvField(v ?? null)).join(',')}\r\n`;
  for (const t of tables) {
    // Encoded a batch of lines at a time: a line's string dies young (a cheap scavenge) where
    // 100,000 lines kept for one join lived on into the old generation, and the GC was a third of the time.
    // Each line is one join (a flat string) and a batch one more: appending field by field to a
    // 64 KB string instead made a rope of ~20,000 pieces that the encoder had to walk (that writer: ~1.7× the CPU).
    const chunks: Buffer[] = [];
    let lines = [`\ufeff${line(t.header)}`];
    const emit = (text: string) => {
      lines.push(text);
      if (lines.length === CSV_BATCH) {
        chunks.push(Buffer.from(lines.join(''), 'utf8'));
        lines = [];
      }
    };
    if ('lines' in t) t.lines(emit);
    else for (const r of t.rows) emit(line(r));
    chunks.push(Buffer.from(lines.join(''), 'utf8'));
    out.set(`${t.name}.csv`, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
  }
  return out;
}

export { REPORT_CSV_TABLES as CSV_TABLES } from '../../contract/reports.ts';

export async function renderPdf(pdf: PdfRenderer, data: ReportData, lang: Locale, issue: IssueInfo | null): Promise<Buffer> {
  const ctx = renderContext(data, lang, issue);
  return pdf.render(renderHtml(data, lang, issue), {
    lang,
    headerLeft: `${data.contract.clientName} ${data.contract.name}`,
    headerRight: `${ctx.t('report.title')} ${monthLabel(data.month, lang)}`,
    footerLeft: issue ? `${ctx.t('report.cover.numberValue', { number: issue.number })} ${ctx.t('report.cover.revisionValue', { revision: issue.revision })}` : ctx.t('report.cover.preview'),
    pageLabel: ctx.t('report.page'),
  });
}

/** Named figures of every section, in print order, named in `lang`, for "changed since issue". */
export function figuresOf(data: ReportData, lang: Locale): Map<string, ReportFigure> {
  const ctx = figureContext(lang);
  const out = new Map<string, ReportFigure>();
  for (const s of REPORT_SECTIONS) for (const [k, f] of Object.entries(s.figures?.(data, ctx) ?? {})) out.set(k, f);
  return out;
}

export interface FigureChange {
  key: string;
  /** The figure's name for the reader, in the language asked for. */
  label: string;
  issued: number | string | null;
  now: number | string | null;
  /** The values as the report shows them ('—' where the figure did not exist). */
  issuedText: string;
  nowText: string;
}

/** Figures that differ between an issued report and today's data, in the report's order (figures only one side has come last). */
export function diffFigures(issued: ReportData, now: ReportData, lang: Locale): FigureChange[] {
  const a = figuresOf(issued, lang);
  const b = figuresOf(now, lang);
  const keys = [...new Set([...b.keys(), ...a.keys()])];
  const out: FigureChange[] = [];
  for (const key of keys) {
    const x = a.get(key);
    const y = b.get(key);
    if ((x?.value ?? null) === (y?.value ?? null)) continue;
    out.push({ key, label: (y ?? x)!.label, issued: x?.value ?? null, now: y?.value ?? null, issuedText: x?.text ?? '—', nowText: y?.text ?? '—' });
  }
  return out;
}
