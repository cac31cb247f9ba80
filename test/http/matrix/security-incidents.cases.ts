/** Rows for the security-incident routes (issue 14). A contact sees and files their own client's; everything else is staff's. */
import { call } from '../helpers.ts';
import { riskBody } from '../risk-fixtures.ts';
import { ALL_SIGNED_IN, type Case, type Expect, type MatrixContext } from './types.ts';

const STAFF_WRITE_200: Expect = [401, 200, 200, 403, 403];
const STAFF_WRITE_201: Expect = [401, 201, 201, 403, 403];
const OWN_CLIENT: Expect = [401, 200, 200, 200, 404];

export function cases(ctx: MatrixContext): Case[] {
  const { app, w } = ctx;
  const base = '/api/v1/security-incidents';
  const must = async (method: 'POST', url: string, payload: object, status: number, who = w.agent) => {
    const r = await call(app, who, { method, url, payload });
    if (r.statusCode !== status) throw new Error(`fixture ${url}: ${r.statusCode} ${r.body}`);
    return r.json() as { id: string; reports: Array<{ id: string }>; evidence: Array<{ id: string }> };
  };
  /** A fresh security incident of client A (recorded by the agent, or filed by contact A), taken through `steps`. */
  const fresh = (path: string, body?: unknown, o: { byContact?: boolean; steps?: string[]; evidence?: 'shared' | 'unshared' } = {}) => async () => {
    const d = await must('POST', base, { contractId: w.a.contractId, kind: 'malware', title: 'matrix' }, 201, o.byContact ? w.contactA : w.agent);
    let reportId = '';
    let evidenceId = '';
    for (const step of o.steps ?? []) {
      if (step.startsWith('report:')) {
        const r = await must('POST', `${base}/${d.id}/reports`, { kind: step.slice(7), title: 't', body: 'b' }, 201);
        reportId = r.reports.at(-1)!.id;
      } else await must('POST', `${base}/${d.id}/${step}`, {}, 200);
    }
    if (o.evidence) {
      const r = await must('POST', `${base}/${d.id}/evidence`, { fileName: 'a.log', contentBase64: Buffer.from('log').toString('base64'), shared: o.evidence === 'shared' }, 201);
      evidenceId = r.evidence[0]!.id;
    }
    return { url: `${base}/${d.id}${path.replace('{reportId}', reportId).replace('{evidenceId}', evidenceId)}`, body };
  };

  return [
    { method: 'GET', route: base, expect: ALL_SIGNED_IN },
    // A contact files for their own client's contract; another client's contract is not found.
    { method: 'POST', route: base, expect: [401, 201, 201, 201, 404], body: { contractId: w.a.contractId, kind: 'malware', title: 'matrix create' } },
    { method: 'GET', route: `${base}/{id}`, expect: OWN_CLIENT, prepare: fresh('') },
    { method: 'PATCH', route: `${base}/{id}`, expect: STAFF_WRITE_200, prepare: fresh('', { title: '変更後' }) },
    { method: 'POST', route: `${base}/{id}/recognize`, expect: STAFF_WRITE_200, prepare: fresh('/recognize', {}, { byContact: true }) },
    { method: 'POST', route: `${base}/{id}/contain`, expect: STAFF_WRITE_200, prepare: fresh('/contain', { note: '隔離' }) },
    { method: 'POST', route: `${base}/{id}/remove-threat`, expect: STAFF_WRITE_200, prepare: fresh('/remove-threat', {}) },
    {
      method: 'POST', route: `${base}/{id}/close`, expect: STAFF_WRITE_200,
      prepare: fresh('/close', {}, { steps: ['remove-threat', 'report:first', 'report:final'] }),
    },
    { method: 'POST', route: `${base}/{id}/scope`, expect: STAFF_WRITE_200, prepare: fresh('/scope', { inScope: false, condition: 'no_virus_check', reason: 'ローカルPC' }) },
    { method: 'POST', route: `${base}/{id}/actions`, expect: STAFF_WRITE_201, prepare: fresh('/actions', { body: 'スキャン実施', visibility: 'public' }) },
    { method: 'POST', route: `${base}/{id}/reports`, expect: STAFF_WRITE_201, prepare: fresh('/reports', { kind: 'first', title: '第一報', body: '検知しました' }) },
    // Reading a report is the client's acknowledgement; staff have nothing to acknowledge.
    { method: 'POST', route: `${base}/{id}/reports/{reportId}/read`, expect: [401, 403, 403, 200, 404], prepare: fresh('/reports/{reportId}/read', {}, { steps: ['report:first'] }) },
    { method: 'POST', route: `${base}/{id}/evidence`, expect: STAFF_WRITE_201, prepare: fresh('/evidence', { fileName: 'edr.log', contentBase64: Buffer.from('x').toString('base64') }) },
    // Evidence is staff's until shared: contact A's security_evidence.not_found for unshared evidence of their own
    // incident is asserted in test/http/security-incidents.test.ts (this table's "not yours = missing" check swaps
    // only the first id of the URL, the incident's, so it would compare it with security_incident.not_found).
    { method: 'GET', route: `${base}/{id}/evidence/{evidenceId}/content`, expect: OWN_CLIENT, prepare: fresh('/evidence/{evidenceId}/content', undefined, { evidence: 'shared' }) },
    { method: 'POST', route: `${base}/{id}/evidence/{evidenceId}/share`, expect: STAFF_WRITE_200, prepare: fresh('/evidence/{evidenceId}/share', { shared: true }, { evidence: 'unshared' }) },
    {
      method: 'POST', route: `${base}/{id}/evidence/{evidenceId}/custody`, expect: STAFF_WRITE_201,
      prepare: fresh('/evidence/{evidenceId}/custody', { action: 'examined', note: '解析' }, { evidence: 'unshared' }),
    },
    { method: 'POST', route: `${base}/{id}/evidence/{evidenceId}/verify`, expect: STAFF_WRITE_200, prepare: fresh('/evidence/{evidenceId}/verify', undefined, { evidence: 'unshared' }) },
    {
      // The link names a risk of the same client that exists (one of client A's, registered here).
      method: 'POST', route: `${base}/{id}/links`, expect: STAFF_WRITE_201,
      prepare: async () => fresh('/links', { kind: 'risk', targetId: (await must('POST', '/api/v1/risks', riskBody(w), 201)).id })(),
    },
  ];
}
