/** Rows for the monthly SLA report routes (issue 12): staff preview, issue and send; contacts read their own client's issued reports and acknowledge them. */
import { call } from '../helpers.ts';
import { ALL_SIGNED_IN, type Case, type MatrixContext } from './types.ts';

export function cases(ctx: MatrixContext): Case[] {
  const { app, w } = ctx;
  const STAFF_ONLY: [number, number, number, number, number] = [401, 200, 200, 403, 403];
  const CLIENT_A: [number, number, number, number, number] = [401, 200, 200, 200, 404];
  let issued: Promise<string> | undefined;
  /** One issued report of client A (issued once, shared by the rows). */
  const report = (path: string) => async () => {
    issued ??= (async () => {
      const r = await call(app, w.agent, { method: 'POST', url: '/api/v1/reports', payload: { contractId: w.a.contractId, month: '2026-03' } });
      if (r.statusCode !== 201) throw new Error(`fixture report: ${r.statusCode} ${r.body}`);
      return (r.json() as { id: string }).id;
    })();
    return { url: `/api/v1/reports/${await issued}${path}` };
  };
  const preview = (path: string) => async () => ({ url: `/api/v1/reports/preview/${w.a.contractId}/2026-03${path}` });
  return [
    {
      method: 'GET', route: '/api/v1/reports', expect: ALL_SIGNED_IN,
      prepare: async () => {
        await report('')();
        return {};
      },
      verify: (who, res) => {
        if (who === 'anonymous') return undefined;
        const clients = new Set((res.json() as { items: Array<{ clientId: string }> }).items.map((x) => x.clientId));
        if (who === 'contactB') return clients.size === 0 ? undefined : 'contact B sees another client\'s reports';
        return clients.has(w.a.clientId) ? undefined : 'client A\'s report is missing';
      },
    },
    { method: 'POST', route: '/api/v1/reports', expect: [401, 201, 201, 403, 403], body: { contractId: w.a.contractId, month: '2026-02' } },
    { method: 'GET', route: '/api/v1/reports/preview/{contractId}/{month}', expect: STAFF_ONLY, prepare: preview('') },
    { method: 'GET', route: '/api/v1/reports/preview/{contractId}/{month}/html', expect: STAFF_ONLY, prepare: preview('/html') },
    { method: 'GET', route: '/api/v1/reports/preview/{contractId}/{month}/pdf', expect: STAFF_ONLY, prepare: preview('/pdf?lang=en') },
    { method: 'GET', route: '/api/v1/reports/preview/{contractId}/{month}/csv/{table}', expect: STAFF_ONLY, prepare: preview('/csv/incidents') },
    { method: 'GET', route: '/api/v1/reports/{id}', expect: CLIENT_A, prepare: report('') },
    { method: 'GET', route: '/api/v1/reports/{id}/html', expect: CLIENT_A, prepare: report('/html') },
    { method: 'GET', route: '/api/v1/reports/{id}/pdf', expect: CLIENT_A, prepare: report('/pdf') },
    { method: 'GET', route: '/api/v1/reports/{id}/csv/{table}', expect: CLIENT_A, prepare: report('/csv/breaches?lang=en') },
    { method: 'POST', route: '/api/v1/reports/{id}/acknowledge', expect: [401, 403, 403, 200, 404], prepare: report('/acknowledge') },
    { method: 'POST', route: '/api/v1/reports/{id}/send', expect: STAFF_ONLY, prepare: report('/send') },
  ];
}
