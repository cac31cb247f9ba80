/** Rows for the SLA document (issue 12): a contract's document (JSON and page) and the policy's templates. */
import fs from 'node:fs';
import { type Case, type MatrixContext, type Who } from './types.ts';

const PDF = fs.existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium') ? 200 : 503;

export function cases(ctx: MatrixContext): Case[] {
  const { w } = ctx;
  let n = 0;
  const shows = (text: string) => (who: Who, res: { statusCode: number; json: () => unknown }) =>
    res.statusCode === 200 && !(res.json() as { html: string }).html.includes(text) ? `${who}: the document lacks ${text}` : undefined;
  return [
    {
      method: 'GET', route: '/api/v1/contracts/{id}/sla-document', expect: [401, 200, 200, 200, 404],
      prepare: async () => ({ url: `/api/v1/contracts/${w.a.contractId}/sla-document?lang=ja` }), verify: shows('Client A 保守契約'),
    },
    { method: 'GET', route: '/api/v1/contracts/{id}/sla-document', expect: [401, 200, 200, 404, 200], prepare: async () => ({ url: `/api/v1/contracts/${w.b.contractId}/sla-document?lang=en` }) },
    { method: 'GET', route: '/api/v1/contracts/{id}/sla-document.html', expect: [401, 200, 200, 200, 404], prepare: async () => ({ url: `/api/v1/contracts/${w.a.contractId}/sla-document.html` }) },
    // 200 with Chromium, 503 render.pdf_unavailable without: either way never another client's.
    {
      method: 'GET', route: '/api/v1/contracts/{id}/sla-document.pdf', expect: [401, PDF, PDF, PDF, 404],
      prepare: async () => ({ url: `/api/v1/contracts/${w.a.contractId}/sla-document.pdf?lang=en` }),
    },
    { method: 'GET', route: '/api/v1/sla-policies/{id}/templates', expect: [401, 200, 200, 403, 403], prepare: async () => ({ url: `/api/v1/sla-policies/${w.policyId}/templates` }) },
    {
      method: 'PUT', route: '/api/v1/sla-policies/{id}/templates/{lang}', expect: [401, 201, 403, 403, 403],
      prepare: async () => ({
        url: `/api/v1/sla-policies/${w.policyId}/templates/ja`,
        body: { body: `<h1>{{title}}</h1><p>{{contract.name}} 第${++n}稿</p>`, revisedOn: '2026-04-01', applyToContracts: false },
      }),
    },
  ];
}
