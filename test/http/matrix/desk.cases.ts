/** Rows for auth, users, tokens, clients, contacts, systems, contracts, calendars, SLA policies, audit and incidents. */
import { STANDARD_POLICY } from '../../../src/contract/sla-policy-document.ts';
import { call, makeUser } from '../helpers.ts';
import { TOKYO_CALENDAR } from '../world.ts';
import { ALL_SIGNED_IN, type Case, type MatrixContext, type Who } from './types.ts';

export function cases(ctx: MatrixContext): Case[] {
  const { app, w, incidentIn } = ctx;
  const t = { db: ctx.db };
  const S = { all200: ALL_SIGNED_IN };
  const inc = (status: Parameters<typeof incidentIn>[0], path: string, body?: unknown) => async () => {
    const i = await incidentIn(status);
    return { url: `/api/v1/incidents/${i.id}${path}`, body };
  };
  let n = 0;
  const uniq = () => `${Date.now()}-${++n}`;
  /**
   * Client A's special terms: a calendar and an SLA policy only a contract of A
   * follows (on version 1, while the policy is revised to a version 2 no contract
   * follows), beside a calendar and a policy no contract follows at all.
   */
  let terms: Promise<{ calendarId: string; policyId: string; unusedCalendarId: string; unusedPolicyId: string }> | undefined;
  const specialTerms = () => (terms ??= (async () => {
    const made = async (url: string, payload: object) => {
      const r = await call(app, w.admin, { method: 'POST', url, payload });
      if (r.statusCode !== 201) throw new Error(`fixture ${url}: ${r.statusCode} ${r.body}`);
      return (r.json() as { id: string }).id;
    };
    const calendarId = await made('/api/v1/calendars', { name: `A 特別営業日 ${uniq()}`, document: TOKYO_CALENDAR });
    const policyId = await made('/api/v1/sla-policies', { name: `A 特約 ${uniq()}`, establishedOn: '2026-01-01', document: STANDARD_POLICY, note: 'A社向け特約' });
    await made('/api/v1/contracts', { clientId: w.a.clientId, name: `A 特約契約 ${uniq()}`, startsOn: '2026-04-01', calendarId, slaPolicyId: policyId });
    const v2 = await call(app, w.admin, { method: 'POST', url: `/api/v1/sla-policies/${policyId}/versions`, payload: { document: STANDARD_POLICY, revisedOn: '2026-05-01', note: '改訂案', applyToContracts: false } });
    if (v2.statusCode !== 201) throw new Error(`fixture revision: ${v2.statusCode} ${v2.body}`);
    const unusedCalendarId = await made('/api/v1/calendars', { name: `未使用 ${uniq()}`, document: TOKYO_CALENDAR });
    const unusedPolicyId = await made('/api/v1/sla-policies', { name: `未使用 ${uniq()}`, establishedOn: '2026-01-01', document: STANDARD_POLICY });
    return { calendarId, policyId, unusedCalendarId, unusedPolicyId };
  })());
  let specialIds: Awaited<ReturnType<typeof specialTerms>> | undefined;
  /** Staff and client A's contact find A's special terms in the list; client B's contact does not. */
  const listsSpecial = (key: 'calendarId' | 'policyId') => (who: Who, res: { json: () => unknown }) => {
    if (who === 'anonymous') return undefined;
    if (!specialIds) return 'fixture missing';
    const sees = ((res.json() as { items: Array<{ id: string }> }).items).some((x) => x.id === specialIds![key]);
    return sees === (who !== 'contactB') ? undefined : `${who} ${sees ? 'sees' : 'misses'} client A's special ${key}`;
  };
  return [
    // auth & users & tokens
    { method: 'POST', route: '/api/v1/auth/login', expect: [401, 401, 401, 401, 401], body: { email: 'nobody@example.com', password: 'wrong password' } },
    { method: 'POST', route: '/api/v1/auth/logout', expect: S.all200 },
    { method: 'GET', route: '/api/v1/auth/session', expect: S.all200 },
    { method: 'GET', route: '/api/v1/users', expect: [401, 200, 200, 403, 403] },
    { method: 'POST', route: '/api/v1/users', expect: [401, 201, 403, 403, 403], prepare: async () => ({ body: { email: `u${uniq()}@example.com`, name: 'U', role: 'agent', password: 'long enough pw' } }) },
    { method: 'GET', route: '/api/v1/users/{id}', expect: [401, 200, 200, 403, 403], prepare: async () => ({ url: `/api/v1/users/${w.agent.userId}` }) },
    { method: 'PATCH', route: '/api/v1/users/{id}', expect: [401, 200, 403, 403, 403], prepare: async () => ({ url: `/api/v1/users/${(await makeUser(t.db, 'agent')).id}`, body: { name: 'Renamed' } }) },
    { method: 'PUT', route: '/api/v1/users/{id}/password', expect: [401, 200, 403, 403, 403], prepare: async () => ({ url: `/api/v1/users/${(await makeUser(t.db, 'agent')).id}/password`, body: { password: 'another long pw' } }) },
    { method: 'GET', route: '/api/v1/tokens', expect: S.all200 },
    { method: 'POST', route: '/api/v1/tokens', expect: [401, 201, 201, 201, 201], body: { name: 'matrix' } },
    {
      method: 'DELETE', route: '/api/v1/tokens/{id}', expect: [401, 200, 200, 404, 404],
      prepare: async () => {
        const r = await call(app, w.agent, { method: 'POST', url: '/api/v1/tokens', payload: { name: 'to revoke' } });
        return { url: `/api/v1/tokens/${r.json().info.id}` };
      },
    },
    // clients
    { method: 'GET', route: '/api/v1/clients', expect: S.all200 },
    { method: 'POST', route: '/api/v1/clients', expect: [401, 201, 403, 403, 403], body: { name: 'New KK' } },
    { method: 'GET', route: '/api/v1/clients/{id}', expect: [401, 200, 200, 200, 404], prepare: async () => ({ url: `/api/v1/clients/${w.a.clientId}` }) },
    { method: 'PATCH', route: '/api/v1/clients/{id}', expect: [401, 200, 403, 403, 403], prepare: async () => ({ url: `/api/v1/clients/${w.a.clientId}`, body: { notes: 'n' } }) },
    // contacts
    { method: 'GET', route: '/api/v1/contacts', expect: S.all200 },
    { method: 'POST', route: '/api/v1/contacts', expect: [401, 201, 201, 403, 403], prepare: async () => ({ body: { clientId: w.a.clientId, name: '副担当' } }) },
    { method: 'GET', route: '/api/v1/contacts/{id}', expect: [401, 200, 200, 200, 404], prepare: async () => ({ url: `/api/v1/contacts/${w.a.contactId}` }) },
    { method: 'PATCH', route: '/api/v1/contacts/{id}', expect: [401, 200, 200, 403, 403], prepare: async () => ({ url: `/api/v1/contacts/${w.a.contactId}`, body: { phone: '03-0000-0000' } }) },
    // systems
    { method: 'GET', route: '/api/v1/systems', expect: S.all200 },
    { method: 'POST', route: '/api/v1/systems', expect: [401, 201, 403, 403, 403], prepare: async () => ({ body: { clientId: w.a.clientId, name: '在庫管理' } }) },
    { method: 'GET', route: '/api/v1/systems/{id}', expect: [401, 200, 200, 200, 404], prepare: async () => ({ url: `/api/v1/systems/${w.a.systemId}` }) },
    { method: 'PATCH', route: '/api/v1/systems/{id}', expect: [401, 200, 403, 403, 403], prepare: async () => ({ url: `/api/v1/systems/${w.a.systemId}`, body: { description: 'd' } }) },
    // contracts
    { method: 'GET', route: '/api/v1/contracts', expect: S.all200 },
    { method: 'POST', route: '/api/v1/contracts', expect: [401, 201, 403, 403, 403], prepare: async () => ({ body: { clientId: w.a.clientId, name: '追加契約', startsOn: '2026-04-01' } }) },
    { method: 'GET', route: '/api/v1/contracts/{id}', expect: [401, 200, 200, 200, 404], prepare: async () => ({ url: `/api/v1/contracts/${w.a.contractId}` }) },
    { method: 'PATCH', route: '/api/v1/contracts/{id}', expect: [401, 200, 403, 403, 403], prepare: async () => ({ url: `/api/v1/contracts/${w.a.contractId}`, body: { notes: 'ハードウェア購入は別途' } }) },
    // calendars (no client data)
    { method: 'GET', route: '/api/v1/calendars', expect: S.all200 },
    // A contact reads only the calendars their contracts follow.
    { method: 'GET', route: '/api/v1/calendars', expect: S.all200, prepare: async () => ((specialIds = await specialTerms()), {}), verify: listsSpecial('calendarId') },
    { method: 'GET', route: '/api/v1/calendars/{id}', expect: [401, 200, 200, 200, 404], prepare: async () => ({ url: `/api/v1/calendars/${(await specialTerms()).calendarId}` }) },
    { method: 'GET', route: '/api/v1/calendars/{id}', expect: [401, 200, 200, 404, 404], prepare: async () => ({ url: `/api/v1/calendars/${(await specialTerms()).unusedCalendarId}` }) },
    { method: 'POST', route: '/api/v1/calendars', expect: [401, 201, 403, 403, 403], body: { name: 'Busy season', document: TOKYO_CALENDAR } },
    { method: 'GET', route: '/api/v1/calendars/{id}', expect: S.all200, prepare: async () => ({ url: `/api/v1/calendars/${w.calendarId}` }) },
    { method: 'PATCH', route: '/api/v1/calendars/{id}', expect: [401, 200, 403, 403, 403], prepare: async () => ({ url: `/api/v1/calendars/${w.calendarId}`, body: { name: 'Tokyo' } }) },
    { method: 'GET', route: '/api/v1/calendars/{id}/versions', expect: S.all200, prepare: async () => ({ url: `/api/v1/calendars/${w.calendarId}/versions` }) },
    { method: 'GET', route: '/api/v1/calendars/{id}/versions/{version}', expect: S.all200, prepare: async () => ({ url: `/api/v1/calendars/${w.calendarId}/versions/1` }) },
    // SLA policies (no client data)
    { method: 'GET', route: '/api/v1/sla-policies', expect: S.all200 },
    { method: 'POST', route: '/api/v1/sla-policies', expect: [401, 201, 403, 403, 403], body: { name: 'Copy', establishedOn: '2026-04-01', document: STANDARD_POLICY } },
    { method: 'GET', route: '/api/v1/sla-policies/{id}', expect: S.all200, prepare: async () => ({ url: `/api/v1/sla-policies/${w.policyId}` }) },
    {
      method: 'POST', route: '/api/v1/sla-policies/{id}/versions', expect: [401, 201, 403, 403, 403],
      prepare: async () => ({ url: `/api/v1/sla-policies/${w.policyId}/versions`, body: { document: STANDARD_POLICY, revisedOn: '2026-04-01', applyToContracts: false } }),
    },
    { method: 'GET', route: '/api/v1/sla-policies/{id}/versions/{version}', expect: S.all200, prepare: async () => ({ url: `/api/v1/sla-policies/${w.policyId}/versions/1` }) },
    // A contact reads only the policies, and the versions, their contracts follow: not B's special terms, not a revision no contract of theirs is on.
    { method: 'GET', route: '/api/v1/sla-policies', expect: S.all200, prepare: async () => ((specialIds = await specialTerms()), {}), verify: listsSpecial('policyId') },
    {
      method: 'GET', route: '/api/v1/sla-policies/{id}', expect: [401, 200, 200, 200, 404],
      prepare: async () => ({ url: `/api/v1/sla-policies/${(await specialTerms()).policyId}` }),
      verify: (who, res) => {
        if (res.statusCode !== 200) return undefined;
        const p = res.json() as { currentVersion: number; versions: Array<{ version: number; note: string }> };
        const shown = p.versions.map((v) => v.version).join(',');
        if (who === 'contactA') return p.currentVersion === 1 && shown === '1' ? undefined : `a contact sees versions ${shown} (current ${p.currentVersion}); their contract follows 1`;
        return p.currentVersion === 2 && shown === '1,2' ? undefined : `staff see versions ${shown} (current ${p.currentVersion})`;
      },
    },
    { method: 'GET', route: '/api/v1/sla-policies/{id}', expect: [401, 200, 200, 404, 404], prepare: async () => ({ url: `/api/v1/sla-policies/${(await specialTerms()).unusedPolicyId}` }) },
    { method: 'GET', route: '/api/v1/sla-policies/{id}/versions/{version}', expect: [401, 200, 200, 200, 404], prepare: async () => ({ url: `/api/v1/sla-policies/${(await specialTerms()).policyId}/versions/1` }) },
    { method: 'GET', route: '/api/v1/sla-policies/{id}/versions/{version}', expect: [401, 200, 200, 404, 404], prepare: async () => ({ url: `/api/v1/sla-policies/${(await specialTerms()).policyId}/versions/2` }) },
    { method: 'POST', route: '/api/v1/sla-policies/{id}/default', expect: [401, 200, 403, 403, 403], prepare: async () => ({ url: `/api/v1/sla-policies/${w.policyId}/default` }) },
    // audit
    { method: 'GET', route: '/api/v1/audit', expect: [401, 200, 403, 403, 403] },
    // incidents
    { method: 'GET', route: '/api/v1/incidents', expect: S.all200 },
    // A contact's CSV holds only their client's incidents (test/http/queue.test.ts checks the rows).
    { method: 'GET', route: '/api/v1/incidents.csv', expect: S.all200 },
    { method: 'POST', route: '/api/v1/incidents', expect: [401, 201, 201, 201, 404], prepare: async () => ({ body: { contractId: w.a.contractId, title: 'matrix' } }) },
    { method: 'GET', route: '/api/v1/incidents/{id}', expect: [401, 200, 200, 200, 404], prepare: inc('recognized', '') },
    {
      method: 'GET', route: '/api/v1/incidents/by-number/{number}', expect: [401, 200, 200, 200, 404],
      prepare: async () => ({ url: `/api/v1/incidents/by-number/${(await incidentIn('recognized')).number}` }),
    },
    { method: 'PATCH', route: '/api/v1/incidents/{id}', expect: [401, 200, 200, 403, 403], prepare: inc('recognized', '', { title: 'edited' }) },
    // An agent opening a new incident recognizes it; a contact's open answers as their GET does and changes nothing.
    { method: 'POST', route: '/api/v1/incidents/{id}/open', expect: [401, 200, 200, 200, 404], prepare: inc('new', '/open') },
    { method: 'POST', route: '/api/v1/incidents/{id}/recognize', expect: [401, 200, 200, 403, 403], prepare: inc('new', '/recognize') },
    { method: 'POST', route: '/api/v1/incidents/{id}/start', expect: [401, 200, 200, 403, 403], prepare: inc('recognized', '/start') },
    { method: 'POST', route: '/api/v1/incidents/{id}/wait', expect: [401, 200, 200, 403, 403], prepare: inc('in_progress', '/wait', { reason: 'ログ待ち' }) },
    { method: 'POST', route: '/api/v1/incidents/{id}/resume', expect: [401, 200, 200, 403, 403], prepare: inc('waiting_for_client', '/resume') },
    { method: 'POST', route: '/api/v1/incidents/{id}/propose', expect: [401, 200, 200, 403, 403], prepare: inc('in_progress', '/propose', { message: '回避策' }) },
    { method: 'POST', route: '/api/v1/incidents/{id}/resolve', expect: [401, 200, 200, 403, 403], prepare: inc('in_progress', '/resolve', { cause: 'c', fix: 'f', courseOfEvents: 'e' }) },
    { method: 'POST', route: '/api/v1/incidents/{id}/close', expect: [401, 200, 200, 403, 403], prepare: inc('resolved', '/close') },
    { method: 'POST', route: '/api/v1/incidents/{id}/reopen', expect: [401, 200, 200, 403, 403], prepare: inc('closed', '/reopen', { reason: '再発' }) },
    { method: 'POST', route: '/api/v1/incidents/{id}/priority', expect: [401, 200, 200, 403, 403], prepare: inc('recognized', '/priority', { priority: 'urgent', reason: '影響大' }) },
    { method: 'POST', route: '/api/v1/incidents/{id}/scope', expect: [401, 200, 200, 403, 403], prepare: inc('recognized', '/scope', { inScope: false, reason: 'PC固有の問題', billable: true }) },
    { method: 'POST', route: '/api/v1/incidents/{id}/assign', expect: [401, 200, 200, 403, 403], prepare: async () => ({ url: `/api/v1/incidents/${(await incidentIn('recognized')).id}/assign`, body: { assigneeId: w.agent.userId } }) },
    { method: 'POST', route: '/api/v1/incidents/{id}/messages', expect: [401, 201, 201, 201, 404], prepare: inc('recognized', '/messages', { body: 'こんにちは' }) },
    { method: 'GET', route: '/api/v1/incidents/{id}/targets/{kind}/explanation', expect: [401, 200, 200, 200, 404], prepare: inc('recognized', '/targets/start/explanation') },
  ];
}
