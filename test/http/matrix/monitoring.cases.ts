/** Rows for the monitoring routes (issue 6): monitors, outages, availability, the public status page. */
import { uuidv7 } from 'uuidv7';
import { call } from '../helpers.ts';
import { ALL_SIGNED_IN, type Case, type MatrixContext } from './types.ts';

export function cases(ctx: MatrixContext): Case[] {
  const { app, db, w } = ctx;
  let n = 0;
  const monitorBody = () => ({ contractId: w.a.contractId, systemId: w.a.systemId, name: `matrix ${++n}`, kind: 'tcp', host: '127.0.0.1', port: 9, enabled: false });
  /** A fresh (disabled, so never checked) monitor of client A. */
  const monitor = (body?: unknown) => async () => {
    const r = await call(app, w.agent, { method: 'POST', url: '/api/v1/monitors', payload: monitorBody() });
    if (r.statusCode !== 201) throw new Error(`fixture monitor: ${r.statusCode} ${r.body}`);
    return { url: `/api/v1/monitors/${(r.json() as { id: string }).id}`, body };
  };
  /** A fresh open outage of client A (as a confirmed one is stored; no network needed). */
  const openOutage = (body?: unknown) => async () => {
    const r = await call(app, w.agent, { method: 'POST', url: '/api/v1/monitors', payload: monitorBody() });
    if (r.statusCode !== 201) throw new Error(`fixture monitor: ${r.statusCode} ${r.body}`);
    const id = uuidv7();
    const at = Date.parse('2026-03-01T00:00:00Z');
    await db.insertInto('outages').values({
      id, monitorId: (r.json() as { id: string }).id, contractId: w.a.contractId, clientId: w.a.clientId, systemId: w.a.systemId,
      startedAt: at, confirmedAt: at, endedAt: null, muted: 1, incidentId: null, createdAt: at, updatedAt: at, endedBy: null, endReason: null,
    }).execute();
    return { url: `/api/v1/outages/${id}/close`, body };
  };
  return [
    { method: 'DELETE', route: '/api/v1/monitors/{id}', expect: [401, 200, 200, 403, 403], prepare: monitor() },
    { method: 'POST', route: '/api/v1/outages/{id}/close', expect: [401, 200, 200, 403, 403], prepare: openOutage({ reason: 'matrix' }) },
    {
      method: 'GET', route: '/api/v1/contracts/{id}/status-page', expect: [401, 200, 200, 200, 404],
      prepare: async () => ({ url: `/api/v1/contracts/${w.a.contractId}/status-page` }),
    },
    {
      method: 'PUT', route: '/api/v1/contracts/{id}/status-page', expect: [401, 200, 200, 403, 403],
      prepare: async () => ({ url: `/api/v1/contracts/${w.a.contractId}/status-page`, body: { incidents: 'all' } }),
    },
    { method: 'GET', route: '/api/v1/monitors', expect: ALL_SIGNED_IN },
    { method: 'POST', route: '/api/v1/monitors', expect: [401, 201, 201, 403, 403], prepare: async () => ({ body: monitorBody() }) },
    { method: 'GET', route: '/api/v1/monitors/{id}', expect: [401, 200, 200, 200, 404], prepare: monitor() },
    { method: 'PATCH', route: '/api/v1/monitors/{id}', expect: [401, 200, 200, 403, 403], prepare: monitor({ name: 'renamed' }) },
    { method: 'GET', route: '/api/v1/outages', expect: ALL_SIGNED_IN },
    {
      method: 'GET', route: '/api/v1/contracts/{id}/availability/{month}', expect: [401, 200, 200, 200, 404],
      prepare: async () => ({ url: `/api/v1/contracts/${w.a.contractId}/availability/2026-03` }),
    },
    {
      method: 'GET', route: '/api/v1/public/{token}/status', expect: [200, 200, 200, 200, 200],
      prepare: async () => {
        const r = await call(app, w.agent, { method: 'POST', url: `/api/v1/contracts/${w.a.contractId}/publication` });
        return { url: `/api/v1/public/${(r.json() as { token: string }).token}/status` };
      },
    },
  ];
}
