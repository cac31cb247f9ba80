/**
 * /reports — monthly SLA reports. Staff preview any contract month (JSON, HTML, PDF, CSV
 * per table), issue it (a frozen revision), and send it; everyone reads issued reports of
 * clients they may see (a contact: only their own client's), and a contact acknowledges.
 * HTML is served as a self-contained document under its own CSP (inline CSS and SVG, no
 * scripts) that the console and the portal show in a frame.
 */
import { z } from 'zod';
import { IdParams, listOf } from '../../contract/common.ts';
import {
  IssuedReport, IssueReportBody, LangQuery, OptionalLangQuery, ReportListQuery, ReportMeta, ReportMonthParams, ReportMonthTableParams, ReportPreview, ReportSend,
  ReportTableParams,
} from '../../contract/reports.ts';
import { actorOf } from '../../http/actor.ts';
import { requestLocale } from '../../http/locale.ts';
import type { Api } from '../../http/types.ts';
import { presentIssued, presentPreview, presentReportMeta } from './report.presenter.ts';
import type { ReportFile, ReportService } from './report.service.ts';
import type { FastifyReply } from 'fastify';

const tags = ['reports'];
/** The report page: its own styles and inline SVG only; framed by our own console and portal. */
export const REPORT_HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

const Bytes = z.instanceof(Buffer).meta({ type: 'string', format: 'binary' });
const html = { description: 'the report as a self-contained HTML document', content: { 'text/html': { schema: z.string() } } };
const pdf = { description: 'the report printed to A4 PDF (cover, running header, page numbers)', content: { 'application/pdf': { schema: Bytes } } };
const csv = { description: 'one table as CSV: UTF-8 with a BOM, RFC 4180 quoting, CRLF', content: { 'text/csv': { schema: Bytes } } };

function sendFile(reply: FastifyReply, f: ReportFile, inline: boolean) {
  const ascii = f.name.replace(/[^\w.-]/g, '_');
  void reply.type(f.contentType).header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(f.name)}`);
  if (f.contentType.startsWith('text/html')) void reply.header('content-security-policy', REPORT_HTML_CSP).header('x-frame-options', 'SAMEORIGIN');
  return reply.send(f.body);
}

export function registerReportRoutes(app: Api, reports: ReportService): void {
  app.get('/reports', {
    schema: { tags, summary: 'Issued reports, newest month first (a contact sees only their own client\'s)', querystring: ReportListQuery, response: { 200: listOf(ReportMeta) } },
  }, async (req) => ({
    items: (await reports.list(actorOf(req), {
      ...(req.query.contractId ? { contractId: req.query.contractId } : {}), ...(req.query.month ? { month: req.query.month } : {}), limit: req.query.limit,
    })).map(presentReportMeta),
  }));

  app.post('/reports', {
    schema: { tags, summary: 'Issue a contract month: freeze its figures and files as a new revision (版数) (staff)', body: IssueReportBody, response: { 201: ReportMeta } },
  }, async (req, reply) => reply.status(201).send(presentReportMeta(await reports.issue(actorOf(req), req.body.contractId, req.body.month, req.body.note !== undefined ? { note: req.body.note } : {}))));

  app.get('/reports/preview/:contractId/:month', {
    schema: { tags, summary: 'Today\'s figures of a contract month, with the revisions issued so far (staff)', params: ReportMonthParams, response: { 200: ReportPreview } },
  }, async (req) => presentPreview(await reports.preview(actorOf(req), req.params.contractId, req.params.month), reports.pdfAvailable()));

  app.get('/reports/preview/:contractId/:month/html', {
    schema: { tags, summary: 'Today\'s report of a contract month as HTML (staff)', params: ReportMonthParams, querystring: LangQuery, response: { 200: html } },
  }, async (req, reply) => sendFile(reply, await reports.previewFile(actorOf(req), req.params.contractId, req.params.month, 'html', req.query.lang), true));

  app.get('/reports/preview/:contractId/:month/pdf', {
    schema: { tags, summary: 'Today\'s report as PDF; 503 render.pdf_unavailable without Chromium (staff)', params: ReportMonthParams, querystring: LangQuery, response: { 200: pdf } },
  }, async (req, reply) => sendFile(reply, await reports.previewFile(actorOf(req), req.params.contractId, req.params.month, 'pdf', req.query.lang), false));

  app.get('/reports/preview/:contractId/:month/csv/:table', {
    schema: { tags, summary: 'One table of today\'s report as CSV (staff)', params: ReportMonthTableParams, querystring: LangQuery, response: { 200: csv } },
  }, async (req, reply) => sendFile(reply, await reports.previewFile(actorOf(req), req.params.contractId, req.params.month, 'csv', req.query.lang, req.params.table), false));

  app.get('/reports/:id', {
    schema: {
      tags, summary: 'One issued report: its files, sends, acknowledgement and (staff) what changed since issue, named in `lang` (else the reader\'s language)',
      params: IdParams, querystring: OptionalLangQuery, response: { 200: IssuedReport },
    },
  }, async (req) => presentIssued(await reports.get(actorOf(req), req.params.id, req.query.lang ?? requestLocale(req)), reports.pdfAvailable()));

  app.get('/reports/:id/html', {
    schema: { tags, summary: 'The issued report\'s frozen HTML', params: IdParams, querystring: LangQuery, response: { 200: html } },
  }, async (req, reply) => sendFile(reply, await reports.file(actorOf(req), req.params.id, 'html', req.query.lang), true));

  app.get('/reports/:id/pdf', {
    schema: { tags, summary: 'The issued report\'s PDF', params: IdParams, querystring: LangQuery, response: { 200: pdf } },
  }, async (req, reply) => sendFile(reply, await reports.file(actorOf(req), req.params.id, 'pdf', req.query.lang), false));

  app.get('/reports/:id/csv/:table', {
    schema: { tags, summary: 'One table of the issued report as CSV', params: ReportTableParams, querystring: LangQuery, response: { 200: csv } },
  }, async (req, reply) => sendFile(reply, await reports.file(actorOf(req), req.params.id, 'csv', req.query.lang, req.params.table), false));

  app.post('/reports/:id/acknowledge', {
    schema: { tags, summary: 'Acknowledge an issued report (contact; again changes nothing)', params: IdParams, response: { 200: ReportMeta } },
  }, async (req) => presentReportMeta(await reports.acknowledge(actorOf(req), req.params.id)));

  app.post('/reports/:id/send', {
    schema: { tags, summary: 'E-mail an issued report to the contract\'s contacts (after commit; recorded on the report) (staff)', params: IdParams, response: { 200: ReportSend } },
  }, async (req) => {
    const s = await reports.send(actorOf(req), req.params.id, { origin: `${req.protocol}://${req.host}` });
    return { ...s, sentAt: new Date(s.sentAt).toISOString() };
  });
}
