/** `hoshu report` over a desk file: one contract's CSV tables, --all with contracts/s, a bad format refused in words. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSHU_BIN } from '../helpers/cli.ts';
import { createDb } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { createServices } from '../../src/http/services.ts';
import { SYSTEM_ACTOR } from '../../src/modules/auth/actor.ts';
import { seedBaseData } from '../../src/seed/base.ts';

const run = promisify(execFile);
const T0 = Date.parse('2026-11-10T10:00:00+09:00');

describe('hoshu report', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoshu-cli-report-'));
  const env = { ...process.env, DATABASE_URL: `sqlite:${path.join(dir, 'hoshu.db')}`, LANG: 'C' };
  beforeAll(async () => {
    const database = createDb({ dialect: 'sqlite', file: path.join(dir, 'hoshu.db') });
    await migrateToLatest(database.db);
    await seedBaseData(database.db, T0 - 86_400_000);
    const s = createServices({ db: database.db, clock: () => T0 });
    const client = await s.clients.create(SYSTEM_ACTOR, { name: '株式会社テスト' });
    const contract = await s.contracts.create(SYSTEM_ACTOR, { clientId: client.id, name: 'テスト 保守契約', startsOn: '2026-01-01' });
    await s.incidents.create(SYSTEM_ACTOR, { contractId: contract.id, title: '画面が開かない, "至急"', channel: 'phone', priority: 'urgent' });
    await database.close();
  }, 60_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes one CSV per table (BOM, RFC 4180 quoting) for a contract named by its name', async () => {
    const out = path.join(dir, 'out');
    const r = await run(process.execPath, [HOSHU_BIN, 'report', '--contract', 'テスト 保守契約', '--month', '2026-11', '--format', 'csv', '--lang', 'en', '--out', out], { env });
    expect(r.stdout).toContain(path.join(out, '2026-11.en', 'incidents.csv'));
    const csv = fs.readFileSync(path.join(out, '2026-11.en', 'incidents.csv'));
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe('number,title,priority,category,status,in_scope,billable,received_at,recognized_at,policy_version,received_in_month');
    expect(lines[1]).toMatch(/^1,"画面が開かない, ""至急""",Urgent,Other,Recognized,1,0,2026-11-10 10:00,2026-11-10 10:00,1,1$/);
    expect(fs.readdirSync(path.join(out, '2026-11.en')).sort()).toEqual(
      ['attainment.csv', 'availability.csv', 'breaches.csv', 'change_requests.csv', 'incidents.csv', 'lag.csv', 'maintenance.csv',
        'open_at_month_end.csv', 'out_of_scope.csv', 'outages.csv', 'risks.csv', 'security_incidents.csv', 'security_reports.csv'],
    );
  }, 60_000);

  it('--all renders every contract and reports contracts/s', async () => {
    const out = path.join(dir, 'all');
    const r = await run(process.execPath, [HOSHU_BIN, 'report', '--all', '--month', '2026-11', '--out', out], { env });
    expect(r.stderr).toMatch(/Rendered the reports of 1 contracts in [\d.]+ s \([\d.]+ contracts\/s\)/);
    const [contractDir] = fs.readdirSync(out);
    expect(fs.readFileSync(path.join(out, contractDir!, 'report-2026-11.ja.html'), 'utf8')).toContain('<html lang="ja">');
  }, 60_000);

  it('refuses an unknown format in words, with exit code 1', async () => {
    const e = await run(process.execPath, [HOSHU_BIN, 'report', '--contract', 'x', '--format', 'docx', '--out', dir], { env }).catch((x: unknown) => x as { code: number; stderr: string });
    expect(e).toMatchObject({ code: 1 });
    expect((e as { stderr: string }).stderr).toContain('format docx is not one of html, pdf, csv');
  }, 60_000);

  it('refuses a month that is not YYYY-MM, saying how to write it in the reader\'s language, and writes nothing', async () => {
    const out = path.join(dir, 'bad-month');
    const args = [HOSHU_BIN, 'report', '--all', '--month', '2026-13', '--out', out];
    const ja = await run(process.execPath, args, { env: { ...env, LANG: 'ja_JP.UTF-8' } }).catch((x: unknown) => x as { code: number; stderr: string });
    expect(ja).toMatchObject({ code: 1 });
    // The issue line had read "month (invalid)": a field name and a machine code in a Japanese message.
    expect((ja as { stderr: string }).stderr).toContain('month: 年月は YYYY-MM の形式で指定してください（例 2026-11）。');
    const en = await run(process.execPath, args, { env }).catch((x: unknown) => x as { code: number; stderr: string });
    expect((en as { stderr: string }).stderr).toContain('month: Not a valid month: give it as YYYY-MM (e.g. 2026-11).');
    expect(fs.existsSync(out)).toBe(false);
  }, 60_000);
});
