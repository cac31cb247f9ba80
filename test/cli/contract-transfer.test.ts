/**
 * `hoshu contract export|import` (issue 17) as an operator runs them: the demo desk is
 * exported as CSV and JSON, imported into a fresh data directory (everything created),
 * imported again (nothing changes), a changed row updates one record, and a file with a
 * bad row is refused whole with line-numbered errors in the reader's language while the
 * data stays as it was. `user passwd` is `user reset-password`; a missing user names the
 * data directory that was opened.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliInTempDir, JA_ENV } from '../helpers/cli.ts';

const source = cliInTempDir('hoshu-cli-export-');
const target = cliInTempDir('hoshu-cli-import-');
const csv = path.join(source.dir, 'contracts.csv');
const json = path.join(source.dir, 'contracts.json');

beforeAll(async () => {
  const demo = await source.hoshu(['demo']);
  expect(demo.code, demo.stderr).toBe(0);
  expect((await target.hoshu(['migrate'])).code).toBe(0);
  // The engineer in charge of the demo contracts is a user of the desk they move to.
  const engineer = await target.hoshu(['user', 'add', '--email', 'engineer@hoshu.example', '--name', 'Engineer', '--role', 'agent']);
  expect(engineer.code, engineer.stderr).toBe(0);
}, 400_000);
afterAll(() => {
  source.remove();
  target.remove();
});

// Each test runs several CLI processes (tsx start-up is seconds on a loaded machine).
describe('hoshu contract export|import', { timeout: 240_000 }, () => {
  it('exports every client, contact, system and contract as CSV and JSON', async () => {
    const r = await source.hoshu(['contract', 'export', '--out', csv]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Wrote .*contracts\.csv \(3 clients, \d+ contacts, \d+ systems, \d+ contracts\)/);
    const text = fs.readFileSync(csv, 'utf8');
    expect(text.startsWith('\uFEFFkind,id,client,name')).toBe(true);
    expect(text).toContain('株式会社さくら物流');
    const j = await source.hoshu(['contract', 'export', '--out', json]);
    expect(j.code, j.stderr).toBe(0);
    const rows = JSON.parse(fs.readFileSync(json, 'utf8')) as { kind: string; systems?: string[] }[];
    expect(rows.filter((x) => x.kind === 'client')).toHaveLength(3);
    expect(rows.find((x) => x.kind === 'contract')!.systems!.length).toBeGreaterThan(0);
  });

  it('a bad row refuses the whole file, line by line, in the reader\'s language; nothing is written', async () => {
    const bad = path.join(target.dir, 'bad.csv');
    fs.writeFileSync(bad, [
      'kind,client,name,email,starts_on,systems',
      'client,,新規顧客,,,',
      'contact,新規顧客,窓口 太郎,not-an-email,,',
      'contract,無い顧客,X,,2026-01-01,',
      'contract,新規顧客,新規契約,,2026-04-01,存在しないシステム',
      '',
    ].join('\n'));
    const en = await target.hoshu(['contract', 'import', bad]);
    expect(en.code).toBe(1);
    expect(en.stderr).toContain('The file has 3 error(s); nothing was changed.');
    expect(en.stderr).toContain('line 3: contact has invalid fields:');
    expect(en.stderr).toContain('email: Not a valid e-mail address.');
    expect(en.stderr).toContain('line 4: Client "無い顧客" is neither in the data nor in the file.');
    expect(en.stderr).toContain('line 5: Client "新規顧客" has no system "存在しないシステム".');
    const ja = await target.hoshu(['contract', 'import', bad], { env: JA_ENV });
    expect(ja.stderr).toContain('3 行目: contact の項目に誤りがあります:');
    expect(ja.stderr).toContain('メールアドレスの形式が正しくありません。');
    // The good client row was not written either.
    const exported = path.join(target.dir, 'after.json');
    await target.hoshu(['contract', 'export', '--out', exported]);
    expect(JSON.parse(fs.readFileSync(exported, 'utf8'))).toEqual([]);
  });

  it('imports into a fresh desk, then again with nothing to do; a changed row updates one record', async () => {
    const first = await target.hoshu(['contract', 'import', csv]);
    expect(first.code, first.stderr).toBe(0);
    const total = fs.readFileSync(csv, 'utf8').trim().split('\n').length - 1;
    expect(first.stderr).toContain(`${total} created, 0 updated, 0 unchanged`);
    const again = await target.hoshu(['contract', 'import', json]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`0 created, 0 updated, ${total} unchanged`);
    // The contracts came across with their links (systems, contacts, engineers).
    const back = path.join(target.dir, 'back.json');
    await target.hoshu(['contract', 'export', '--out', back]);
    const strip = (rows: Record<string, unknown>[]) => rows.map(({ id: _id, ...rest }) => rest).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(strip(JSON.parse(fs.readFileSync(back, 'utf8')))).toEqual(strip(JSON.parse(fs.readFileSync(json, 'utf8'))));
    const edited = path.join(target.dir, 'edited.json');
    const rows = JSON.parse(fs.readFileSync(back, 'utf8')) as Record<string, unknown>[];
    const c = rows.find((x) => x.kind === 'contract')!;
    c.notes = '更新したメモ';
    fs.writeFileSync(edited, JSON.stringify(rows));
    const upd = await target.hoshu(['contract', 'import', edited], { env: JA_ENV });
    expect(upd.code, upd.stderr).toBe(0);
    expect(upd.stderr).toContain(`新規 0 件、更新 1 件、変更なし ${total - 1} 件`);
  });

  it('user list and user passwd exist; a missing user names the data directory opened', async () => {
    const list = await source.hoshu(['user', 'list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain('admin');
    const missing = await source.hoshu(['user', 'passwd', '--email', 'nobody@example.com']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No user with the e-mail address nobody@example.com.');
    expect(missing.stderr).toContain(source.dir);
  });
});
