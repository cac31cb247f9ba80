/** Rows for the risk register routes (issue 14): staff run it; a contact reads their own client's, discusses, acknowledges and accepts. */
import { DEFAULT_RISK_CRITERIA } from '../../../src/contract/risks.ts';
import { call } from '../helpers.ts';
import { riskBody } from '../risk-fixtures.ts';
import { ALL_SIGNED_IN, type Case, type MatrixContext, type Expect } from './types.ts';

export function cases(ctx: MatrixContext): Case[] {
  const { app, w } = ctx;
  const STAFF_WRITE: Expect = [401, 200, 200, 403, 403];
  const STAFF_CREATE: Expect = [401, 201, 201, 403, 403];
  const CLIENT_ONLY: Expect = [401, 403, 403, 200, 404];

  /** A fresh open risk of client A with a residual rating (and an internal note, or closed, when asked). */
  const fresh = async (o: { closed?: boolean; note?: boolean } = {}) => {
    const r = await call(app, w.agent, { method: 'POST', url: '/api/v1/risks', payload: riskBody(w, { residual: { likelihood: 2, impact: 2 } }) });
    if (r.statusCode !== 201) throw new Error(`fixture risk: ${r.statusCode} ${r.body}`);
    const id = (r.json() as { id: string }).id;
    if (o.note) await call(app, w.agent, { method: 'POST', url: `/api/v1/risks/${id}/messages`, payload: { body: 'matrix internal note', internal: true } });
    if (o.closed) await call(app, w.agent, { method: 'POST', url: `/api/v1/risks/${id}/close`, payload: { reason: 'matrix' } });
    return id;
  };
  // Commands that leave a risk open and usable again share one (fewer fixture requests: the
  // matrix runs every row for five callers on both dialects); close and reopen get their own.
  let sharedId: Promise<string> | null = null;
  const shared = () => (sharedId ??= fresh({ note: true }));
  const risk = (path: string, body?: unknown) => async () => ({ url: `/api/v1/risks/${await shared()}${path}`, body });
  const own = (path: string, body: unknown, o: { closed?: boolean }) => async () => ({ url: `/api/v1/risks/${await fresh(o)}${path}`, body });
  const control = (path: string, body?: unknown, present = false) => async () => {
    const id = await shared();
    const c = await call(app, w.agent, { method: 'POST', url: `/api/v1/risks/${id}/controls`, payload: { title: 'matrix control', ownerId: w.agent.userId, present } });
    if (c.statusCode !== 201) throw new Error(`fixture control: ${c.statusCode} ${c.body}`);
    return { url: `/api/v1/risks/${id}/controls/${(c.json() as { id: string }).id}${path}`, body };
  };
  /** A fresh change request of client A: a link names a record of the risk's client that exists (a fresh one: links are unique). */
  const targetId = async () => {
    const c = await call(app, w.agent, { method: 'POST', url: '/api/v1/change-requests', payload: { contractId: w.a.contractId, title: 'matrix link target' } });
    if (c.statusCode !== 201) throw new Error(`fixture change request: ${c.statusCode} ${c.body}`);
    return (c.json() as { id: string }).id;
  };
  const link = async () => {
    const id = await shared();
    const l = await call(app, w.agent, { method: 'POST', url: `/api/v1/risks/${id}/links`, payload: { kind: 'change_request', targetId: await targetId() } });
    if (l.statusCode !== 201) throw new Error(`fixture link: ${l.statusCode} ${l.body}`);
    return { url: `/api/v1/risks/${id}/links/${(l.json() as { id: string }).id}` };
  };
  const onlyClientA = (who: string, res: { json: () => unknown }) => {
    if (who !== 'contactA' && who !== 'contactB') return undefined;
    const mine = who === 'contactA' ? w.a.clientId : w.b.clientId;
    const items = (res.json() as { items: Array<{ clientId: string }> }).items;
    return items.every((x) => x.clientId === mine) ? undefined : 'a contact sees another client\'s risk';
  };

  return [
    { method: 'GET', route: '/api/v1/risk-criteria', expect: ALL_SIGNED_IN },
    { method: 'GET', route: '/api/v1/risk-criteria/current', expect: ALL_SIGNED_IN },
    { method: 'GET', route: '/api/v1/risk-criteria/{version}', expect: ALL_SIGNED_IN, prepare: async () => ({ url: '/api/v1/risk-criteria/1' }) },
    { method: 'POST', route: '/api/v1/risk-criteria', expect: [401, 201, 403, 403, 403], body: { document: DEFAULT_RISK_CRITERIA, note: 'matrix' } },
    {
      method: 'GET', route: '/api/v1/risks', expect: ALL_SIGNED_IN,
      prepare: async () => { await shared(); return {}; },
      verify: (who, res) => (who === 'anonymous' ? undefined : onlyClientA(who, res)),
    },
    { method: 'GET', route: '/api/v1/risks/heatmap', expect: ALL_SIGNED_IN },
    {
      method: 'GET', route: '/api/v1/risks/export.csv', expect: ALL_SIGNED_IN,
      verify: (who, res) => (who === 'contactB' && (res as unknown as { body: string }).body.includes('Client A') ? 'client B\'s export names client A' : undefined),
    },
    { method: 'POST', route: '/api/v1/risks', expect: STAFF_CREATE, prepare: async () => ({ body: riskBody(w) }) },
    {
      method: 'GET', route: '/api/v1/risks/{id}', expect: [401, 200, 200, 200, 404], prepare: risk(''),
      verify: (who, res) => {
        if (who !== 'contactA') return undefined;
        const d = res.json() as { messages: Array<{ internal: boolean }> };
        return d.messages.some((m) => m.internal) ? 'a contact sees an internal note' : undefined;
      },
    },
    { method: 'PATCH', route: '/api/v1/risks/{id}', expect: STAFF_WRITE, prepare: risk('', { title: 'matrix 変更' }) },
    { method: 'POST', route: '/api/v1/risks/{id}/score', expect: STAFF_WRITE, prepare: risk('/score', { inherent: { likelihood: 2, impact: 3 }, reason: 'matrix' }) },
    { method: 'POST', route: '/api/v1/risks/{id}/close', expect: STAFF_WRITE, prepare: own('/close', { reason: 'matrix' }, {}) },
    { method: 'POST', route: '/api/v1/risks/{id}/reopen', expect: STAFF_WRITE, prepare: own('/reopen', undefined, { closed: true }) },
    { method: 'POST', route: '/api/v1/risks/{id}/review', expect: STAFF_WRITE, prepare: risk('/review', { note: 'matrix review' }) },
    { method: 'POST', route: '/api/v1/risks/{id}/messages', expect: [401, 201, 201, 201, 404], prepare: risk('/messages', { body: '協議 matrix' }) },
    // An internal note is staff only, whoever's risk it is.
    { method: 'POST', route: '/api/v1/risks/{id}/messages', expect: [401, 201, 201, 403, 403], prepare: risk('/messages', { body: 'note', internal: true }) },
    { method: 'POST', route: '/api/v1/risks/{id}/links', expect: STAFF_CREATE, prepare: async () => ({ url: `/api/v1/risks/${await shared()}/links`, body: { kind: 'change_request', targetId: await targetId() } }) },
    { method: 'DELETE', route: '/api/v1/risks/{id}/links/{linkId}', expect: STAFF_WRITE, prepare: link },
    { method: 'POST', route: '/api/v1/risks/{id}/controls', expect: STAFF_CREATE, prepare: risk('/controls', { title: 'matrix', ownerId: w.agent.userId }) },
    { method: 'PATCH', route: '/api/v1/risks/{id}/controls/{controlId}', expect: STAFF_WRITE, prepare: control('', { status: 'in_progress' }) },
    { method: 'POST', route: '/api/v1/risks/{id}/controls/{controlId}/present', expect: STAFF_WRITE, prepare: control('/present') },
    { method: 'POST', route: '/api/v1/risks/{id}/controls/{controlId}/acknowledge', expect: CLIENT_ONLY, prepare: control('/acknowledge', undefined, true) },
    // (A control not yet presented answers risk_control.not_found to client A: test/http/risks.test.ts. The matrix's
    // "not yours = missing" check swaps the first id in the URL, the risk's, so it cannot express that row.)
    { method: 'POST', route: '/api/v1/risks/{id}/acceptances', expect: [401, 403, 403, 201, 404], prepare: risk('/acceptances', { expiresOn: '2099-03-31' }) },
  ];
}
