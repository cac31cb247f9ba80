/**
 * Forged mail cannot join another client's incident (issue 11 item 2), on each dialect.
 * Incident numbers are sequential and From: is free text, so a reply joins only by a
 * Message-ID we generated or by the incident's random reply token; our own MX's
 * Authentication-Results fail sends mail to triage unanswered, anyone else's is ignored;
 * only registered contacts are acknowledged.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { MailService } from '../../src/modules/mail/mail.service.ts';
import { createServices } from '../../src/http/services.ts';
import { subjectTags } from '../../src/modules/mail/mail.parse.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { TestClock, makeWorld } from '../helpers/factories.ts';

const MX = 'mx.vendor.example';

function mail(o: { from: string; subject: string; body?: string; id: string; headers?: string[] }): Buffer {
  return Buffer.from([
    ...(o.headers ?? []), `From: ${o.from}`, 'To: support@vendor.example', `Subject: =?UTF-8?B?${Buffer.from(o.subject).toString('base64')}?=`,
    'Date: Wed, 1 Apr 2026 10:00:00 +0900', `Message-ID: <${o.id}>`, 'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8', 'Content-Transfer-Encoding: 8bit', '', o.body ?? '本文です。', '',
  ].join('\r\n'));
}

for (const dialect of testDialects) {
  describe(`mail that joins an incident must prove it (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = new TestClock(Date.parse('2026-04-01T10:00:00+09:00'));
    let w: Awaited<ReturnType<typeof makeWorld>>;
    let mail$: MailService;
    let inc: { id: string; number: number };
    let ack: { messageId: string; subject: string; token: string };

    /** Stores and processes one message as an SMTP delivery without a mailbox contract (routing by address and sender). */
    async function deliver(raw: Buffer) {
      clock.advance(1000);
      const [id] = await mail$.store([{ source: 'smtp', mailbox: 'smtp', raw, receivedAt: clock.now }]);
      const status = await mail$.process(id!);
      const row = await t.db.selectFrom('mailMessages').select(['status', 'reason', 'incidentId', 'authResults']).where('id', '=', id!).executeTakeFirstOrThrow();
      return { ...row, status };
    }
    const messages = async () => (await w.s.incidents.get(w.agent, inc.id)).timeline.filter((e) => e.kind === 'message');
    const acksTo = async (to: string) => t.db.selectFrom('mailOutbound').selectAll().where('toAddress', '=', to).where('kind', '=', 'ack').execute();

    beforeAll(async () => {
      w = await makeWorld(t.db, clock);
      mail$ = createServices({ db: t.db, clock: clock.fn }, { mail: { from: 'Support <support@vendor.example>', authservId: MX } }).mail;
      // The client's designated contact reports; the desk acknowledges with the reply tag and then waits for the client.
      const first = await deliver(mail({ from: `山田 太郎 <${w.primary.email}>`, subject: '帳票が出ません', id: 'first@client.test' }));
      expect(first.status).toBe('incident');
      const facts = await w.s.incidents.get(w.agent, first.incidentId!);
      inc = { id: facts.id, number: facts.number };
      const [out] = await acksTo(w.primary.email!);
      const job = await t.db.selectFrom('jobs').select('payload').where('dedupeKey', '=', `mail:out:${out!.messageId}`).executeTakeFirstOrThrow();
      const payload = (typeof job.payload === 'string' ? JSON.parse(job.payload) : job.payload) as { subject: string };
      const tag = subjectTags(payload.subject)[0]!;
      ack = { messageId: out!.messageId, subject: payload.subject, token: tag.token! };
      await w.s.incidents.changeStatus(w.agent, inc.id, { to: 'in_progress' });
      await w.s.incidents.changeStatus(w.agent, inc.id, { to: 'waiting_for_client', reason: '回答待ち' });
    });

    it('acknowledges with a reply tag that carries an unguessable token, not the bare number', () => {
      expect(ack.subject).toContain(`[#${inc.number}-${ack.token}]`);
      expect(ack.token).toMatch(/^[a-z2-9]{10}$/);
    });

    it('a forged From: of the contact with a guessed [#n] does not join and does not end the pause', async () => {
      const forged = await deliver(mail({ from: `山田 太郎 <${w.primary.email}>`, subject: `Re: [#${inc.number}] 対応不要です。クローズしてください`, id: 'forged-1@evil.example' }));
      expect(forged.status).toBe('incident'); // routed as new mail from a designated contact: a new item, never a join
      expect(forged.incidentId).not.toBe(inc.id);
      expect(forged.reason).toMatch(new RegExp(`#${inc.number} without its reply token: not joined`));
      const wrong = await deliver(mail({ from: w.primary.email!, subject: `Re: [#${inc.number}-aaaaaaaaaa] 追加`, id: 'forged-2@evil.example' }));
      expect(wrong.incidentId).not.toBe(inc.id);
      expect(wrong.reason).toMatch(/wrong reply token/);
      // The sender's own earlier Message-ID is known to everyone on that mail: not ours, no join.
      const theirs = await deliver(mail({ from: w.primary.email!, subject: 'Re: 帳票が出ません', id: 'forged-3@evil.example', headers: ['In-Reply-To: <first@client.test>'] }));
      expect(theirs.incidentId).not.toBe(inc.id);
      const stranger = await deliver(mail({ from: 'mallory@evil.example', subject: `[#${inc.number}] 乗っ取り`, id: 'forged-4@evil.example' }));
      expect(stranger.status).toBe('triage');
      expect(await messages()).toHaveLength(0);
      expect((await w.s.incidents.get(w.agent, inc.id)).status).toBe('waiting_for_client');
    });

    it('the genuine reply joins: by our Message-ID, and by the reply token', async () => {
      const byId = await deliver(mail({ from: w.primary.email!, subject: `Re: ${ack.subject}`, body: '再起動で直りました。', id: 'reply-1@client.test', headers: [`In-Reply-To: <${ack.messageId}>`] }));
      expect(byId).toMatchObject({ status: 'reply', incidentId: inc.id });
      expect((await w.s.incidents.get(w.agent, inc.id)).status).toBe('in_progress'); // the client's answer ends the pause
      // A colleague on the thread, with a reformatting mail program that dropped the headers but kept the tag.
      const byToken = await deliver(mail({ from: 'colleague@client.test', subject: `RE: [#${inc.number}-${ack.token.toUpperCase()}] 帳票`, body: '補足です。', id: 'reply-2@client.test' }));
      expect(byToken).toMatchObject({ status: 'reply', incidentId: inc.id });
      expect((await messages()).map((m) => m.body)).toEqual([expect.stringContaining('再起動で直りました。'), expect.stringContaining('補足です。')]);
    });

    it('our MX\'s dmarc=fail: not joined even with the right token, not acknowledged, in triage with the verdict kept', async () => {
      const before = (await messages()).length;
      const failed = await deliver(mail({
        from: w.primary.email!, subject: `Re: [#${inc.number}-${ack.token}] 追加`, id: 'dmarc-fail@client.test', headers: [`In-Reply-To: <${ack.messageId}>`,
          `Authentication-Results: ${MX};\r\n\tspf=pass smtp.mailfrom=bounce.evil.example;\r\n\tdkim=none;\r\n\tdmarc=fail (p=none) header.from=client.test`],
      }));
      expect(failed.status).toBe('triage');
      expect(failed.incidentId).toBeNull();
      expect(failed.reason).toMatch(/authentication failed \(dmarc=fail, by mx\.vendor\.example\)/);
      expect(JSON.parse(failed.authResults!)).toEqual({ by: MX, spf: 'pass', dkim: 'none', dmarc: 'fail', verdict: 'fail' });
      expect((await messages()).length).toBe(before);
      // New mail that fails is not acknowledged either.
      const acks = (await acksTo(w.deputy.email!)).length;
      const fresh = await deliver(mail({ from: w.deputy.email!, subject: '新規の問い合わせ', id: 'dmarc-fail-2@client.test', headers: [`Authentication-Results: ${MX}; dmarc=fail header.from=client.test`] }));
      expect(fresh.status).toBe('triage');
      expect((await acksTo(w.deputy.email!)).length).toBe(acks);
    });

    it('an Authentication-Results from another host is ignored, whatever it claims; ours wins a conflict', async () => {
      const foreign = await deliver(mail({
        from: w.primary.email!, subject: `Re: [#${inc.number}] 続き`, id: 'foreign-ar@evil.example',
        headers: ['Authentication-Results: evil.example; spf=pass; dkim=pass; dmarc=pass', `Authentication-Results: ${MX}.evil.example; dmarc=pass`],
      }));
      expect(foreign.authResults).toBeNull();
      expect(foreign.incidentId).not.toBe(inc.id); // a claimed pass proves nothing: still no join by a bare number
      // A header the sender wrote with our id cannot turn our fail into a pass.
      const spoofed = await deliver(mail({
        from: w.primary.email!, subject: 'x', id: 'spoofed-ar@evil.example',
        headers: [`Authentication-Results: ${MX}; dmarc=fail header.from=client.test`, `Authentication-Results: ${MX}; dmarc=pass`],
      }));
      expect(spoofed.status).toBe('triage');
      const passed = await deliver(mail({ from: w.primary.email!, subject: 'DMARC 通過', id: 'pass-ar@client.test', headers: [`Authentication-Results: ${MX} 1; dkim=pass header.d=client.test; dmarc=pass`] }));
      expect(passed.status).toBe('incident');
      expect(JSON.parse(passed.authResults!)).toMatchObject({ dmarc: 'pass', dkim: 'pass', verdict: 'pass' });
    });

    it('acknowledges registered contacts only', async () => {
      const mailbox = { source: 'smtp' as const, mailbox: 'smtp', contractId: w.contract.id };
      clock.advance(1000);
      const [a] = await mail$.store([{ ...mailbox, raw: mail({ from: 'stranger@example.org', subject: '問い合わせ', id: 'stranger@example.org' }), receivedAt: clock.now }]);
      expect(await mail$.process(a!)).toBe('incident'); // accepted and flagged, as SPEC §3 asks …
      const row = await t.db.selectFrom('mailMessages').select(['reason', 'incidentId']).where('id', '=', a!).executeTakeFirstOrThrow();
      expect(row.reason).toMatch(/acknowledgement: sender is not a registered contact/); // … but not answered
      expect(await acksTo('stranger@example.org')).toHaveLength(0);
      expect((await w.s.incidents.get(w.agent, row.incidentId!)).notViaDesignatedContact).toBe(true);
      const [b] = await mail$.store([{ ...mailbox, raw: mail({ from: w.deputy.email!, subject: '問い合わせ2', id: 'deputy-2@client.test' }), receivedAt: clock.now }]);
      expect(await mail$.process(b!)).toBe('incident');
      expect((await acksTo(w.deputy.email!)).length).toBeGreaterThan(0);
    });
  });
}
