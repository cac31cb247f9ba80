/** Rows for the webhook and escalation routes (issue 16): admins only; agents read escalation rules; contacts: none. */
import { call } from '../helpers.ts';
import type { Case, MatrixContext } from './types.ts';

export function cases(ctx: MatrixContext): Case[] {
  const { app, w } = ctx;
  let n = 0;
  const ADMIN_ONLY = (ok: number): [number, number, number, number, number] => [401, ok, 403, 403, 403];
  // Disabled and on a loopback address (allowInsecure), so nothing is ever sent by the matrix.
  const body = () => ({ url: `http://127.0.0.1:9/matrix-${++n}`, enabled: false, allowInsecure: true, description: 'matrix' });
  const endpoint = (suffix = '', payload?: unknown) => async () => {
    const r = await call(app, w.admin, { method: 'POST', url: '/api/v1/webhooks', payload: body() });
    if (r.statusCode !== 201) throw new Error(`fixture webhook: ${r.statusCode} ${r.body}`);
    return { url: `/api/v1/webhooks/${(r.json() as { id: string }).id}${suffix}`, body: payload };
  };
  /** A fresh endpoint with one (test) delivery. */
  const delivery = (suffix = '') => async () => {
    const r = await call(app, w.admin, { method: 'POST', url: '/api/v1/webhooks', payload: body() });
    const id = (r.json() as { id: string }).id;
    const d = await call(app, w.admin, { method: 'POST', url: `/api/v1/webhooks/${id}/test` });
    if (d.statusCode !== 202) throw new Error(`fixture delivery: ${d.statusCode} ${d.body}`);
    return { url: `/api/v1/webhooks/${id}/deliveries/${(d.json() as { id: string }).id}${suffix}` };
  };
  return [
    { method: 'GET', route: '/api/v1/webhooks', expect: ADMIN_ONLY(200) },
    { method: 'POST', route: '/api/v1/webhooks', expect: ADMIN_ONLY(201), prepare: async () => ({ body: body() }) },
    {
      method: 'GET', route: '/api/v1/webhooks/{id}', expect: ADMIN_ONLY(200), prepare: endpoint(),
      verify: (_who, res) => (res.statusCode === 200 && 'secret' in (res.json() as object) ? 'the secret is shown again' : undefined),
    },
    { method: 'PATCH', route: '/api/v1/webhooks/{id}', expect: ADMIN_ONLY(200), prepare: endpoint('', { description: 'changed' }) },
    { method: 'DELETE', route: '/api/v1/webhooks/{id}', expect: ADMIN_ONLY(200), prepare: endpoint() },
    { method: 'POST', route: '/api/v1/webhooks/{id}/secret', expect: ADMIN_ONLY(200), prepare: endpoint('/secret', { keepOldHours: 1 }) },
    { method: 'POST', route: '/api/v1/webhooks/{id}/test', expect: ADMIN_ONLY(202), prepare: endpoint('/test') },
    { method: 'GET', route: '/api/v1/webhooks/{id}/deliveries', expect: ADMIN_ONLY(200), prepare: endpoint('/deliveries') },
    { method: 'GET', route: '/api/v1/webhooks/{id}/deliveries/{deliveryId}', expect: ADMIN_ONLY(200), prepare: delivery() },
    { method: 'POST', route: '/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver', expect: ADMIN_ONLY(202), prepare: delivery('/redeliver') },
    {
      method: 'GET', route: '/api/v1/contracts/{id}/escalation', expect: [401, 200, 200, 403, 403],
      prepare: async () => ({ url: `/api/v1/contracts/${w.a.contractId}/escalation` }),
    },
    {
      method: 'PUT', route: '/api/v1/contracts/{id}/escalation', expect: ADMIN_ONLY(200),
      prepare: async () => ({
        url: `/api/v1/contracts/${w.a.contractId}/escalation`,
        body: { rules: { breached: { assignee: true, deskLead: true, engineer: false }, nextLevelAfterBusinessHours: 2, urgentUnassignedMinutes: 10 } },
      }),
    },
  ];
}
