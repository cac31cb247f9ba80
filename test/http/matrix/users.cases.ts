/**
 * Rows for the admin screens' routes (issue 17): one-time passwords and reset links (admin only; the reset itself is public), one's
 * own profile (everyone), a mail's raw source (staff) and a monitor's recent runs
 * (everyone who may see the monitor; another client's contact gets 404).
 */
import { createServices } from '../../../src/http/services.ts';
import { call } from '../helpers.ts';
import { ALL_SIGNED_IN, type Case, type MatrixContext } from './types.ts';

export function cases(ctx: MatrixContext): Case[] {
  const { app, db, w } = ctx;
  let n = 0;
  const freshUser = async () => {
    const r = await call(app, w.admin, { method: 'POST', url: '/api/v1/users', payload: { email: `otp-${++n}-${Date.now()}@vendor.example`, name: `OTP ${n}`, role: 'agent' } });
    if (r.statusCode !== 201) throw new Error(`fixture user: ${r.statusCode} ${r.body}`);
    return (r.json() as { id: string }).id;
  };
  let triage: Promise<string> | null = null;
  const triageMail = () => (triage ??= (async () => {
    const mail = createServices({ db, clock: () => Date.parse('2026-04-01T01:00:00Z') }).mail;
    const raw = Buffer.from(['From: who@unknown.example', 'To: support@vendor.example', 'Subject: matrix source', `Message-ID: <matrix-src-${Date.now()}@x.example>`, '', 'body', ''].join('\r\n'));
    const [id] = await mail.store([{ source: 'smtp', mailbox: 'smtp', raw, receivedAt: Date.parse('2026-04-01T00:59:00Z') }]);
    return id!;
  })());
  let monitorId: Promise<string> | null = null;
  const monitor = () => (monitorId ??= (async () => {
    const r = await call(app, w.agent, {
      method: 'POST', url: '/api/v1/monitors',
      payload: { contractId: w.a.contractId, systemId: w.a.systemId, name: 'matrix runs', kind: 'tcp', host: '127.0.0.1', port: 9, enabled: false },
    });
    if (r.statusCode !== 201) throw new Error(`fixture monitor: ${r.statusCode} ${r.body}`);
    return (r.json() as { id: string }).id;
  })());
  return [
    {
      method: 'POST', route: '/api/v1/users/{id}/one-time-password', expect: [401, 201, 403, 403, 403],
      prepare: async () => ({ url: `/api/v1/users/${await freshUser()}/one-time-password`, body: {} }),
      verify: (_who, res) => {
        if (res.statusCode !== 201) return undefined;
        const p = (res.json() as { password: string }).password;
        return typeof p === 'string' && p.length >= 12 ? undefined : 'no usable one-time password in the answer';
      },
    },
    {
      method: 'POST', route: '/api/v1/users/{id}/reset-link', expect: [401, 201, 403, 403, 403],
      prepare: async () => ({ url: `/api/v1/users/${await freshUser()}/reset-link`, body: {} }),
      // The token only travels in the mail.
      verify: (_who, res) => (JSON.stringify(res.json()).includes('/reset/') ? 'the answer carries the link' : undefined),
    },
    // Public: an unknown link is refused alike for everyone, signed in or not.
    { method: 'POST', route: '/api/v1/auth/reset/check', expect: [400, 400, 400, 400, 400], body: { token: 'x'.repeat(43) } },
    { method: 'POST', route: '/api/v1/auth/reset', expect: [400, 400, 400, 400, 400], body: { token: 'x'.repeat(43), password: 'a perfectly long passphrase' } },
    { method: 'PATCH', route: '/api/v1/auth/profile', expect: ALL_SIGNED_IN, prepare: async (who) => ({ body: { name: `Profile ${who} ${++n}` } }) },
    {
      method: 'GET', route: '/api/v1/mail/messages/{id}/source', expect: [401, 200, 200, 403, 403],
      prepare: async () => ({ url: `/api/v1/mail/messages/${await triageMail()}/source` }),
      verify: (_who, res) => (res.statusCode !== 200 || (res.json() as { source: string }).source.includes('Subject: matrix source') ? undefined : 'the source is not the mail'),
    },
    {
      method: 'GET', route: '/api/v1/monitors/{id}/runs', expect: [401, 200, 200, 200, 404],
      prepare: async () => ({ url: `/api/v1/monitors/${await monitor()}/runs` }),
    },
  ];
}
