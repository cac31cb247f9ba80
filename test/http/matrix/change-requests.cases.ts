/**
 * Rows for the change-request routes (issue 13). A contact reads and files only their
 * own client's requests (another client's is change_request.not_found); only staff
 * judge, propose, schedule and carry out; only contacts decide and confirm — and of
 * client A's contacts in the world only the designated one may decide, so contactA
 * (a contact of client A who is not designated) gets change_request.not_designated (403).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../../src/db/schema.ts';
import { createApiToken, createUser } from '../../../src/modules/auth/auth.service.ts';
import { call, PASSWORD, type Caller } from '../helpers.ts';
import { ALL_SIGNED_IN, WHO, type Case, type MatrixContext } from './types.ts';

const PROPOSAL = {
  effortAmount: 2, effortUnit: 'hours', amountJpy: 100_000, plan: 'plan', impact: 'impact', backout: 'backout', validUntil: '2026-12-31',
};

/** Client A's designated contact as a user (the world's contactA is a contact of A who is not designated); one per database. */
const designatedOf = new WeakMap<Kysely<DB>, Promise<Caller>>();

export function cases(ctx: MatrixContext): Case[] {
  const { app, w } = ctx;
  const designated = (): Promise<Caller> => {
    let c = designatedOf.get(ctx.db);
    if (!c) {
      c = (async () => {
        const user = await createUser(ctx.db, { email: 'desk@clienta.example', name: 'A 窓口', role: 'contact', clientId: w.a.clientId, password: PASSWORD }, Date.parse('2026-04-01T00:00:00Z'));
        const { token } = await createApiToken(ctx.db, { userId: user.id, name: 'matrix' });
        return { role: 'contact', userId: user.id, clientId: w.a.clientId, email: user.email, headers: { authorization: `Bearer ${token}` } } as Caller;
      })();
      designatedOf.set(ctx.db, c);
    }
    return c;
  };
  let n = 0;
  const body = () => ({ contractId: w.a.contractId, title: `matrix change ${++n}` });
  const go = async (id: string, path: string, payload: object = {}) => {
    const r = await call(app, w.agent, { method: path.startsWith('PATCH ') ? 'PATCH' : 'POST', url: `/api/v1/change-requests/${id}/${path.replace('PATCH ', '')}`, payload });
    if (r.statusCode >= 300) throw new Error(`fixture ${path}: ${r.statusCode} ${r.body}`);
    return r.json() as { proposals: Array<{ version: number; contentHash: string | null }> };
  };
  /** A fresh change request of client A, driven by the agent to a state. */
  const changeIn = (state: 'requested' | 'needs_clarification' | 'feasible' | 'draft' | 'proposal_sent' | 'approved' | 'scheduled' | 'in_progress' | 'awaiting_confirmation' | 'backed_out', path = '', payload?: (d: { proposals: Array<{ version: number; contentHash: string | null }> }) => unknown) => async () => {
    const r = await call(app, w.agent, { method: 'POST', url: '/api/v1/change-requests', payload: body() });
    if (r.statusCode !== 201) throw new Error(`fixture change: ${r.statusCode} ${r.body}`);
    const id = (r.json() as { id: string }).id;
    let d = r.json() as { proposals: Array<{ version: number; contentHash: string | null }> };
    if (state === 'needs_clarification') d = await go(id, 'clarification', { text: 'q' });
    if (state !== 'requested' && state !== 'needs_clarification') d = await go(id, 'feasible');
    if (state === 'draft') d = await go(id, 'proposals', PROPOSAL);
    if (['proposal_sent', 'approved', 'scheduled', 'in_progress', 'awaiting_confirmation', 'backed_out'].includes(state)) d = await go(id, 'proposals', { ...PROPOSAL, send: true });
    if (['approved', 'scheduled', 'in_progress', 'awaiting_confirmation', 'backed_out'].includes(state)) {
      const p = d.proposals[0]!;
      const a = await call(app, await designated(), { method: 'POST', url: `/api/v1/change-requests/${id}/approve`, payload: { version: p.version, contentHash: p.contentHash } });
      if (a.statusCode !== 200) throw new Error(`fixture approve: ${a.statusCode} ${a.body}`);
    }
    if (['scheduled', 'in_progress', 'awaiting_confirmation', 'backed_out'].includes(state)) await go(id, 'schedule', { startsAt: '2026-06-01T20:00:00+09:00', endsAt: '2026-06-01T21:00:00+09:00', affectsService: false });
    if (['in_progress', 'awaiting_confirmation', 'backed_out'].includes(state)) await go(id, 'start');
    if (state === 'awaiting_confirmation') await go(id, 'finish', { outcome: 'done', actualEffortAmount: 1, resultNotes: 'done' });
    if (state === 'backed_out') await go(id, 'finish', { outcome: 'backed_out', actualEffortAmount: 1, resultNotes: 'backed out' });
    return { url: `/api/v1/change-requests/${id}${path}`, body: payload ? payload(d) : undefined };
  };
  const staffOnly: [number, number, number, number, number] = [401, 200, 200, 403, 403];
  /**
   * A row whose fixture is made fresh only for the callers who succeed: a refused call changes
   * nothing, so one fixture serves every refused caller (the matrix runs on a busy machine).
   */
  const row = (method: Case['method'], route: string, expect: Case['expect'], prepare: () => Promise<{ url?: string; body?: unknown }>): Case => {
    let shared: Promise<{ url?: string; body?: unknown }> | null = null;
    return {
      method, route, expect,
      prepare: async (who) => {
        const status = expect[WHO.indexOf(who)]!;
        if (status < 300) return prepare();
        shared ??= prepare();
        return shared;
      },
    };
  };
  const decision = (d: { proposals: Array<{ version: number; contentHash: string | null }> }) => ({ version: d.proposals[0]!.version, contentHash: d.proposals[0]!.contentHash });
  return [
    { method: 'GET', route: '/api/v1/change-requests', expect: ALL_SIGNED_IN },
    // A contact's list holds only their client's requests.
    {
      method: 'GET', route: '/api/v1/change-requests', expect: ALL_SIGNED_IN,
      prepare: async () => { await changeIn('requested')(); return { url: '/api/v1/change-requests?limit=500' }; },
      verify: (who, res) => {
        if (who === 'anonymous') return undefined;
        const items = (res.json() as { items: Array<{ clientId: string }> }).items;
        if (who === 'contactB') return items.every((i) => i.clientId === w.b.clientId) ? undefined : 'contact B sees another client\'s change requests';
        return items.some((i) => i.clientId === w.a.clientId) ? undefined : 'client A\'s request is missing';
      },
    },
    { method: 'POST', route: '/api/v1/change-requests', expect: [401, 201, 201, 201, 404], prepare: async () => ({ body: body() }) },
    { method: 'POST', route: '/api/v1/change-requests/from-incident', expect: [401, 201, 201, 403, 403], prepare: async () => {
      const r = await call(app, w.agent, { method: 'POST', url: '/api/v1/incidents', payload: { contractId: w.a.contractId, title: 'change via incident', category: 'change_request' } });
      return { body: { incidentId: (r.json() as { id: string }).id } };
    } },
    row('GET', '/api/v1/change-requests/{id}', [401, 200, 200, 200, 404], changeIn('requested')),
    // A draft version is the desk's, not yet the client's.
    {
      method: 'GET', route: '/api/v1/change-requests/{id}', expect: [401, 200, 200, 200, 404], prepare: changeIn('draft'),
      verify: (who, res) => {
        if (who === 'anonymous' || who === 'contactB') return undefined;
        const drafts = (res.json() as { proposals: Array<{ status: string }> }).proposals.filter((p) => p.status === 'draft').length;
        return (who === 'contactA') === (drafts === 0) ? undefined : `${who} sees ${drafts} draft version(s)`;
      },
    },
    row('GET', '/api/v1/change-requests/{id}/conflicts', [401, 200, 200, 200, 404], changeIn('requested', '/conflicts?startsAt=2026-06-01T00%3A00%3A00Z&endsAt=2026-06-02T00%3A00%3A00Z')),
    row('POST', '/api/v1/change-requests/{id}/feasible', staffOnly, changeIn('requested', '/feasible', () => ({}))),
    row('POST', '/api/v1/change-requests/{id}/not-feasible', staffOnly, changeIn('requested', '/not-feasible', () => ({ text: 'no' }))),
    row('POST', '/api/v1/change-requests/{id}/clarification', staffOnly, changeIn('requested', '/clarification', () => ({ text: 'which?' }))),
    row('POST', '/api/v1/change-requests/{id}/clarify', [401, 200, 200, 200, 404], changeIn('needs_clarification', '/clarify', () => ({ text: 'this one' }))),
    row('POST', '/api/v1/change-requests/{id}/comments', [401, 201, 201, 201, 404], changeIn('requested', '/comments', () => ({ body: 'comment' }))),
    row('POST', '/api/v1/change-requests/{id}/withdraw', [401, 200, 200, 200, 404], changeIn('requested', '/withdraw', () => ({ text: 'not needed' }))),
    row('POST', '/api/v1/change-requests/{id}/proposals', [401, 201, 201, 403, 403], changeIn('feasible', '/proposals', () => PROPOSAL)),
    row('PATCH', '/api/v1/change-requests/{id}/proposals/{version}', staffOnly, changeIn('draft', '/proposals/1', () => ({ amountJpy: 120_000 }))),
    row('POST', '/api/v1/change-requests/{id}/proposals/{version}/send', staffOnly, changeIn('draft', '/proposals/1/send')),
    // Only the designated contact decides: staff may not at all, client A's other contact is not designated, client B's does not see it.
    row('POST', '/api/v1/change-requests/{id}/approve', [401, 403, 403, 403, 404], changeIn('proposal_sent', '/approve', decision)),
    row('POST', '/api/v1/change-requests/{id}/reject', [401, 403, 403, 403, 404], changeIn('proposal_sent', '/reject', decision)),
    row('POST', '/api/v1/change-requests/{id}/schedule', staffOnly, changeIn('approved', '/schedule', () => ({ startsAt: '2026-06-02T20:00:00+09:00', endsAt: '2026-06-02T21:00:00+09:00', affectsService: false }))),
    row('POST', '/api/v1/change-requests/{id}/start', staffOnly, changeIn('scheduled', '/start', () => ({}))),
    row('POST', '/api/v1/change-requests/{id}/finish', staffOnly, changeIn('in_progress', '/finish', () => ({ outcome: 'done', actualEffortAmount: 1, resultNotes: 'ok' }))),
    row('POST', '/api/v1/change-requests/{id}/confirm', [401, 403, 403, 200, 404], changeIn('awaiting_confirmation', '/confirm', () => ({}))),
    row('POST', '/api/v1/change-requests/{id}/close', staffOnly, changeIn('backed_out', '/close', () => ({}))),
    { method: 'GET', route: '/api/v1/contracts/{id}/change-settings', expect: [401, 200, 200, 200, 404], prepare: async () => ({ url: `/api/v1/contracts/${w.a.contractId}/change-settings` }) },
    { method: 'PUT', route: '/api/v1/contracts/{id}/change-settings', expect: [401, 200, 403, 403, 403], prepare: async () => ({ url: `/api/v1/contracts/${w.a.contractId}/change-settings`, body: { confirmationBusinessDays: 5 } }) },
  ];
}
