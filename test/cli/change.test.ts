/**
 * `hoshu change list|show` (issue 13) as an operator runs them: a real CLI process on a
 * SQLite data directory where a change request was filed, judged, proposed and approved
 * through the services; the output names its state in the reader's language, its price
 * with tax, and the approval with the hash of the version approved.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Database } from '../../src/db/database.ts';

import { TestClock, makeWorld } from '../helpers/factories.ts';
import { cliInTempDir, JA_ENV } from '../helpers/cli.ts';

const { dir, hoshu, remove } = cliInTempDir('hoshu-cli-change-');

let database: Database;
let number = 0;
let hash = '';
beforeAll(async () => {
  const migrate = await hoshu(['migrate']);
  expect(migrate.code, migrate.stderr).toBe(0);
  database = createDb({ dialect: 'sqlite', file: path.join(dir, 'hoshu.db') });
  const clock = new TestClock(Date.now());
  const w = await makeWorld(database.db, clock);

  const cr = await w.s.changeRequests.create(w.contactUser, { contractId: w.contract.id, title: '帳票の追加' });
  await w.s.changeRequests.command(w.agent, cr.id, 'judge_feasible', {});
  const d = await w.s.changeRequests.createProposal(w.agent, cr.id, {
    effortAmount: 2, effortUnit: 'person_days', amountJpy: 300_000, plan: 'p', impact: 'i', backout: 'b',
    validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10), send: true,
  });
  hash = d.proposals[0]!.contentHash!;
  await w.s.changeRequests.decide(w.contactUser, cr.id, 'approve', { version: 1, contentHash: hash });
  number = cr.number;
}, 90_000);
afterAll(async () => {
  await database?.close();
  remove();
});

describe('hoshu change', () => {
  it('lists change requests with their state and price, in the reader\'s language', async () => {
    const en = await hoshu(['change', 'list']);
    expect(en.code, en.stderr).toBe(0);
    expect(en.stdout).toContain(`CR-${number}\tApproved\t¥330,000`);
    const ja = await hoshu(['change', 'list', '--status', 'approved'], { env: JA_ENV });
    expect(ja.stdout).toContain(`CR-${number}\t承認済み`);
    const none = await hoshu(['change', 'list', '--status', 'closed']);
    expect(none.stderr).toContain('No change requests.');
    const bad = await hoshu(['change', 'list', '--status', 'nope']);
    expect(bad.code).toBe(1);
  }, 60_000);

  it('shows one with its proposal and the approval\'s hash; an unknown one is not found', async () => {
    const r = await hoshu(['change', 'show', `CR-${number}`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('proposal v1\ton offer\t¥300,000 + ¥30,000 = ¥330,000');
    expect(r.stdout).toContain(`approved v1`);
    const ja = await hoshu(['change', 'show', `CR-${number}`], { env: JA_ENV });
    expect(ja.stdout).toContain('状態\t承認済み');
    expect(ja.stdout).toContain('提案 第 1 版\t提示中\t¥300,000 + ¥30,000 = ¥330,000\t有効期限 ');
    expect(ja.stdout).toContain('承認 v1');
    expect(ja.stdout).toMatch(/\t提案を提示\t/);
    expect(ja.stdout).not.toMatch(/\b(?:status|received|proposal|sent|approved)\b/);
    expect(r.stdout).toContain(hash);
    const json = JSON.parse((await hoshu(['change', 'show', String(number), '--json'])).stdout) as { status: string };
    expect(json.status).toBe('approved');
    const missing = await hoshu(['change', 'show', 'CR-99999'], { env: JA_ENV });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('変更要求が見つかりません。');
  }, 60_000);
});
