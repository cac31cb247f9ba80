/**
 * Monthly SLA reports: live figures of a contract month (staff), issuing a frozen snapshot
 * with its number and revision (版数), the client's acknowledgement, and sending an issued
 * report to the contract's contacts by e-mail (after commit, through the job table).
 */
import { uuidv7 } from 'uuidv7';
import { monthRange, type AvailabilityResult } from '../../core/availability/index.ts';
import type { WorkingCalendar } from '../../core/calendar/index.ts';
import { computeReport, keepAppendixRows, parseMonthKey } from '../../core/report/compute.ts';
import type { Executor } from '../../db/database.ts';
import { fromFlag, type ServiceDeps } from '../../db/tx.ts';
import { unitOfWork } from '../../db/unit-of-work.ts';
import { AppError, notFound } from '../../errors.ts';
import { t, type Locale } from '../../i18n/index.ts';
import type { PdfRenderer } from '../../render/pdf.ts';
import type { Actor } from '../auth/actor.ts';
import { clientScope, isStaff } from '../auth/access.ts';
import { authorize } from '../auth/authorize.ts';
import { loadWorkingCalendar } from '../calendars/calendar.service.ts';
import { enqueueMail } from '../mail/mail.outbound.ts';
import { contractLocale } from '../mail/mail.service.ts';
import type { MonitoringService } from '../monitoring/monitoring.service.ts';
import { REPORT_DATA_SCHEMA, type AvailabilityFigure, type IssueInfo, type ReportData } from './report.data.ts';
import { monthLabel } from '../../contract/reports.ts';
import { APPENDIX_LIMIT } from './report.format.ts';
import { CSV_TABLES, diffFigures, renderCsv, renderHtml, renderPdf, type FigureChange } from './report.render.ts';
import { monthInput } from './report.month-input.ts';
import * as repo from './report.repository.ts';
import type { ReportSources } from './report.sources.ts';
import { REPORT_SECTIONS } from './sections/index.ts';

export type ReportMeta = repo.ReportMeta;
export const REPORT_LANGS: readonly Locale[] = ['ja', 'en'];

export interface ReportFile {
  name: string;
  contentType: string;
  body: Buffer;
}

export interface IssuedReport {
  report: ReportMeta;
  /** The frozen data. */
  data: ReportData;
  files: Array<{ name: string; contentType: string; size: number }>;
  sends: Array<{ id: string; sentAt: number; recipients: string[] }>;
  /** Staff only: figures that differ between the issued snapshot and today's data. */
  changes: FigureChange[] | null;
}

function checkMonth(month: string): [number, number] {
  const ym = parseMonthKey(month);
  if (!ym) throw new AppError('report.invalid', 'month must be YYYY-MM', [{ path: ['month'], code: 'invalid_month', message: 'month must be YYYY-MM' }]);
  return ym;
}

function checkLang(lang: string): Locale {
  if (lang !== 'ja' && lang !== 'en') throw new AppError('report.invalid', 'lang must be ja or en', [{ path: ['lang'], code: 'invalid_enum_value', message: 'ja or en', params: { allowed: 'ja, en' } }]);
  return lang;
}

const figure = (name: string, systemId: string | null, r: AvailabilityResult): AvailabilityFigure => ({
  systemId, name, serviceMs: r.serviceMs, plannedMs: r.plannedMs, downtimeMs: r.downtimeMs, overrunMs: r.overrunMs, unknownMs: r.unknownMs,
  upMs: r.upMs, availability: r.availability, worstCase: r.worstCase, coverage: r.coverage,
});

