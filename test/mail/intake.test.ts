/**
 * IMAP intake against a real Dovecot (dovecot-lda delivers, imapflow reads), on each
 * dialect: Japanese mail becomes incidents with the right subjects and bodies, replies
 * join their incident (by our Message-ID or the reply token, never by a bare number),
 * automatic mail creates nothing, unparseable mail is kept, the SLA clock starts when an
 * agent first opens the incident (the incidents' open command), acknowledgements go out to registered contacts threaded
 * over a real SMTP server with a loop guard, and failing intake raises an alert.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRunner } from '../../src/jobs/runner.ts';
import { createMailJobHandlers } from '../../src/modules/mail/mail.jobs.ts';
import { createMailTransport } from '../../src/modules/mail/mail.outbound.ts';
import { ImapIntake, STORED_KEYWORD, parseImapUrl } from '../../src/modules/mail/mail.imap.ts';
import type { MailService } from '../../src/modules/mail/mail.service.ts';
import { createServices } from '../../src/http/services.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { startDovecot, type Dovecot } from '../helpers/dovecot.ts';
import { TestClock, makeWorld } from '../helpers/factories.ts';
import { startSmtp } from '../helpers/smtp.ts';
import { SYSTEM_ACTOR } from '../../src/modules/auth/actor.ts';
import { unitOfWork } from '../../src/db/unit-of-work.ts';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/mail');
const fixture = (name: string) => fs.readFileSync(path.join(fixtures, name));
const PEOPLE = ['iso2022jp-nec-ibm', 'sjis-outlook2003', 'iphone-utf8', 'webform-html-only', 'rfc2231-attachments'];

function mail(o: { from: string; subject: string; body: string; id: string; headers?: string[] }): Buffer {
  return Buffer.from([
    `From: ${o.from}`, 'To: support@vendor.example', `Subject: =?UTF-8?B?${Buffer.from(o.subject).toString('base64')}?=`,
    'Date: Wed, 1 Apr 2026 10:00:00 +0900', `Message-ID: <${o.id}>`, ...(o.headers ?? []), 'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8', 'Content-Transfer-Encoding: 8bit', '', o.body, '',
  ].join('\r\n'));
}

for (const dialect of testDialects) {
  describe(`IMAP intake on ${dialect}`, () => {
    const t = useTestDb(dialect);
    let dovecot: Dovecot;
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    let w: Awaited<ReturnType<typeof makeWorld>>;
    let mail$: MailService;
    let runner: JobRunner;
    let close: () => void;
    const clock = new TestClock(Date.now());
    const stamp = () => { clock.now = Date.now(); };

    beforeAll(async () => {
      [dovecot, smtp] = await Promise.all([startDovecot(), startSmtp()]);
      w = await makeWorld(t.db, clock);
      // Registered contacts of the client (not designated on the contract): they get acknowledgements.
      for (const [name, email] of [['髙橋 一郎', 'takahashi@takahashi-shoji.example'], ['Flood', 'flood@example.org']] as const) {
        await w.s.contacts.create(SYSTEM_ACTOR, { clientId: w.client.id, name, email });
      }
      mail$ = createServices({ db: t.db, clock: clock.fn }, { mail: { from: 'Hoshu <desk@vendor.example>', acksPerHour: 3, alertAfter: 3 } }).mail;
      const transport = createMailTransport({ transport: smtp.url })!;
      close = transport.close;
      const jobs = createMailJobHandlers({ mail: mail$, outbound: { transport, uow: unitOfWork(t.db, clock.fn), from: 'サポート窓口 <desk@vendor.example>', charset: 'iso-2022-jp' } });
      runner = new JobRunner(t.database, { handlers: jobs, clock: clock.fn });
    });
    afterAll(async () => {
      close?.();
      await Promise.all([dovecot?.stop(), smtp?.close()]);
    });

    const intake = (query = `?contract=${w.contract.id}`) => new ImapIntake({ mailbox: parseImapUrl(dovecot.url(query)), mail: mail$, clock: clock.fn });
    async function roundAndRun(i: ImapIntake): Promise<number> {
      stamp();
      const n = await i.round();
      stamp();
      while ((await runner.runDue()) > 0); // processing enqueues acknowledgements
      await i.stop();
      return n;
    }
    const byMessageId = (id: string) => t.db.selectFrom('mailMessages').selectAll().where('messageId', '=', id).execute();
    const incident = (id: string) => w.s.incidents.get(w.agent, id);

    it('turns real-world Japanese mail into incidents; automatic mail creates nothing; junk is kept as unparseable', async () => {
      const before = Date.now();
      for (const name of PEOPLE) dovecot.deliver(fixture(`${name}.eml`));
      for (const name of ['autoreply-out-of-office.eml', 'bounce.eml', 'bulk-newsletter.eml', 'not-a-message.eml']) dovecot.deliver(fixture(name));
      const i = intake();
      expect(await roundAndRun(i)).toBe(9);

      const rows = await t.db.selectFrom('mailMessages').select(['status', 'subject', 'incidentId', 'reason', 'raw', 'receivedAt', 'uid']).orderBy('uid').execute();
      expect(rows.map((r) => r.status)).toEqual(['incident', 'incident', 'incident', 'incident', 'incident', 'ignored', 'ignored', 'ignored', 'unparseable']);
      expect(rows[8]!.raw.length).toBeGreaterThan(0); // raw source kept for an agent
      for (const [k, name] of PEOPLE.entries()) {
        const expected = JSON.parse(fs.readFileSync(path.join(fixtures, `${name}.expected.json`), 'utf8')) as { subject: string; textIncludes: string[] };
        const inc = await incident(rows[k]!.incidentId!);
        expect(inc.title).toBe(expected.subject);
        for (const s of expected.textIncludes) expect(inc.description).toContain(s);
        expect(inc.channel).toBe('email');
        expect(inc.status).toBe('new');
        expect(inc.recognizedAt).toBeNull();
        expect(inc.receivedAt).toBe(rows[k]!.receivedAt);
        expect(inc.receivedAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000); // INTERNALDATE, second precision
        expect(inc.notViaDesignatedContact).toBe(true); // none of them is the contract's contact
      }
      const withFiles = await t.db.selectFrom('mailMessages').select('attachments').where('incidentId', '=', rows[4]!.incidentId).executeTakeFirstOrThrow();
      expect((JSON.parse(withFiles.attachments) as { filename: string }[]).map((a) => a.filename)).toEqual(['障害報告書_2026年4月.xlsx', '画面写し①.png']);

      // Everything is flagged in the mailbox; the next round stores nothing.
      const c = new ImapFlow({ host: '127.0.0.1', port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.password }, logger: false });
      await c.connect();
      await c.mailboxOpen('INBOX');
      expect(await c.search({ unKeyword: STORED_KEYWORD }, { uid: true })).toEqual([]);
      await c.logout();
      expect(await roundAndRun(intake())).toBe(0);
      expect(Number((await t.db.selectFrom('mailMessages').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(9);
    });

    it('acknowledges a registered contact in ISO-2022-JP, threaded, with the [#number-token] tag; nobody else; the loop guard stops after 3 per hour', async () => {
      const [row] = await byMessageId('000001dca1b2$3c4d5e60$b5e81b20$@takahashi-shoji.example');
      const inc = await incident(row!.incidentId!);
      const ack = smtp.mails.find((m) => m.to.includes('takahashi@takahashi-shoji.example'))!;
      expect(ack).toBeDefined();
      expect(ack.raw).toMatch(/charset=ISO-2022-JP/);
      const parsed = await simpleParser(Buffer.from(ack.raw, 'utf8'));
      expect(parsed.subject).toMatch(new RegExp(`^【受付】\\[#${inc.number}-[a-z2-9]{10}\\] `));
      expect(parsed.subject!.endsWith(inc.title)).toBe(true);
      expect(parsed.inReplyTo).toBe('<000001dca1b2$3c4d5e60$b5e81b20$@takahashi-shoji.example>');
      expect(parsed.headers.get('auto-submitted')).toBe('auto-replied');
      expect(parsed.text).toContain(`#${inc.number}`);
      expect(parsed.from?.value[0]?.name).toBe('サポート窓口');
      // No acknowledgement for automatic mail, nor for senders who are not registered contacts.
      expect(smtp.mails.some((m) => m.to.includes('yamada@sakura-butsuryu.example') && /不在/.test(m.subject))).toBe(false);
      expect(smtp.mails.some((m) => m.to.includes('sato.hanako@icloud.example'))).toBe(false);

      const flood = 'flood@example.org';
      for (let k = 0; k < 5; k++) dovecot.deliver(mail({ from: flood, subject: `問い合わせ ${k}`, body: '本文', id: `flood-${k}@example.org` }));
      await roundAndRun(intake());
      expect(smtp.mails.filter((m) => m.to.includes(flood))).toHaveLength(3);
      const reasons = (await t.db.selectFrom('mailMessages').select('reason').where('fromAddress', '=', flood).orderBy('uid').execute()).map((r) => r.reason);
      expect(reasons.at(-1)).toMatch(/loop guard/);
    });

    it('joins replies to their incident by our acknowledgement\'s Message-ID and by the reply tag; a bare number joins nothing', async () => {
      const [row] = await byMessageId('000001dca1b2$3c4d5e60$b5e81b20$@takahashi-shoji.example');
      const inc = await incident(row!.incidentId!);
      const ack = await simpleParser(Buffer.from(smtp.mails.find((m) => m.to.includes('takahashi@takahashi-shoji.example'))!.raw, 'utf8'));
      const tag = /\[#\d+-[a-z2-9]+\]/.exec(ack.subject!)![0];
      dovecot.deliver(mail({
        from: '髙橋 <takahashi@takahashi-shoji.example>', subject: `Re: ${ack.subject}`, body: '再起動したら直りました。\n\n> 元の本文',
        id: 'reply-1@takahashi-shoji.example', headers: [`In-Reply-To: ${ack.messageId}`],
      }));
      dovecot.deliver(mail({ from: 'takahashi@takahashi-shoji.example', subject: `Re: ${tag} 追加情報`, body: '3台目も直りました。', id: 'reply-2@takahashi-shoji.example' }));
      dovecot.deliver(mail({ from: 'mallory@evil.example', subject: `[#${inc.number}] 乗っ取り`, body: 'x', id: 'evil-1@evil.example' }));
      // The client's own Message-ID is known to everyone on that mail: not ours, so no join.
      dovecot.deliver(mail({
        from: 'sato.hanako@icloud.example', subject: 'Re: 追加', body: 'y', id: 'reply-3@icloud.example',
        headers: ['In-Reply-To: <8C2E4A1F-6B3D-4E5F-A7B8-C9D0E1F2A3B4@icloud.example>'],
      }));
      await roundAndRun(intake('')); // no mailbox contract: routing by address/sender
      const after = await incident(inc.id);
      const bodies = after.timeline.filter((e) => e.kind === 'message').map((e) => e.body);
      expect(bodies).toHaveLength(2);
      expect(bodies[0]).toContain('再起動したら直りました。');
      expect(bodies[0]).not.toContain('元の本文');
      expect(bodies[1]).toContain('3台目も直りました。');
      expect((await byMessageId('reply-1@takahashi-shoji.example'))[0]!.status).toBe('reply');
      expect((await byMessageId('evil-1@evil.example'))[0]!.status).toBe('triage'); // not joined; unknown address → triage queue
      expect((await byMessageId('reply-3@icloud.example'))[0]!.status).toBe('triage');
    });

    it('a designated contact is routed to their contract and not flagged; the clock starts when an agent opens it', async () => {
      dovecot.deliver(mail({ from: `山田 太郎 <${w.primary.email}>`, subject: '帳票が出ません', body: '至急お願いします。', id: 'designated-1@client.test' }));
      await roundAndRun(intake(''));
      const [row] = await byMessageId('designated-1@client.test');
      expect(row!.status).toBe('incident');
      expect(row!.contractId).toBe(w.contract.id);
      const inc = await incident(row!.incidentId!);
      expect(inc.notViaDesignatedContact).toBe(false);
      expect(inc.recognizedAt).toBeNull();

      clock.advance(7 * 60_000);
      // The agent's UI sends "open" when it shows the incident (POST /incidents/{id}/open).
      expect((await w.s.incidents.open(w.agent, inc.id)).status).toBe('recognized');
      const opened = await incident(inc.id);
      expect(opened.status).toBe('recognized');
      expect(opened.recognizedAt).toBe(clock.now);
      expect(opened.recognizedAt! - opened.receivedAt).toBeGreaterThanOrEqual(7 * 60_000); // the lag is kept
      expect(opened.targets.find((x) => x.kind === 'start')!.clockStart).toBe(clock.now);
      clock.advance(60_000);
      await w.s.incidents.open(w.agent, inc.id); // only the first open counts
      expect((await incident(inc.id)).recognizedAt).toBe(clock.now - 60_000);
      await w.s.incidents.open(w.contactUser, inc.id);
      expect((await incident(inc.id)).recognizedAt).toBe(clock.now - 60_000);
    });

    it('sends an agent reply threaded under the conversation', async () => {
      const [row] = await byMessageId('designated-1@client.test');
      const sent = await mail$.reply(w.agent, row!.incidentId!, 'ご連絡ありがとうございます。調査いたします。');
      while ((await runner.runDue()) > 0);
      const out = smtp.mails.find((m) => m.raw.includes(sent.messageId))!;
      const parsed = await simpleParser(Buffer.from(out.raw, 'utf8'));
      expect(parsed.subject).toMatch(/^Re: \[#\d+-[a-z2-9]{10}\] 帳票が出ません$/);
      expect(parsed.inReplyTo).toBe('<designated-1@client.test>');
      expect(parsed.references).toContain('<designated-1@client.test>');
      expect(parsed.text?.trim()).toBe('ご連絡ありがとうございます。調査いたします。');
      // The client's answer to our reply joins by In-Reply-To.
      dovecot.deliver(mail({ from: w.primary.email!, subject: parsed.subject!, body: '承知しました。', id: 'designated-2@client.test', headers: [`In-Reply-To: <${sent.messageId}>`] }));
      await roundAndRun(intake(''));
      expect((await byMessageId('designated-2@client.test'))[0]!.incidentId).toBe(row!.incidentId);
    });

    it('stores a (mailbox, UIDVALIDITY, UID) once and a Message-ID seen twice makes one incident', async () => {
      const item = { source: 'imap' as const, mailbox: 'imap://x@y:143/INBOX', uidValidity: 7, uid: 1, raw: mail({ from: 'a@b.example', subject: '重複', body: 'x', id: 'dup@b.example' }), receivedAt: clock.now, contractId: w.contract.id };
      expect(await mail$.store([item])).toHaveLength(1);
      expect(await mail$.store([item])).toHaveLength(0);
      expect(await mail$.store([{ ...item, mailbox: 'smtp', uidValidity: null, uid: null }])).toHaveLength(1);
      await runner.runDue();
      const rows = await byMessageId('dup@b.example');
      expect(rows.map((r) => r.status).sort()).toEqual(['duplicate', 'incident']);
      expect(new Set(rows.map((r) => r.incidentId)).size).toBe(1);
    });

    it('raises a visible alert after repeated intake errors', async () => {
      // Nothing listens on port 1: connection refused at once (a wrong password works too, but Dovecot delays failed logins).
      const bad = new ImapIntake({ mailbox: parseImapUrl('imap://desk%40example.com:secret@127.0.0.1:1/INBOX'), mail: mail$, clock: clock.fn });
      for (let k = 0; k < 3; k++) await bad.round();
      await bad.stop();
      const status = await mail$.status(w.agent);
      const box = status.mailboxes.find((m) => m.mailbox === 'imap://desk@example.com@127.0.0.1:1/INBOX')!;
      expect(box.consecutiveErrors).toBe(3);
      expect(box.alertSince).not.toBeNull();
      expect(status.alert).toBe(true);
      expect(status.counts.unparseable).toBe(1);
    });
  });
}
