/** Rows for the planned-maintenance routes (issue 6). Moved here from access-matrix.test.ts: each module now owns a matrix/<module>.cases.ts (see types.ts). */
import { call } from '../helpers.ts';
import { ALL_SIGNED_IN, type Case, type MatrixContext } from './types.ts';

export function cases(ctx: MatrixContext): Case[] {
  const { app, w } = ctx;
  const S = { all200: ALL_SIGNED_IN };
  let n = 0;
  const uniq = () => `${Date.now()}-${++n}`;
  const maintenanceBody = () => ({ contractId: w.a.contractId, title: `matrix ${uniq()}`, startsAt: '2026-06-01T02:00:00+09:00', endsAt: '2026-06-01T04:00:00+09:00' });
  /** A fresh maintenance draft of client A (announced when asked). */
  const maint = (path: string, body?: unknown, announce = false) => async () => {
    const r = await call(app, w.agent, { method: 'POST', url: '/api/v1/maintenance', payload: { ...maintenanceBody(), announce } });
    if (r.statusCode !== 201) throw new Error(`fixture maintenance: ${r.statusCode} ${r.body}`);
    return { url: `/api/v1/maintenance/${(r.json() as { id: string }).id}${path}`, body };
  };
  const seriesBody = () => ({ contractId: w.a.contractId, title: `backup ${uniq()}`, startTime: '02:00', endTime: '04:00', repeat: { kind: 'weekly', weekdays: ['sun'] }, firstDate: '2026-05-01', count: 3 });
  const series = (path: string, body?: unknown) => async () => {
    const r = await call(app, w.agent, { method: 'POST', url: '/api/v1/maintenance-series', payload: seriesBody() });
    if (r.statusCode !== 201) throw new Error(`fixture series: ${r.statusCode} ${r.body}`);
    return { url: `/api/v1/maintenance-series/${(r.json() as { series: { id: string } }).series.id}${path}`, body };
  };
  /** The public URL of client A's published contract (publishing again issues a new token). */
  const published = (path: string) => async () => {
    const r = await call(app, w.agent, { method: 'POST', url: `/api/v1/contracts/${w.a.contractId}/publication` });
    if (r.statusCode !== 201) throw new Error(`fixture publication: ${r.statusCode} ${r.body}`);
    return { url: `/api/v1/public/${(r.json() as { token: string }).token}${path}` };
  };
  return [
    // maintenance (issue 6)
    { method: 'GET', route: '/api/v1/maintenance', expect: S.all200 },
    // A contact's list holds only windows their client was told about: no draft, even when asked for cancelled ones too.
    {
      method: 'GET', route: '/api/v1/maintenance', expect: S.all200,
      prepare: async () => {
        await maint('')();
        return { url: '/api/v1/maintenance?includeCancelled=true&limit=1000' };
      },
      verify: (who, res) => {
        if (who === 'anonymous') return undefined;
        const drafts = (res.json() as { items: Array<{ announcedAt: string | null }> }).items.filter((x) => x.announcedAt === null).length;
        if (who === 'contactA' || who === 'contactB') return drafts === 0 ? undefined : `a contact sees ${drafts} unannounced window(s)`;
        return drafts > 0 ? undefined : 'staff miss the drafts';
      },
    },
    { method: 'POST', route: '/api/v1/maintenance', expect: [401, 201, 201, 403, 403], prepare: async () => ({ body: maintenanceBody() }) },
    // An announced window is the client's to read; a draft is not yet (the same answer as a missing id).
    { method: 'GET', route: '/api/v1/maintenance/{id}', expect: [401, 200, 200, 200, 404], prepare: maint('', undefined, true) },
    { method: 'GET', route: '/api/v1/maintenance/{id}', expect: [401, 200, 200, 404, 404], prepare: maint('') },
    { method: 'PATCH', route: '/api/v1/maintenance/{id}', expect: [401, 200, 200, 403, 403], prepare: maint('', { title: '変更後' }) },
    { method: 'POST', route: '/api/v1/maintenance/{id}/announce', expect: [401, 200, 200, 403, 403], prepare: maint('/announce', {}) },
    { method: 'POST', route: '/api/v1/maintenance/{id}/cancel', expect: [401, 200, 200, 403, 403], prepare: maint('/cancel', { reason: '中止' }) },
    {
      method: 'POST', route: '/api/v1/maintenance/{id}/actual', expect: [401, 200, 200, 403, 403],
      prepare: maint('/actual', { actualStart: '2026-06-01T02:00:00+09:00', actualEnd: '2026-06-01T04:30:00+09:00' }, true),
    },
    { method: 'GET', route: '/api/v1/maintenance-series', expect: S.all200 },
    { method: 'POST', route: '/api/v1/maintenance-series', expect: [401, 201, 201, 403, 403], prepare: async () => ({ body: seriesBody() }) },
    { method: 'GET', route: '/api/v1/maintenance-series/{id}', expect: [401, 200, 200, 200, 404], prepare: series('') },
    { method: 'POST', route: '/api/v1/maintenance-series/{id}/cancel', expect: [401, 200, 200, 403, 403], prepare: series('/cancel', { reason: '終了' }) },
    {
      method: 'GET', route: '/api/v1/contracts/{id}/maintenance-notice', expect: [401, 200, 200, 200, 404],
      prepare: async () => ({ url: `/api/v1/contracts/${w.a.contractId}/maintenance-notice?startsAt=2026-06-01T02%3A00%3A00%2B09%3A00` }),
    },
    { method: 'GET', route: '/api/v1/contracts/{id}/maintenance-settings', expect: [401, 200, 200, 200, 404], prepare: async () => ({ url: `/api/v1/contracts/${w.a.contractId}/maintenance-settings` }) },
    { method: 'PUT', route: '/api/v1/contracts/{id}/maintenance-settings', expect: [401, 200, 403, 403, 403], prepare: async () => ({ url: `/api/v1/contracts/${w.a.contractId}/maintenance-settings`, body: { noticeBusinessDays: 2 } }) },
    { method: 'POST', route: '/api/v1/contracts/{id}/publication', expect: [401, 201, 201, 403, 403], prepare: async () => ({ url: `/api/v1/contracts/${w.a.contractId}/publication` }) },
    { method: 'DELETE', route: '/api/v1/contracts/{id}/publication', expect: [401, 200, 200, 403, 403], prepare: async () => ({ url: `/api/v1/contracts/${w.a.contractId}/publication` }) },
    // Public, by token: the same for everyone, no login needed.
    { method: 'GET', route: '/api/v1/public/{token}/maintenance.ics', expect: [200, 200, 200, 200, 200], prepare: published('/maintenance.ics') },
  ];
}
