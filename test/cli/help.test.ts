/**
 * `hoshu --help` and commander's own messages in the reader's language: every command,
 * option and argument has its Japanese text (and no Japanese text names one that is gone),
 * a Japanese terminal gets Japanese help and errors, an English one the English as defined.
 */
import { afterAll, describe, expect, it } from 'vitest';
import ja from '../../src/cli/help.ja.json' with { type: 'json' };
import { commandsOf, optionKey, wrapJapanese } from '../../src/cli/cli-help.ts';
import { buildProgram } from '../../src/cli/program.ts';
import { cliInTempDir, JA_ENV } from '../helpers/cli.ts';

const entries: Record<string, Record<string, string> | undefined> = ja.commands;

/** Terminal columns as the help counts them (wide characters two). */
const columns = (s: string) => [...s].reduce((w, ch) => w + (/[\u3000-\u30ff\u4e00-\u9fff\uff00-\uff60]/u.test(ch) ? 2 : 1), 0);

describe('the CLI help in Japanese covers the command tree', () => {
  const tree = commandsOf(buildProgram());

  it('has a Japanese description for every command, option and argument that has an English one', () => {
    const missing: string[] = [];
    for (const { path, command } of tree) {
      const entry = entries[path];
      if (command.description() && !entry?._) missing.push(path);
      for (const o of command.options) if (o.description && !entry?.[optionKey(o)]) missing.push(`${path} ${optionKey(o)}`);
      for (const a of command.registeredArguments) if (a.description && !entry?.[`<${a.name()}>`]) missing.push(`${path} <${a.name()}>`);
    }
    expect(missing).toEqual([]);
  });

  it('names no command or option that the tree does not have', () => {
    const known = new Map(tree.map(({ path, command }) => [path, new Set(['_', ...command.options.map(optionKey), ...command.registeredArguments.map((a) => `<${a.name()}>`)])]));
    const stale: string[] = [];
    for (const [path, entry] of Object.entries(entries)) {
      const keys = known.get(path);
      if (!keys) stale.push(path);
      else for (const k of Object.keys(entry ?? {})) if (!keys.has(k)) stale.push(`${path} ${k}`);
    }
    expect(stale).toEqual([]);
  });

  it('wraps Japanese between characters within the width, keeping ASCII words whole and 、。） off a line start and （ off a line end', () => {
    const text = 'マイグレーションを適用し、空のデスクにはデモデータを入れて（デモ用の認証情報を表示します）、起動します（Web アプリがなければビルドします）。HOSHU_WEB_DIR を読みます';
    const lines = wrapJapanese(text, 30).split('\n');
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.join('').replaceAll(' ', '')).toBe(text.replaceAll(' ', '')); // nothing lost or moved
    for (const l of lines) {
      expect(columns(l.replace(/[、。）]+$/u, '')), l).toBeLessThanOrEqual(30); // closing marks hang past the width rather than start a line
      expect(l, l).not.toMatch(/^[、。）]/u);
      expect(l, l).not.toMatch(/（$/u);
    }
    expect(lines.some((l) => l.includes('HOSHU_WEB_DIR'))).toBe(true);
  });
});

describe('hoshu in a Japanese and an English terminal', () => {
  const cli = cliInTempDir('hoshu-help-');
  afterAll(() => cli.remove());

  it('prints the help in Japanese, commander\'s titles and notes included', async () => {
    const top = await cli.hoshu(['--help'], { env: JA_ENV });
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('使い方: hoshu');
    expect(top.stdout).toContain('コマンド:');
    expect(top.stdout).toContain(entries.report!._!.slice(0, 20));
    expect(top.stdout).toContain('コマンドのヘルプを表示します');
    expect(top.stdout).not.toMatch(/display help|Usage:|Commands:/);
    const report = await cli.hoshu(['report', '--help'], { env: JA_ENV });
    expect(report.stdout).toContain('オプション:');
    expect(report.stdout).toContain('html | pdf | csv（既定: "html"）');
    expect(report.stdout).not.toMatch(/default:/);
  });

  it('says commander\'s errors in Japanese: an unknown option, a missing option, a misspelt command', async () => {
    const unknown = await cli.hoshu(['report', '--out', cli.dir, '--bogus'], { env: JA_ENV });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("エラー: 不明なオプションです: '--bogus'");
    const missing = await cli.hoshu(['report'], { env: JA_ENV });
    expect(missing.stderr).toContain("エラー: 必須のオプション '--out <dir>' が指定されていません");
    const typo = await cli.hoshu(['usr'], { env: JA_ENV });
    expect(typo.stderr).toContain("エラー: 不明なコマンドです: 'usr'");
    expect(typo.stderr).toContain('（もしかして: user）');
    expect(`${unknown.stderr}${missing.stderr}${typo.stderr}`).not.toMatch(/error:|Did you mean/);
  });

  it('the SLA commands\' own bundle speaks Japanese too, its argument checks included', async () => {
    const help = await cli.hoshu(['sla', 'due', '--help'], { env: JA_ENV });
    expect(help.stdout).toContain('--business-minutes <n>     稼働時間の分数');
    const bad = await cli.hoshu(['sla', 'due', '--start', '2026-01-05T10:00', '--business-minutes', '-1'], { env: JA_ENV });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("エラー: オプション '--business-minutes <n>' の値 '-1' が正しくありません。0 以上の数を指定してください");
  });

  it('the desk commands\' own lines follow the locale too (migrate, then migrate again)', async () => {
    const first = await cli.hoshu(['migrate'], { env: JA_ENV });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^適用しました: \d{12}_desk_core, /);
    const again = await cli.hoshu(['migrate'], { env: JA_ENV });
    expect(again.stdout.trim()).toBe('データベースは最新です。');
    expect((await cli.hoshu(['migrate'])).stdout.trim()).toBe('Database is up to date.');
  });

  it('an English terminal gets the English as defined', async () => {
    const top = await cli.hoshu(['--help']);
    expect(top.stdout).toContain('Usage: hoshu');
    expect(top.stdout).toContain('display help for command');
    expect(top.stdout).not.toMatch(/使い方|コマンド:/);
    const unknown = await cli.hoshu(['report', '--out', cli.dir, '--bogus']);
    expect(unknown.stderr).toContain("error: unknown option '--bogus'");
  });
});
