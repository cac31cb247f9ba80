/**
 * Rows for the e-mail channel's routes (issue 5): the intake log, filing and replies are
 * staff only; an incident's mails, their attachments and HTML are also open to the
 * incident's client's contacts (another client's contact gets 404, like a missing id).
 */
import { createServices } from '../../../src/http/services.ts';
import { call } from '../helpers.ts';
import { ALL_SIGNED_IN, type Case, type MatrixContext } from './types.ts';

export function cases(ctx: MatrixContext): Case[] {
  const { app, db, w } = ctx;
  let n = 0;
  // One e-mail incident of client A with an HTML part and a Japanese-named attachment (read-only rows share it).
  let fixture: Promise<{ messageId: string; incidentId: string }> | null = null;
  const mailIncident = () => (fixture ??= (async () => {
    const mail = createServices({ db, clock: () => Date.parse('2026-04-01T01:00:00Z') }).mail;
    const raw = Buffer.from([
      'From: someone@client-a.example', 'To: support@vendor.example', 'Subject: matrix html', `Message-ID: <matrix-html-${Date.now()}@x.example>`,
      'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b1"', '',
      '--b1', 'Content-Type: text/html; charset=UTF-8', '', '<p>本文</p>',
      '--b1', 'Content-Type: text/plain; charset=UTF-8', "Content-Disposition: attachment; filename*=UTF-8''%E3%83%AD%E3%82%B0.txt", '', 'log',
      '--b1--', '',
    ].join('\r\n'));
    const [messageId] = await mail.store([{ source: 'smtp', mailbox: 'smtp', raw, receivedAt: Date.parse('2026-04-01T00:59:00Z'), contractId: w.a.contractId }]);
    if ((await mail.process(messageId!)) !== 'incident') throw new Error('fixture mail did not become an incident');
    const row = await db.selectFrom('mailMessages').select('incidentId').where('id', '=', messageId!).executeTakeFirstOrThrow();
    return { messageId: messageId!, incidentId: row.incidentId! };
  })());
  return [
    {
      method: 'GET', route: '/api/v1/mail/incidents/{id}/messages', expect: [401, 200, 200, 200, 404],
      prepare: async () => ({ url: `/api/v1/mail/incidents/${(await mailIncident()).incidentId}/messages` }),
    },
    {
      method: 'GET', route: '/api/v1/mail/messages/{id}/attachments/{index}', expect: [401, 200, 200, 200, 404],
      prepare: async () => ({ url: `/api/v1/mail/messages/${(await mailIncident()).messageId}/attachments/0` }),
    },
    {
      method: 'GET', route: '/api/v1/mail/messages/{id}/html', expect: [401, 200, 200, 200, 404],
      prepare: async () => ({ url: `/api/v1/mail/messages/${(await mailIncident()).messageId}/html` }),
    },
    {
      // What the desk mailed about an incident, with the relay's replies: staff only.
      method: 'GET', route: '/api/v1/mail/incidents/{id}/outbound', expect: [401, 200, 200, 403, 403],
      prepare: async () => ({ url: `/api/v1/mail/incidents/${(await mailIncident()).incidentId}/outbound` }),
    },
    { method: 'GET', route: '/api/v1/desk', expect: ALL_SIGNED_IN },
    { method: 'GET', route: '/api/v1/mail/messages', expect: [401, 200, 200, 403, 403] },
    { method: 'GET', route: '/api/v1/mail/status', expect: [401, 200, 200, 403, 403] },
    {
      method: 'POST', route: '/api/v1/mail/messages/{id}/assign', expect: [401, 201, 201, 403, 403],
      prepare: async () => {
        n += 1;
        const id = `0190a6e0-0000-7000-8000-${String(n).padStart(12, '0')}`;
        const raw = Buffer.from(`From: who@nowhere.example\r\nSubject: triage ${n}\r\nMessage-ID: <matrix-${n}-${Date.now()}@x.example>\r\n\r\nbody\r\n`);
        const now = Date.parse('2026-04-01T00:00:00Z');
        await db.insertInto('mailMessages').values({
          id, source: 'smtp', mailbox: 'smtp', uidValidity: null, uid: null, messageId: null, envelopeFrom: null, envelopeTo: '', receivedAt: now,
          size: raw.length, raw: raw.toString('base64'), status: 'triage', reason: 'matrix', fromAddress: null, fromName: null, subject: null,
          textBody: null, htmlBody: null, attachments: '[]', contractId: null, incidentId: null, createdAt: now, updatedAt: now,
        }).execute();
        return { url: `/api/v1/mail/messages/${id}/assign`, body: { contractId: w.a.contractId } };
      },
    },
    {
      method: 'POST', route: '/api/v1/mail/incidents/{id}/reply', expect: [401, 201, 201, 403, 403],
      prepare: async () => {
        const r = await call(app, w.agent, { method: 'POST', url: '/api/v1/incidents', payload: { contractId: w.a.contractId, title: 'mail fixture', reporter: { email: 'reporter@client.example' } } });
        if (r.statusCode !== 201) throw new Error(`fixture incident: ${r.statusCode} ${r.body}`);
        return { url: `/api/v1/mail/incidents/${(r.json() as { id: string }).id}/reply`, body: { body: 'ご連絡ありがとうございます。' } };
      },
    },
  ];
}
