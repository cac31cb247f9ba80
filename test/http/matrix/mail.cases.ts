/** Rows for the e-mail channel's routes (issue 5): all staff only. */
import { call } from '../helpers.ts';
import type { Case, MatrixContext } from './types.ts';

export function cases(ctx: MatrixContext): Case[] {
  const { app, db, w } = ctx;
  let n = 0;
  return [
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
