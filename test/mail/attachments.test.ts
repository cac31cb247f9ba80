/**
 * Over HTTP: an incident's mails with their sender, text and attachments; downloading a
 * Japanese-named attachment (RFC 5987 filename*, its content type, nosniff); an
 * HTML-only mail as readable text, its HTML only under a sandboxing CSP; and a
 * contact of another client getting 404 exactly as for a missing id.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createServices } from '../../src/http/services.ts';
import { contentDisposition } from '../../src/modules/mail/mail.routes.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { call, fixedClock, makeApp, tokenCaller, type Caller } from '../http/helpers.ts';
import { makeWorld, TestClock } from '../helpers/factories.ts';

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, '../fixtures/mail', name));
const MISSING = '0190a6e0-0000-7000-8000-000000000000';

interface IncidentMail { id: string; status: string; fromAddress: string; fromName: string; subject: string; text: string; hasHtml: boolean; attachments: { filename: string; contentType: string; size: number; index: number }[] }

describe('Content-Disposition for mail attachments', () => {
  it('carries a Japanese name as RFC 5987 filename* with an ASCII fallback, and nothing that breaks the header', () => {
    expect(contentDisposition('障害報告書_2026年4月.xlsx')).toBe(
      `attachment; filename="______2026_4_.xlsx"; filename*=UTF-8''${encodeURIComponent('障害報告書_2026年4月.xlsx')}`,
    );
    expect(contentDisposition('a"b\r\nSet-Cookie: x/../c.txt')).toBe(`attachment; filename="a_b__Set-Cookie: x_.._c.txt"; filename*=UTF-8''a%22b__Set-Cookie%3A%20x_.._c.txt`);
    expect(contentDisposition("it's (1).txt")).toContain("filename*=UTF-8''it%27s%20%281%29.txt");
  });
});

for (const dialect of testDialects) {
  describe(`an incident's mails over HTTP (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock(Date.parse('2026-04-02T14:05:00+09:00'));
    let app: FastifyInstance;
    let agent: Caller;
    let contact: Caller;
    let otherContact: Caller;
    let contractId: string;
    beforeAll(async () => {
      app = await makeApp(t.db, clock);
      const w = await makeWorld(t.db, new TestClock(clock()));
      const other = await makeWorld(t.db, new TestClock(clock()), 'Other');
      contractId = w.contract.id;
      agent = await tokenCaller(t.db, 'agent');
      contact = await tokenCaller(t.db, 'contact', w.client.id);
      otherContact = await tokenCaller(t.db, 'contact', other.client.id);
    });
    afterAll(async () => app?.close());

    async function intake(name: string): Promise<{ incidentId: string; messageId: string }> {
      const mail = createServices({ db: t.db, clock }).mail;
      const [id] = await mail.store([{ source: 'smtp', mailbox: 'smtp', raw: fixture(name), receivedAt: clock() - 60_000, contractId }]);
      expect(await mail.process(id!)).toBe('incident');
      const row = await t.db.selectFrom('mailMessages').select('incidentId').where('id', '=', id!).executeTakeFirstOrThrow();
      return { incidentId: row.incidentId!, messageId: id! };
    }

    it('lists the sender, subject, body and attachments, and downloads an attachment under its Japanese name', async () => {
      const { incidentId, messageId } = await intake('rfc2231-attachments.eml');
      const list = await call(app, agent, { method: 'GET', url: `/api/v1/mail/incidents/${incidentId}/messages` });
      expect(list.statusCode).toBe(200);
      const [m] = (list.json() as { items: IncidentMail[] }).items;
      expect(m).toMatchObject({ id: messageId, status: 'incident', fromAddress: 'tanaka@client.example', fromName: '田中', subject: '障害報告書の送付', hasHtml: false });
      expect(m!.text).toContain('障害報告書と画面写しを送付します。');
      expect(m!.attachments.map((a) => a.filename)).toEqual(['障害報告書_2026年4月.xlsx', '画面写し①.png']);

      const png = await call(app, contact, { method: 'GET', url: `/api/v1/mail/messages/${messageId}/attachments/1` });
      expect(png.statusCode).toBe(200);
      expect(png.headers['content-type']).toBe('image/png');
      expect(png.headers['x-content-type-options']).toBe('nosniff');
      expect(png.headers['content-disposition']).toBe(`attachment; filename="_____.png"; filename*=UTF-8''${encodeURIComponent('画面写し①.png')}`);
      expect(png.rawPayload.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(png.rawPayload.length).toBe(m!.attachments[1]!.size);

      const xlsx = await call(app, agent, { method: 'GET', url: `/api/v1/mail/messages/${messageId}/attachments/0` });
      expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(String(xlsx.headers['content-disposition']))![1]!)).toBe('障害報告書_2026年4月.xlsx');
      expect(xlsx.rawPayload.toString()).toBe('PK\x03\x04 fake xlsx content');

      const beyond = await call(app, agent, { method: 'GET', url: `/api/v1/mail/messages/${messageId}/attachments/2` });
      expect(beyond.statusCode).toBe(404);
      expect((beyond.json() as { code: string }).code).toBe('mail_attachment.not_found');
    });

    it('a contact of another client gets 404 for the mails, attachments and HTML, the same answer as for a missing id', async () => {
      const { incidentId, messageId } = await intake('iphone-utf8.eml');
      for (const [url, missing] of [
        [`/api/v1/mail/incidents/${incidentId}/messages`, `/api/v1/mail/incidents/${MISSING}/messages`],
        [`/api/v1/mail/messages/${messageId}/attachments/0`, `/api/v1/mail/messages/${MISSING}/attachments/0`],
        [`/api/v1/mail/messages/${messageId}/html`, `/api/v1/mail/messages/${MISSING}/html`],
      ] as const) {
        const theirs = await call(app, otherContact, { method: 'GET', url });
        const none = await call(app, otherContact, { method: 'GET', url: missing });
        expect(theirs.statusCode, url).toBe(404);
        expect(theirs.body, url).toBe(none.body);
      }
    });

    it('shows an HTML-only mail as readable text and serves its HTML only in a sandbox', async () => {
      const { incidentId, messageId } = await intake('webform-html-only.eml');
      const [m] = ((await call(app, contact, { method: 'GET', url: `/api/v1/mail/incidents/${incidentId}/messages` })).json() as { items: IncidentMail[] }).items;
      expect(m!.hasHtml).toBe(true);
      expect(m!.text).toContain('月次帳票のPDF出力で文字化けが発生します。');
      expect(m!.text).not.toMatch(/<\/?(table|td|p|br)\b/i);
      const html = await call(app, agent, { method: 'GET', url: `/api/v1/mail/messages/${messageId}/html` });
      expect(html.statusCode).toBe(200);
      expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(html.headers['content-security-policy']).toMatch(/^sandbox; default-src 'none';/);
      expect(html.headers['content-security-policy']).not.toMatch(/allow-scripts|allow-same-origin/);
      // The desk shows it in a frame of its own page: the app-wide "never framed" does not replace the mail's own policy.
      expect(html.headers['content-security-policy']).toContain("frame-ancestors 'self'");
      expect(html.headers['content-security-policy']).not.toContain("frame-ancestors 'none'");
      expect(html.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(html.headers['x-content-type-options']).toBe('nosniff');
      expect(html.body).toContain('<table');
      const textOnly = await intake('iso2022jp-nec-ibm.eml');
      const none = await call(app, agent, { method: 'GET', url: `/api/v1/mail/messages/${textOnly.messageId}/html` });
      expect(none.statusCode).toBe(404);
      expect((none.json() as { code: string }).code).toBe('mail_html.not_found');
    });
  });
}