export function createReportService(
  deps: ServiceDeps,
  collaborators: { monitoring: MonitoringService; pdf: PdfRenderer | null; sources?: ReportSources },
) {
  const { db, clock } = deps;
  const uow = deps.uow ?? unitOfWork(db, clock);
  const { monitoring } = collaborators;
  const pdf = collaborators.pdf;
  const sources = collaborators.sources ?? {};

  async function contractOf(ex: Executor, actor: Actor, contractId: string) {
    const c = await repo.contractFacts(ex, contractId, clientScope(actor));
    if (!c) throw notFound('contract');
    return c;
  }

  /**
   * The live data of a contract month as of `asOf` (no authorization: callers check).
   * `rows: 'appendix'` (the HTML, the PDF, the summary, the comparison with an issued report)
   * reads whole only the incidents a figure needs row by row, counts the settled rest in the
   * database (report.settled.ts, core SettledMonth) and keeps the appendix's rows; 'csv' (a
   * CSV preview) splits the same way and reads the settled incidents' row facts with the split
   * (figures `rows: 'split'`, no appendix); 'all' (issuing) reads every incident of the month.
   */
  async function compute(ex: Executor, contractId: string, month: string, asOf: number, o: { intervalLimit?: number; rows?: 'all' | 'appendix' | 'csv' } = {}): Promise<ReportData> {
    const [year, mon] = checkMonth(month);
    const c = (await repo.contractFacts(ex, contractId, null))!;
    const contractCalendar = await loadWorkingCalendar(ex, c.calendarId);
    const zone = contractCalendar.timeZone;
    const [from, to] = monthRange(year, mon, zone);
    // The CSV tables show no counted intervals: none to compute.
    const limit = o.rows === 'csv' ? 0 : o.intervalLimit ?? APPENDIX_LIMIT;
    const split = o.rows === 'appendix' ? { pad: limit, facts: false } : o.rows === 'csv' ? { pad: 0, facts: true } : null;
    const { incidents, settled } = await monthInput(db, ex, contractId, from, to, asOf, split);
    const calendars = new Map<string, WorkingCalendar>([[c.calendarId, contractCalendar]]);
    for (const id of new Set(incidents.map((i) => i.calendarId))) if (!calendars.has(id)) calendars.set(id, await loadWorkingCalendar(ex, id));
    const figures = computeReport({
      from, to, timeZone: zone, asOf, incidents, ...(settled ? { settled } : {}), calendarOf: (id) => calendars.get(id)!, intervalLimit: limit,
      // The CSV's tables list rows: no drill lists to build.
      drill: o.rows !== 'csv',
    });

    // Availability from the monitoring service (the availability core over stored outages, runs and maintenance).
    let availability: ReportData['availability'] = { contract: null, systems: [] };
    if (asOf > from) {
      const a = await monitoring.availability({ userId: 'system:report', role: 'admin', clientId: null }, contractId, year, mon);
      // The monitoring service counts a month in progress up to its own "now" (the same clock).
      availability = {
        contract: a.systems.length ? figure(c.name, null, a.contract) : null,
        systems: a.systems.map((s) => figure(s.name, s.systemId, s.figure)),
      };
    }
    const outages = (await repo.monthOutages(ex, contractId, from, to)).map((o) => ({
      id: o.id, systemId: o.systemId, systemName: o.systemName, startedAt: o.startedAt, endedAt: o.endedAt,
      durationMs: Math.max(0, Math.min(o.endedAt ?? asOf, to, asOf) - Math.max(o.startedAt, from)), incidentNumber: o.incidentNumber ?? null, endedBy: o.endedBy,
      muted: fromFlag(o.muted),
    }));
    const maintenance = (await repo.monthMaintenance(ex, contractId, from, to)).map((w) => ({
      id: w.id, title: w.title, kind: w.kind, startsAt: w.startsAt, endsAt: w.endsAt, announcedAt: w.announcedAt, latestAllowedAt: w.noticeDeadlineAt,
      inTime: w.noticeInTime === null ? null : fromFlag(w.noticeInTime), emergencyReason: w.emergencyReason, actualStart: w.actualStart, actualEnd: w.actualEnd,
    }));
    const sections: Record<string, unknown> = {};
    for (const s of REPORT_SECTIONS) {
      if (s.collect) sections[s.id] = await s.collect({ ex, contractId, clientId: c.clientId, from, to, asOf, sources });
    }
    return {
      schema: REPORT_DATA_SCHEMA,
      contract: { id: c.id, name: c.name, clientId: c.clientId, clientName: c.clientName, policyName: c.policyName, timeZone: zone },
      month, figures, availability, outages, maintenance, sections,
    };
  }

  /** The data an issued report keeps: every figure, and the rows its HTML shows (its CSV files, written now, hold every row). */
  function frozen(data: ReportData): ReportData {
    return { ...data, figures: keepAppendixRows(data.figures, APPENDIX_LIMIT) };
  }

  function needPdf(): PdfRenderer {
    if (!pdf) throw new AppError('render.pdf_unavailable', 'PDF needs Chromium', [], { path: '/usr/bin/chromium' });
    return pdf;
  }

  async function loadIssued(actor: Actor, id: string) {
    authorize(actor, 'report.read');
    const r = await repo.findReport(db, id, clientScope(actor));
    if (!r) throw notFound('report');
    return r;
  }

  const issueInfo = (r: repo.ReportMeta): IssueInfo => ({ number: r.number, revision: r.revision, issuedAt: r.issuedAt, issuedByName: r.issuedByName });

  const service = {
    /** Today's figures of a contract month (staff): what issuing would freeze. */
    async preview(actor: Actor, contractId: string, month: string): Promise<{ data: ReportData; issued: ReportMeta[] }> {
      authorize(actor, 'contract.report_preview');
      checkMonth(month);
      await contractOf(db, actor, contractId);
      const data = await compute(db, contractId, month, clock(), { rows: 'appendix' });
      const issued = await repo.listReports(db, { scope: null, contractId, month, limit: 100 });
      return { data, issued };
    },

    /** The live month rendered: html, pdf, or one CSV table. */
    async previewFile(actor: Actor, contractId: string, month: string, format: 'html' | 'pdf' | 'csv', lang: string, table?: string): Promise<ReportFile> {
      authorize(actor, 'contract.report_preview');
      const l = checkLang(lang);
      checkMonth(month);
      await contractOf(db, actor, contractId);
      if (format === 'pdf') needPdf();
      const data = await compute(db, contractId, month, clock(), { rows: format === 'csv' ? 'csv' : 'appendix' });
      return fileFrom(data, null, format, l, table, `${month}`);
    },

    /** Issues the month: freezes the figures and the rendered files as a new revision. */
    async issue(actor: Actor, contractId: string, month: string, o: { note?: string } = {}): Promise<ReportMeta> {
      authorize(actor, 'report.issue');
      checkMonth(month);
      await contractOf(db, actor, contractId);
      const now = clock();
      const data = await compute(db, contractId, month, now);
      const issuedByName = await repo.userName(db, actor.userId);
      // Render outside the transaction (printing takes seconds; the write lock must not wait for it) with the
      // number and revision expected now; inside, if another issue took them meanwhile, render again.
      const expected: IssueInfo = {
        number: (await repo.currentReportNumber(db)) + 1, revision: (await repo.latestRevision(db, contractId, month)) + 1, issuedAt: now, issuedByName,
      };
      const early = await renderAll(data, expected);
      return uow.command(actor, async (w) => {
        const revision = (await repo.latestRevision(w.tx, contractId, month)) + 1;
        const number = await repo.nextReportNumber(w.tx);
        const info: IssueInfo = { ...expected, number, revision };
        const files = number === expected.number && revision === expected.revision ? early : await renderAll(data, info);
        const row = {
          id: uuidv7(), number, contractId, clientId: data.contract.clientId, month, revision, issuedAt: now, issuedBy: actor.userId, issuedByName,
          note: o.note ?? '', figures: JSON.stringify(frozen(data)), acknowledgedAt: null, acknowledgedBy: null, acknowledgedByName: null,
        };
        await repo.insertReport(w.tx, row, files.map((f) => ({
          reportId: row.id, name: f.name, contentType: f.contentType, encoding: f.contentType.startsWith('application/pdf') ? 'base64' : 'utf8',
          body: f.contentType.startsWith('application/pdf') ? f.body.toString('base64') : f.body.toString('utf8'), size: f.body.length,
        })));
        const { figures: _frozen, ...meta } = row;
        w.audit({ entity: 'report', entityId: row.id, action: revision === 1 ? 'issue' : 'revise', after: { ...meta, files: files.map((f) => f.name) } });
        return meta;
      }, { now, name: 'report.issue' });
    },

    async list(actor: Actor, f: { contractId?: string; month?: string; limit?: number } = {}): Promise<ReportMeta[]> {
      authorize(actor, 'report.list');
      if (f.month) checkMonth(f.month);
      return repo.listReports(db, { scope: clientScope(actor), ...f, limit: Math.min(f.limit ?? 200, 1000) });
    },

    /** One issued report; `lang` names the changed figures. */
    async get(actor: Actor, id: string, lang: Locale = 'ja'): Promise<IssuedReport> {
      const r = await loadIssued(actor, id);
      const { figures, ...report } = r;
      const data = JSON.parse(figures) as ReportData;
      let changes: FigureChange[] | null = null;
      if (isStaff(actor)) changes = diffFigures(data, await compute(db, r.contractId, r.month, clock(), { intervalLimit: 0, rows: 'appendix' }), lang);
      const files = await repo.fileNames(db, id);
      const sends = (await repo.sendsOf(db, id)).map((s) => ({ id: s.id, sentAt: s.sentAt, recipients: JSON.parse(s.recipients) as string[] }));
      return { report, data, files, sends, changes };
    },

    /** An issued report's frozen file (a PDF not printed at issue — no Chromium then — is printed now from the frozen data). */
    async file(actor: Actor, id: string, format: 'html' | 'pdf' | 'csv', lang: string, table?: string): Promise<ReportFile> {
      const r = await loadIssued(actor, id);
      const l = checkLang(lang);
      const name = fileName(format, l, table);
      const stored = await repo.findFile(db, id, name);
      if (stored) return { name, contentType: stored.contentType, body: Buffer.from(stored.body, stored.encoding === 'base64' ? 'base64' : 'utf8') };
      if (format !== 'pdf') throw notFound('report_file');
      needPdf();
      return fileFrom(JSON.parse(r.figures) as ReportData, issueInfo(r), format, l, table, `${r.month}`);
    },

    /** The contact's acknowledgement (who, when); acknowledging again changes nothing. */
    async acknowledge(actor: Actor, id: string): Promise<ReportMeta> {
      authorize(actor, 'report.acknowledge');
      const now = clock();
      return uow.command(actor, async (w) => {
        const r = await repo.findReport(w.tx, id, clientScope(actor));
        if (!r) throw notFound('report');
        const { figures: _f, ...before } = r;
        if (r.acknowledgedAt !== null) {
          w.unchanged();
          return before;
        }
        const name = await repo.userName(w.tx, actor.userId);
        await repo.acknowledge(w.tx, id, { userId: actor.userId, name, at: now });
        const after = { ...before, acknowledgedAt: now, acknowledgedBy: actor.userId, acknowledgedByName: name };
        w.audit({ entity: 'report', entityId: id, action: 'acknowledge', before, after });
        return after;
      }, { now, name: 'report.acknowledge' });
    },

    /** E-mails an issued report to the contract's designated contacts (sent after commit); recorded on the report. */
    async send(actor: Actor, id: string, o: { origin: string }): Promise<{ id: string; sentAt: number; recipients: string[] }> {
      authorize(actor, 'report.send');
      const now = clock();
      return uow.command(actor, async (w) => {
        const r = await repo.findReport(w.tx, id, null);
        if (!r) throw notFound('report');
        const to = await repo.contractContactEmails(w.tx, r.contractId);
        if (!to.length) throw new AppError('report.no_contacts', 'no contact with an e-mail address');
        const data = JSON.parse(r.figures) as ReportData;
        const lang: Locale = await contractLocale(w.tx, r.contractId);
        const params = {
          client: data.contract.clientName, contract: data.contract.name, month: monthLabel(r.month, lang), number: r.number, revision: r.revision,
          url: `${o.origin}/portal/reports/${r.id}`, incidents: data.figures.incidents.total, breaches: data.figures.breaches.length,
        };
        const send = { id: uuidv7(), reportId: id, sentAt: now, sentBy: actor.userId, recipients: JSON.stringify(to) };
        await enqueueMail(w.tx, { to, subject: t(lang, 'report.mail.subject', params), text: t(lang, 'report.mail.body', params) }, { runAt: now, dedupeKey: `report:${id}:send:${send.id}`, now });
        await repo.insertSend(w.tx, send);
        w.audit({ entity: 'report', entityId: id, action: 'send', after: { ...send, recipients: to } });
        return { id: send.id, sentAt: now, recipients: to };
      }, { now, name: 'report.send' });
    },

    /** For the CLI and the bench: the live data and files of a month without an actor (the caller is the operator). */
    async renderMonth(contractId: string, month: string, formats: ReadonlyArray<'html' | 'pdf' | 'csv'>, lang: Locale, asOf = clock()): Promise<ReportFile[]> {
      if (!(await repo.contractFacts(db, contractId, null))) throw notFound('contract');
      // With the CSV the data carries no appendix (rows 'split'): the HTML and PDF beside it get their own.
      const data = await compute(db, contractId, month, asOf, { rows: formats.includes('csv') ? 'csv' : 'appendix' });
      const page = formats.some((f) => f !== 'csv') && formats.includes('csv') ? await compute(db, contractId, month, asOf, { rows: 'appendix' }) : data;
      const out: ReportFile[] = [];
      for (const f of formats) {
        if (f === 'csv') for (const [name, body] of renderCsv(data, lang)) out.push({ name: `${lang}/${name}`, contentType: 'text/csv; charset=utf-8', body });
        else out.push(await fileFrom(page, null, f, lang, undefined, month));
      }
      return out;
    },

    /** Every contract id, for `hoshu report --all`. */
    contractIds: () => repo.allContractIds(db),
    pdfAvailable: () => pdf?.available() ?? false,
    /** The live data (for tests and the bench). */
    data: (contractId: string, month: string, asOf = clock(), o: { intervalLimit?: number; rows?: 'all' | 'appendix' | 'csv' } = {}) => compute(db, contractId, month, asOf, o),
  };

  function fileName(format: 'html' | 'pdf' | 'csv', lang: Locale, table?: string): string {
    if (format !== 'csv') return `report.${lang}.${format}`;
    if (!table || !(CSV_TABLES as readonly string[]).includes(table)) {
      throw new AppError('report.invalid', 'unknown table', [{ path: ['table'], code: 'invalid_enum_value', message: 'unknown table', params: { allowed: CSV_TABLES.join(', ') } }]);
    }
    return `${lang}/${table}.csv`;
  }

  async function fileFrom(data: ReportData, issue: IssueInfo | null, format: 'html' | 'pdf' | 'csv', lang: Locale, table: string | undefined, stem: string): Promise<ReportFile> {
    const name = fileName(format, lang, table);
    if (format === 'html') return { name: `report-${stem}.${lang}.html`, contentType: 'text/html; charset=utf-8', body: Buffer.from(renderHtml(data, lang, issue), 'utf8') };
    if (format === 'pdf') return { name: `report-${stem}.${lang}.pdf`, contentType: 'application/pdf', body: await renderPdf(needPdf(), data, lang, issue) };
    const body = renderCsv(data, lang).get(`${table}.csv`)!;
    return { name: name.replace('/', '-'), contentType: 'text/csv; charset=utf-8', body };
  }

  /** Every file an issued report freezes: HTML and CSV in both languages, PDF where Chromium is present. */
  async function renderAll(data: ReportData, info: IssueInfo): Promise<ReportFile[]> {
    const files: ReportFile[] = [];
    for (const lang of REPORT_LANGS) {
      files.push({ name: `report.${lang}.html`, contentType: 'text/html; charset=utf-8', body: Buffer.from(renderHtml(data, lang, info), 'utf8') });
      for (const [name, body] of renderCsv(data, lang)) files.push({ name: `${lang}/${name}`, contentType: 'text/csv; charset=utf-8', body });
      if (pdf?.available()) files.push({ name: `report.${lang}.pdf`, contentType: 'application/pdf', body: await renderPdf(pdf, data, lang, info) });
    }
    return files;
  }

  return service;
}
export type ReportService = ReturnType<typeof createReportService>;
