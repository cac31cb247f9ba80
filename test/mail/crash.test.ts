/**
 * Never lose, never duplicate: the intake process is killed between committing the
 * raw messages and flagging them in the mailbox (a real child process, SIGKILL at
 * the crash point). After a restart every message is there exactly once, flagged,
 * and processing makes exactly one incident per message.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Database } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { JobRunner } from '../../src/jobs/runner.ts';
import { createMailJobHandlers } from '../../src/modules/mail/mail.jobs.ts';
import { createServices } from '../../src/http/services.ts';
import { startDovecot, type Dovecot } from '../helpers/dovecot.ts';
import { TestClock, makeWorld } from '../helpers/factories.ts';
import { unitOfWork } from '../../src/db/unit-of-work.ts';

const child = path.resolve(import.meta.dirname, 'intake-child.ts');

describe('a crash between storing and flagging', () => {
  let dovecot: Dovecot;
  let database: Database;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoshu-crash-'));
    database = createDb({ dialect: 'sqlite', file: path.join(dir, 'hoshu.db') });
    await migrateToLatest(database.db);
    dovecot = await startDovecot();
  });
  afterAll(async () => {
    await database?.close();
    await dovecot?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const run = (url: string, crash: boolean) => spawnSync(process.execPath, ['--import', 'tsx', child], {
    env: { ...process.env, HOSHU_TEST_DB_FILE: path.join(dir, 'hoshu.db'), IMAP_URL: url, ...(crash ? { HOSHU_MAIL_CRASH_POINT: 'after-store' } : {}) },
    encoding: 'utf8',
    timeout: 60_000,
  });

  it('loses nothing and duplicates nothing after a restart', async () => {
    const clock = new TestClock(Date.now());
    const w = await makeWorld(database.db, clock);
    const url = dovecot.url(`?contract=${w.contract.id}`);
    const fixtures = path.resolve(import.meta.dirname, '../fixtures/mail');
    for (const f of ['iso2022jp-nec-ibm.eml', 'sjis-outlook2003.eml', 'iphone-utf8.eml']) dovecot.deliver(fs.readFileSync(path.join(fixtures, f)));

    const crashed = run(url, true);
    expect(crashed.signal).toBe('SIGKILL');
    const count = async () => Number((await database.db.selectFrom('mailMessages').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect(await count()).toBe(3); // committed before the crash …

    const restarted = run(url, false); // … still unflagged, so fetched again: nothing new is stored
    expect(restarted.status, restarted.stderr).toBe(0);
    expect(JSON.parse(restarted.stdout)).toEqual({ stored: 0 });
    expect(await count()).toBe(3);
    const again = run(url, false); // now flagged: not even fetched
    expect(JSON.parse(again.stdout)).toEqual({ stored: 0 });

    clock.now = Date.now(); // the children stamped their jobs with the real time
    const mail = createServices({ db: database.db, clock: clock.fn }).mail;
    const jobs = createMailJobHandlers({ mail, outbound: { transport: null, uow: unitOfWork(database.db, clock.fn), from: 'desk@vendor.example', charset: 'utf-8' } });
    const runner = new JobRunner(database, { handlers: jobs, clock: clock.fn });
    while ((await runner.runDue()) > 0);
    const incidents = await database.db.selectFrom('incidents').select(['title', 'channel']).where('channel', '=', 'email').execute();
    expect(incidents.map((i) => i.title).sort()).toEqual(['【障害】①受注画面が開かない（㈱髙橋商事）', 'バックアップ処理の件～至急確認願います', '倉庫のハンディ端末がログインできません📱'].sort());
  });
});
