/**
 * The built-in SMTP listener with a real SMTP client (nodemailer): a message is
 * committed before "250", becomes an incident through the same processing as IMAP
 * mail, a null envelope sender (bounce) creates nothing, oversize mail is refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRunner } from '../../src/jobs/runner.ts';
import { createMailJobHandlers } from '../../src/modules/mail/mail.jobs.ts';
import { createServices } from '../../src/http/services.ts';
import { startSmtpListener, type SmtpListener } from '../../src/modules/mail/mail.smtp.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { TestClock, makeWorld } from '../helpers/factories.ts';
import { unitOfWork } from '../../src/db/unit-of-work.ts';

for (const dialect of testDialects) {
  describe(`SMTP listener on ${dialect}`, () => {
    const t = useTestDb(dialect);
    let listener: SmtpListener;
    let w: Awaited<ReturnType<typeof makeWorld>>;
    let runner: JobRunner;
    const clock = new TestClock(Date.parse('2026-04-01T10:00:00+09:00'));

    beforeAll(async () => {
      w = await makeWorld(t.db, clock);
      const mail = createServices({ db: t.db, clock: clock.fn }).mail;
      await t.db.insertInto('mailRoutes').values({ address: 'sakura@desk.example', contractId: w.contract.id, createdAt: clock.now, updatedAt: clock.now }).execute();
      listener = await startSmtpListener({ mail, port: 0, clock: clock.fn, maxBytes: 200_000 });
      runner = new JobRunner(t.database, { handlers: createMailJobHandlers({ mail, outbound: { transport: null, uow: unitOfWork(t.db, clock.fn), from: 'desk@desk.example', charset: 'utf-8' } }), clock: clock.fn });
    });
    afterAll(async () => listener?.close());

    const client = () => nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true });

    it('accepts mail from nodemailer and routes it by recipient address to its contract', async () => {
      const info = await client().sendMail({
        from: '"佐藤 花子" <hanako@sakura.example>', to: 'sakura@desk.example', subject: '【至急】出荷指示が送信できない①',
        text: '出荷指示画面で「送信」を押すとタイムアウトします。\n㈱さくら物流 髙田', messageId: '<smtp-1@sakura.example>',
        attachments: [{ filename: '画面写し.png', content: Buffer.from('fake png') }],
      });
      expect(info.accepted).toEqual(['sakura@desk.example']);
      // Committed before the 250 reached the client.
      const row = await t.db.selectFrom('mailMessages').select(['status', 'envelopeTo', 'envelopeFrom', 'receivedAt']).where('messageId', '=', 'smtp-1@sakura.example').executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: 'received', envelopeTo: 'sakura@desk.example', envelopeFrom: 'hanako@sakura.example', receivedAt: clock.now });
      clock.advance(1000);
      await runner.runDue();
      const done = await t.db.selectFrom('mailMessages').select(['status', 'incidentId', 'attachments']).where('messageId', '=', 'smtp-1@sakura.example').executeTakeFirstOrThrow();
      expect(done.status).toBe('incident');
      expect(JSON.parse(done.attachments)[0].filename).toBe('画面写し.png');
      const inc = await w.s.incidents.get(w.agent, done.incidentId!);
      expect(inc).toMatchObject({ title: '【至急】出荷指示が送信できない①', contractId: w.contract.id, channel: 'email', status: 'new', receivedAt: clock.now - 1000 });
      expect(inc.description).toContain('㈱さくら物流 髙田');
    });

    it('a bounce (null envelope sender) and an auto-reply create nothing; unknown recipients go to triage', async () => {
      const raw = fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/mail/iphone-utf8.eml'));
      await client().sendMail({ envelope: { from: '', to: ['sakura@desk.example'] }, raw });
      await client().sendMail({ from: 'x@sakura.example', to: 'sakura@desk.example', subject: 'Out of office', text: 'away', headers: { 'Auto-Submitted': 'auto-replied' }, messageId: '<ooo@sakura.example>' });
      await client().sendMail({ from: 'who@nowhere.example', to: 'unknown@desk.example', subject: '質問', text: '?', messageId: '<q@nowhere.example>' });
      const before = Number((await t.db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      await runner.runDue();
      const rows = await t.db.selectFrom('mailMessages').select(['messageId', 'status', 'reason']).where('messageId', 'in', ['8C2E4A1F-6B3D-4E5F-A7B8-C9D0E1F2A3B4@icloud.example', 'ooo@sakura.example', 'q@nowhere.example']).orderBy('messageId').execute();
      expect(rows.map((r) => [r.messageId, r.status])).toEqual([
        ['8C2E4A1F-6B3D-4E5F-A7B8-C9D0E1F2A3B4@icloud.example', 'ignored'], ['ooo@sakura.example', 'ignored'], ['q@nowhere.example', 'triage'],
      ]);
      expect(Number((await t.db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(before);
    });

    it('refuses mail over the size limit with 552', async () => {
      await expect(client().sendMail({ from: 'a@b.example', to: 'sakura@desk.example', subject: 'big', text: 'x'.repeat(300_000) })).rejects.toThrow(/552/);
    });
  });
}
