/**
 * The SLA document of a contract (JSON with the page, or the page itself) and the
 * templates it is written from (staff read them; an admin's edit is a new policy version).
 */
import { z } from 'zod';
import { IdParams } from '../../contract/common.ts';
import {
  EditSlaTemplateBody, SlaDocument, SlaDocumentQuery, SlaDocumentTemplates, SlaTemplateParams, SlaTemplateVersionQuery,
} from '../../contract/sla-document.ts';
import { actorOf } from '../../http/actor.ts';
import { requestLocale } from '../../http/locale.ts';
import type { Api } from '../../http/types.ts';
import type { SlaDocumentService } from './sla-document.service.ts';

const tags = ['sla-policies'];

/**
 * The page runs nothing and loads nothing but its inline styles: the template is an admin's
 * HTML, and the page is framed by the desk (same origin only).
 */
export const SLA_DOCUMENT_CSP = "sandbox allow-popups allow-modals; default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

/** The PDF's bytes; documented as a binary string. */
const PdfBytes = z.instanceof(Buffer).meta({ type: 'string', format: 'binary', description: 'application/pdf; Content-Disposition: attachment with an RFC 5987 filename*' });

/** `attachment; filename="<ASCII>"; filename*=UTF-8''<RFC 5987>`: the Japanese name survives, old browsers get the fallback. */
function attachment(filename: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this removes
  const clean = filename.replace(/[\x00-\x1f\x7f/\\"]/g, '_');
  const encoded = encodeURIComponent(clean).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${clean.replace(/[^\x20-\x7e]|%/g, '_')}"; filename*=UTF-8''${encoded}`;
}

export function registerSlaDocumentRoutes(app: Api, docs: SlaDocumentService): void {
  app.get('/contracts/:id/sla-document', {
    schema: {
      tags, summary: 'The contract\'s SLA document in the version of the policy it follows, as HTML inside JSON (a contact: their own contracts only)',
      params: IdParams, querystring: SlaDocumentQuery, response: { 200: SlaDocument },
    },
  }, async (req) => docs.render(actorOf(req), req.params.id, req.query.lang ?? requestLocale(req)));

  app.get('/contracts/:id/sla-document.html', {
    schema: {
      tags, summary: 'The contract\'s SLA document as an HTML page (print it, or frame it in the desk)',
      params: IdParams, querystring: SlaDocumentQuery,
      response: { 200: { description: 'the document page, sandboxed by its CSP', content: { 'text/html': { schema: z.string() } } } },
    },
  }, async (req, reply) => {
    const doc = await docs.render(actorOf(req), req.params.id, req.query.lang ?? requestLocale(req));
    return reply.type('text/html; charset=utf-8').header('content-security-policy', SLA_DOCUMENT_CSP).header('x-frame-options', 'SAMEORIGIN').send(doc.html);
  });

  app.get('/contracts/:id/sla-document.pdf', {
    schema: {
      tags, summary: 'The contract\'s SLA document printed to PDF (A4, embedded TrueType Japanese font); 503 render.pdf_unavailable without Chromium',
      params: IdParams, querystring: SlaDocumentQuery, response: { 200: PdfBytes },
    },
  }, async (req, reply) => {
    const { bytes, filename } = await docs.pdf(actorOf(req), req.params.id, req.query.lang ?? requestLocale(req));
    return reply.type('application/pdf').header('content-disposition', attachment(filename)).send(bytes);
  });

  app.get('/sla-policies/:id/templates', {
    schema: {
      tags, summary: 'The SLA document templates (ja, en) that apply to a version of the policy, and the names a template may use (staff)',
      params: IdParams, querystring: SlaTemplateVersionQuery, response: { 200: SlaDocumentTemplates },
    },
  }, async (req) => docs.templates(actorOf(req), req.params.id, req.query.version));

  app.put('/sla-policies/:id/templates/:lang', {
    schema: {
      tags, summary: 'Replace the SLA document template of one language (admin): writes a new version of the policy with the same targets',
      params: SlaTemplateParams, body: EditSlaTemplateBody, response: { 201: SlaDocumentTemplates },
    },
  }, async (req, reply) => {
    const b = req.body;
    const out = await docs.editTemplate(actorOf(req), req.params.id, req.params.lang, {
      body: b.body, revisedOn: b.revisedOn, ...(b.note !== undefined ? { note: b.note } : {}), ...(b.applyToContracts !== undefined ? { applyToContracts: b.applyToContracts } : {}),
    });
    return reply.status(201).send(out);
  });
}
