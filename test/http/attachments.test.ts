/**
 * Incident attachments over HTTP on both dialects: upload (multipart) by a contact and by
 * staff, list, download with the same bytes and the same safe headers as a mail
 * attachment, the SHA-256 checked on the way out (a changed file is refused), the type
 * sniffed from the bytes whatever the client declared, refusals (too large, empty, no
 * file, another client's contact, no credentials) that leave neither a row nor a file,
 * the public timeline entry, and removal by staff; both move the incident's updatedAt and its
 * stored list item with it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.ts';
import { createServices, type Services } from '../../src/http/services.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { multipartFile } from '../helpers/multipart.ts';
import { anonymous, call, fixedClock, type Caller } from './helpers.ts';
import { buildWorld, type World } from './world.ts';

const T0 = Date.parse('2026-04-01T10:00:00+09:00');
// Above the JSON body limit (1 MiB): a multipart upload is bounded by its own limit, not that one.
const MAX = 3 * 1024 * 1024;
const MISSING = '0190a6e0-0000-7000-8000-000000000000';
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

interface Att { id: string; incidentId: string; fileName: string; mediaType: string; declaredType: string; size: number; sha256: string; uploadedBy: { id: string; name: string | null; staff: boolean } }

for (const dialect of testDialects) {
  describe(`incident attachments over HTTP (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock(T0);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoshu-attachments-test-'));
    let app: FastifyInstance;
    let services: Services;
    let w: World;
    let incidentId: string;
    beforeAll(async () => {
      services = createServices({ db: t.db, clock }, { attachments: { dir, maxBytes: MAX } });
      app = await buildApp({ db: t.db, clock, services, config: { checkResponses: true } });
      w = await buildWorld(t.db, clock);
      const r = await call(app, w.contactA, { method: 'POST', url: '/api/v1/incidents', payload: { contractId: w.a.contractId, title: '受注画面が開かない' } });
      expect(r.statusCode, r.body).toBe(201);
      incidentId = (r.json() as { id: string }).id;
    });
    afterAll(async () => {
      await app?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const upload = (who: Caller, bytes: Buffer, o: { fileName?: string; contentType?: string; field?: string } = {}, id = incidentId) => {
      const m = multipartFile(bytes, o);
      return call(app, who, { method: 'POST', url: `/api/v1/incidents/${id}/attachments`, payload: m.payload, headers: { ...m.headers, 'accept-language': 'en' } });
    };
    /** Every file under the store (tmp/ included), so a refused upload is seen to leave none. */
    const files = (): string[] => (fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort() : []);
    const rows = async () => (await t.db.selectFrom('incidentAttachments').select('id').execute()).length;

    it('a contact uploads to their incident: stored with its SHA-256, the type sniffed, listed, on the public timeline', async () => {
      const r = await upload(w.contactA, PNG, { fileName: '画面写し①.png', contentType: 'image/png' });
      expect(r.statusCode, r.body).toBe(201);
      const a = r.json() as Att;
      expect(a).toMatchObject({ incidentId, fileName: '画面写し①.png', mediaType: 'image/png', declaredType: 'image/png', size: PNG.length, sha256: sha(PNG), uploadedBy: { id: w.contactA.userId, staff: false } });
      const row = await t.db.selectFrom('incidentAttachments').select(['storageKey', 'clientId']).where('id', '=', a.id).executeTakeFirstOrThrow();
      expect(row.clientId).toBe(w.a.clientId);
      expect(fs.readFileSync(services.attachments.store.pathOf(row.storageKey))).toEqual(PNG);

      for (const who of [w.contactA, w.agent, w.admin]) {
        const list = await call(app, who, { method: 'GET', url: `/api/v1/incidents/${incidentId}/attachments` });
        expect(list.statusCode).toBe(200);
        expect(list.json()).toMatchObject({ items: [{ id: a.id, fileName: '画面写し①.png' }], maxBytes: MAX });
      }
      const detail = (await call(app, w.contactA, { method: 'GET', url: `/api/v1/incidents/${incidentId}` })).json() as { timeline: Array<{ kind: string; visibility: string; body: string; data: Record<string, unknown> }> };
      expect(detail.timeline.find((e) => e.kind === 'attachment')).toMatchObject({ visibility: 'public', body: '画面写し①.png', data: { attachmentId: a.id, size: PNG.length } });
      const audit = await t.db.selectFrom('auditLog').select(['entity', 'action', 'actorId']).where('entityId', '=', a.id).execute();
      expect(audit).toEqual([{ entity: 'attachment', action: 'upload', actorId: w.contactA.userId }]);
    });

    it('the agent downloads the same bytes with the same safe headers as a mail attachment of the same name and type', async () => {
      const bytes = Buffer.from('%PDF-1.4\n障害報告\n%%EOF\n');
      const a = (await upload(w.contactA, bytes, { fileName: '障害報告書 (4月).pdf', contentType: 'application/pdf' })).json() as Att;
      const dl = await call(app, w.agent, { method: 'GET', url: `/api/v1/attachments/${a.id}` });
      expect(dl.statusCode).toBe(200);
      expect(dl.rawPayload).toEqual(bytes);
      expect(sha(dl.rawPayload)).toBe(a.sha256);
      expect(dl.headers['repr-digest']).toBe(`sha-256=:${Buffer.from(a.sha256, 'hex').toString('base64')}:`);

      // The same file arriving by mail: its download's safety headers are ours.
      const raw = Buffer.from([
        'From: someone@client-a.example', 'To: support@vendor.example', 'Subject: attachment', `Message-ID: <att-${dialect}@x.example>`,
        'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b1"', '',
        '--b1', 'Content-Type: text/plain; charset=UTF-8', '', '添付します',
        '--b1', 'Content-Type: application/pdf', 'Content-Transfer-Encoding: base64',
        `Content-Disposition: attachment; filename*=UTF-8''${encodeURIComponent('障害報告書 (4月).pdf').replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`, '', bytes.toString('base64'),
        '--b1--', '',
      ].join('\r\n'));
      const [messageId] = await services.mail.store([{ source: 'smtp', mailbox: 'smtp', raw, receivedAt: clock(), contractId: w.a.contractId }]);
      expect(await services.mail.process(messageId!)).toBe('incident');
      const mail = await call(app, w.agent, { method: 'GET', url: `/api/v1/mail/messages/${messageId}/attachments/0` });
      expect(mail.statusCode, mail.body).toBe(200);
      expect(mail.rawPayload).toEqual(dl.rawPayload);
      for (const h of ['content-type', 'content-disposition', 'content-security-policy', 'x-content-type-options', 'cache-control', 'referrer-policy', 'content-length']) {
        expect(dl.headers[h], h).toBe(mail.headers[h]);
      }
      expect(dl.headers['x-content-type-options']).toBe('nosniff');
      expect(dl.headers['content-security-policy']).toContain('sandbox');
      expect(dl.headers['content-disposition']).toMatch(/^attachment; filename="[^"]*"; filename\*=UTF-8''/);
    });

    it('serves the sniffed type, never the declared one; unknown bytes go out as application/octet-stream', async () => {
      // HTML declared as an image: no known signature, so octet-stream (and never text/html).
      const html = await upload(w.contactA, Buffer.from('<html><script>alert(1)</script></html>'), { fileName: 'x.png', contentType: 'image/png' });
      expect(html.json()).toMatchObject({ mediaType: 'application/octet-stream', declaredType: 'image/png' });
      const dl = await call(app, w.contactA, { method: 'GET', url: `/api/v1/attachments/${(html.json() as Att).id}` });
      expect(dl.headers['content-type']).toBe('application/octet-stream');
      // A PNG declared as text/html is served as the PNG it is.
      const png = await upload(w.agent, PNG, { fileName: 'shot.html', contentType: 'text/html' });
      expect(png.json()).toMatchObject({ mediaType: 'image/png', declaredType: 'text/html', uploadedBy: { staff: true } });
      expect((await call(app, w.agent, { method: 'GET', url: `/api/v1/attachments/${(png.json() as Att).id}` })).headers['content-type']).toBe('image/png');
    });

    it('refuses too large, empty and file-less uploads with coded, translated errors, leaving no row and no file', async () => {
      const before = { rows: await rows(), files: files() };
      const big = await upload(w.contactA, Buffer.alloc(MAX + 1, 7));
      expect(big.statusCode).toBe(413);
      expect(big.json()).toMatchObject({ code: 'attachment.too_large', message: 'The file is too large: attachments may be up to 3 MB.' });
      const m = multipartFile(Buffer.alloc(MAX + 1, 7));
      const bigJa = await call(app, w.contactA, { method: 'POST', url: `/api/v1/incidents/${incidentId}/attachments`, payload: m.payload, headers: m.headers });
      expect(bigJa.json().message).toMatch(/ファイルが大きすぎます/);
      // Exactly at the limit is fine.
      expect((await upload(w.agent, Buffer.alloc(MAX, 1))).statusCode).toBe(201);
      const afterOk = { rows: await rows(), files: files() };
      expect(afterOk.rows).toBe(before.rows + 1);

      const empty = await upload(w.contactA, Buffer.alloc(0));
      expect(empty.statusCode).toBe(400);
      expect(empty.json()).toMatchObject({ code: 'attachment.empty', message: 'The file is empty.' });
      const noFile = await call(app, w.contactA, {
        method: 'POST', url: `/api/v1/incidents/${incidentId}/attachments`,
        payload: '--b\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--b--\r\n', headers: { 'content-type': 'multipart/form-data; boundary=b' },
      });
      expect(noFile.statusCode).toBe(400);
      expect(noFile.json().code).toBe('attachment.no_file');
      const json = await call(app, w.contactA, { method: 'POST', url: `/api/v1/incidents/${incidentId}/attachments`, payload: { file: 'x' } });
      expect(json.statusCode).toBe(415);
      expect(await rows()).toBe(afterOk.rows);
      expect(files()).toEqual(afterOk.files);
    });

    it('another client\'s contact gets 404 exactly as for a missing id, and no credentials get 401; neither leaves a row or a file', async () => {
      const a = (await upload(w.contactA, PNG, { fileName: 'a.png' })).json() as Att;
      const before = { rows: await rows(), files: files() };
      for (const [url, missing] of [
        [`/api/v1/incidents/${incidentId}/attachments`, `/api/v1/incidents/${MISSING}/attachments`],
        [`/api/v1/attachments/${a.id}`, `/api/v1/attachments/${MISSING}`],
      ] as const) {
        const theirs = await call(app, w.contactB, { method: 'GET', url });
        const none = await call(app, w.contactB, { method: 'GET', url: missing });
        expect(theirs.statusCode, url).toBe(404);
        expect(theirs.body, url).toBe(none.body);
        expect((await call(app, anonymous, { method: 'GET', url })).statusCode).toBe(401);
      }
      const theirs = await upload(w.contactB, PNG);
      const none = await upload(w.contactB, PNG, {}, MISSING);
      expect(theirs.statusCode).toBe(404);
      expect(theirs.body).toBe(none.body);
      expect((await upload(anonymous, PNG)).statusCode).toBe(401);
      // A contact may not remove (even their own upload); staff may.
      expect((await call(app, w.contactA, { method: 'DELETE', url: `/api/v1/attachments/${a.id}` })).statusCode).toBe(403);
      expect(await rows()).toBe(before.rows);
      expect(files()).toEqual(before.files);
    });

    it('refuses a download whose stored bytes no longer match their SHA-256', async () => {
      const a = (await upload(w.contactA, Buffer.from('original'), { fileName: 'log.txt', contentType: 'text/plain' })).json() as Att;
      const row = await t.db.selectFrom('incidentAttachments').select('storageKey').where('id', '=', a.id).executeTakeFirstOrThrow();
      fs.writeFileSync(services.attachments.store.pathOf(row.storageKey), 'tampered');
      const r = await call(app, w.agent, { method: 'GET', url: `/api/v1/attachments/${a.id}`, headers: { 'accept-language': 'en' } });
      expect(r.statusCode).toBe(409);
      expect(r.json()).toMatchObject({ code: 'attachment.checksum_mismatch' });
      expect(r.json().message).toContain('log.txt');
      fs.rmSync(services.attachments.store.pathOf(row.storageKey));
      expect((await call(app, w.agent, { method: 'GET', url: `/api/v1/attachments/${a.id}` })).statusCode).toBe(409);
    });

    it('staff remove an attachment: row and file gone, the timeline says so', async () => {
      const a = (await upload(w.contactA, PNG, { fileName: 'remove-me.png' })).json() as Att;
      const row = await t.db.selectFrom('incidentAttachments').select('storageKey').where('id', '=', a.id).executeTakeFirstOrThrow();
      const r = await call(app, w.agent, { method: 'DELETE', url: `/api/v1/attachments/${a.id}` });
      expect(r.statusCode, r.body).toBe(200);
      expect(fs.existsSync(services.attachments.store.pathOf(row.storageKey))).toBe(false);
      expect((await call(app, w.agent, { method: 'GET', url: `/api/v1/attachments/${a.id}` })).statusCode).toBe(404);
      const detail = (await call(app, w.contactA, { method: 'GET', url: `/api/v1/incidents/${incidentId}` })).json() as { timeline: Array<{ kind: string; data: Record<string, unknown> }> };
      expect(detail.timeline.filter((e) => e.kind === 'attachment' && e.data.attachmentId === a.id).map((e) => e.data.removed ?? false)).toEqual([false, true]);
    });

    it('an upload and a removal move the incident\'s updatedAt, and the list (from its stored item) shows it', async () => {
      const listed = async () => {
        const r = await call(app, w.agent, { method: 'GET', url: `/api/v1/incidents?limit=200` });
        // The app checks every list answer from the stored items against the presenter's (checkResponses): a stale item is a 500.
        expect(r.statusCode, r.body).toBe(200);
        return (r.json() as { items: Array<{ id: string; updatedAt: string }> }).items.find((i) => i.id === incidentId)!.updatedAt;
      };
      const stored = async () => (await t.db.selectFrom('incidentListItems').select('body').where('incidentId', '=', incidentId).executeTakeFirstOrThrow()).body;
      clock.advance(60_000);
      const a = (await upload(w.agent, PNG, { fileName: 'later.png' })).json() as Att;
      expect(await listed()).toBe(new Date(clock()).toISOString());
      expect(await stored()).toContain(`"updatedAt":"${new Date(clock()).toISOString()}"`);
      clock.advance(60_000);
      expect((await call(app, w.agent, { method: 'DELETE', url: `/api/v1/attachments/${a.id}` })).statusCode).toBe(200);
      expect(await listed()).toBe(new Date(clock()).toISOString());
      expect(await stored()).toContain(`"updatedAt":"${new Date(clock()).toISOString()}"`);
    });
  });
}
