/**
 * The `hoshu` account commands refuse bad input with a clear line naming the option
 * and the value (exit 1) and change nothing; a user that is not found is answered
 * with the data that was searched, since the usual mistake is the wrong data
 * directory. Real CLI processes on a temporary SQLite data directory.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliInTempDir, JA_ENV } from '../helpers/cli.ts';

const { dir, hoshu, remove } = cliInTempDir('hoshu-cli-input-');
const ja = JA_ENV;

beforeAll(async () => {
  const migrate = await hoshu(['migrate']);
  expect(migrate.code, migrate.stderr).toBe(0);
}, 60_000);
afterAll(() => remove());

const PW = 'correct horse battery\n';

describe('hoshu account commands refuse bad input', () => {
  it('refuses a user whose e-mail is not an e-mail address, in English and Japanese, and stores nothing', async () => {
    const en = await hoshu(['user', 'add', '--email', 'notanemail', '--role', 'agent'], { stdin: PW });
    expect(en.code).toBe(1);
    expect(en.stderr).toContain('"notanemail" is not an e-mail address.');
    const jp = await hoshu(['user', 'add', '--email', 'notanemail', '--role', 'agent'], { stdin: PW, env: ja });
    expect(jp.code).toBe(1);
    expect(jp.stderr).toContain('「notanemail」はメールアドレスではありません。');
    const list = await hoshu(['user', 'list']);
    expect(list.stdout).not.toContain('notanemail');
  }, 60_000);

  it('refuses an unknown role, an unknown locale and a blank name, naming the option', async () => {
    const role = await hoshu(['user', 'add', '--email', 'a@vendor.example', '--role', 'boss'], { stdin: PW });
    expect([role.code, role.stderr]).toEqual([1, expect.stringContaining('--role must be one of admin, agent, contact (not "boss")')]);
    const locale = await hoshu(['user', 'add', '--email', 'a@vendor.example', '--role', 'agent', '--locale', 'fr'], { stdin: PW });
    expect([locale.code, locale.stderr]).toEqual([1, expect.stringContaining('--locale must be ja or en (not "fr")')]);
    const name = await hoshu(['user', 'add', '--email', 'a@vendor.example', '--role', 'agent', '--name', '  '], { stdin: PW });
    expect([name.code, name.stderr]).toEqual([1, expect.stringContaining('--name must not be empty')]);
    const list = await hoshu(['user', 'list', '--role', 'boss']);
    expect([list.code, list.stderr]).toEqual([1, expect.stringContaining('--role must be one of')]);
    const users = await hoshu(['user', 'list']);
    expect(users.stdout).not.toContain('a@vendor.example');
  }, 60_000);

  it('refuses a malformed --email on every account command', async () => {
    for (const args of [['user', 'disable'], ['user', 'enable'], ['user', 'reset-password'], ['token', 'list'], ['token', 'create']]) {
      const r = await hoshu([...args, '--email', 'tanaka.vendor.example']);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toContain('"tanaka.vendor.example" is not an e-mail address.');
    }
  }, 120_000);

  it('says which database it opened when no user has that e-mail', async () => {
    const db = path.join(dir, 'hoshu.db');
    const disable = await hoshu(['user', 'disable', '--email', 'nobody@vendor.example']);
    expect(disable.code).toBe(1);
    expect(disable.stderr).toContain('No user with the e-mail address nobody@vendor.example.');
    expect(disable.stderr).toContain(`(Opened: ${db}.)`);
    const token = await hoshu(['token', 'create', '--email', 'nobody@vendor.example'], { env: ja });
    expect(token.code).toBe(1);
    expect(token.stdout).toBe('');
    expect(token.stderr).toContain(`(開いたデータ: ${db})`);
  }, 60_000);

  it('still adds a well-formed user (the e-mail trimmed)', async () => {
    const ok = await hoshu(['user', 'add', '--email', ' sato@vendor.example ', '--role', 'agent', '--locale', 'en'], { stdin: PW });
    expect(ok.code, ok.stderr).toBe(0);
    expect((await hoshu(['user', 'list'])).stdout).toMatch(/^sato@vendor\.example\tagent\t/m);
  }, 60_000);
});
