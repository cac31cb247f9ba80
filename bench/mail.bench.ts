/**
 * Messages/s from IMAP into incidents (goal ≥ 200/s): a real Dovecot mailbox with
 * N Japanese messages (the five test fixtures, each with its own Message-ID), one
 * intake round (fetch → commit raw → flag), then the processing jobs (parse →
 * incident, acknowledgement queued) on SQLite. Mail delivery is not measured.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { createDb } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { JobRunner } from '../src/jobs/runner.ts';
import { ImapIntake, parseImapUrl } from '../src/modules/mail/mail.imap.ts';
import { createMailJobHandlers } from '../src/modules/mail/mail.jobs.ts';
import { createServices } from '../src/http/services.ts';
import { startDovecot } from '../test/helpers/dovecot.ts';
import { TestClock, makeWorld } from '../test/helpers/factories.ts';
import { unitOfWork } from '../src/db/unit-of-work.ts';

const N = 1000;

export async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoshu-mail-bench-'));
  const database = createDb({ dialect: 'sqlite', file: path.join(dir, 'hoshu.db') });
  const dovecot = await startDovecot();
  try {
    await migrateToLatest(database.db);
    const clock = new TestClock(Date.now());
    const w = await makeWorld(database.db, clock);
    const fixtures = path.resolve(import.meta.dirname, '../test/fixtures/mail');
    const sources = ['iso2022jp-nec-ibm', 'sjis-outlook2003', 'iphone-utf8', 'webform-html-only', 'rfc2231-attachments'].map((f) => fs.readFileSync(path.join(fixtures, `${f}.eml`)));
    const c = new ImapFlow({ host: '127.0.0.1', port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.password }, logger: false });
    await c.connect();
    for (let i = 0; i < N; i++) {
      const src = sources[i % sources.length]!.toString('latin1').replace(/^Message-I[Dd]: .*$/m, `Message-ID: <bench-${i}@client.example>`);
      await c.append('INBOX', Buffer.from(src, 'latin1'));
    }
    await c.logout();

    clock.now = Date.now();
    const mail = createServices({ db: database.db, clock: () => clock.now }, { mail: { from: 'desk@vendor.example', acksPerHour: 1_000_000 } }).mail;
    const jobs = createMailJobHandlers({ mail, outbound: { transport: null, uow: unitOfWork(database.db, () => clock.now), from: 'desk@vendor.example', charset: 'iso-2022-jp' } });
    const runner = new JobRunner(database, { handlers: { 'mail.process': jobs['mail.process']! }, clock: () => clock.now, batchSize: 200 });
    const intake = new ImapIntake({ mailbox: parseImapUrl(dovecot.url(`?contract=${w.contract.id}`)), mail, clock: () => clock.now });

    const t0 = performance.now();
    const stored = await intake.round();
    const t1 = performance.now();
    clock.now = Date.now();
    while ((await runner.runDue()) > 0);
    const t2 = performance.now();
    await intake.stop();

    const incidents = Number((await database.db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n')).where('channel', '=', 'email').executeTakeFirstOrThrow()).n);
    if (stored !== N || incidents !== N) throw new Error(`stored ${stored}, incidents ${incidents}, expected ${N}`);
    const rate = (n: number, ms: number) => Math.round((n / ms) * 1000).toLocaleString('en-US');
    console.log(`${N} Japanese messages (ISO-2022-JP, Shift_JIS, UTF-8, HTML-only, RFC 2231 attachments) in a Dovecot INBOX; SQLite; Node ${process.version}`);
    console.log(`IMAP fetch → commit raw → flag:      ${(t1 - t0).toFixed(0)} ms  (${rate(N, t1 - t0)} msg/s)`);
    console.log(`parse → incident + ack queued:       ${(t2 - t1).toFixed(0)} ms  (${rate(N, t2 - t1)} msg/s)`);
    console.log(`end to end, IMAP into incidents:     ${(t2 - t0).toFixed(0)} ms  (${rate(N, t2 - t0)} msg/s); goal ≥ 200/s: ${(N / (t2 - t0)) * 1000 >= 200 ? 'met' : 'NOT met'}`);
  } finally {
    await database.close();
    await dovecot.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
