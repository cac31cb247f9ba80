import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { HOSHU_BIN } from '../helpers/cli.ts';
import { LUNCH, PLAIN } from '../core/calendars.ts';


function evalLines(lines: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [HOSHU_BIN, 'sla', 'eval'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out.trimEnd().split('\n')) : reject(new Error(`exit ${code}`))));
    child.stdin.end(lines.join('\n') + '\n');
  });
}

describe('hoshu sla eval', () => {
  it('answers each line in order: deadlines, elapsed time, and errors that do not stop the run', async () => {
    const out = await evalLines([
      JSON.stringify({ id: 'c1', calendar: PLAIN, start: '2026-05-01T17:50:00+09:00', target: { kind: 'business', minutes: 10 } }),
      JSON.stringify({ id: 'c2', calendar: PLAIN, start: '2026-05-11T09:00:00+09:00', end: '2026-05-11T18:00:00+09:00' }),
      '{not json',
      JSON.stringify({ id: 'bad-cal', calendar: { timeZone: 'Mars/Base', weekly: {} }, start: '2026-05-01T10:00:00+09:00', target: { kind: 'business', minutes: 1 } }),
      JSON.stringify({ id: 'bad-target', calendar: PLAIN, start: '2026-05-01T10:00:00+09:00', target: { kind: 'business', minutes: -5 } }),
      JSON.stringify({ id: 'bad-start', calendar: PLAIN, start: 'yesterday', target: { kind: 'business', minutes: 5 } }),
      JSON.stringify({ id: 'c3', calendar: LUNCH, start: '2026-05-11T11:50:00+09:00', target: { kind: 'business', minutes: 20 }, pauses: [['2026-05-11T13:00:00+09:00', '2026-05-11T13:05:00+09:00']] }),
      JSON.stringify({ id: 'c4', calendar: PLAIN, start: '2026-05-15T19:00:00+09:00', target: { kind: 'endOfNthBusinessDay', n: 1 } }),
      JSON.stringify({ id: 'c5', calendar: PLAIN, start: '2051-01-06T10:00:00+09:00', target: { kind: 'business', minutes: 5 } }),
    ]);
    expect(out.map((l) => JSON.parse(l))).toEqual([
      { id: 'c1', due: '2026-05-01T18:00:00+09:00' },
      { id: 'c2', businessSeconds: 32400 },
      { id: null, error: 'the line is not valid JSON' },
      { id: 'bad-cal', error: expect.stringMatching(/calendar\.timeZone: must be an IANA time zone/) },
      { id: 'bad-target', error: expect.stringMatching(/target\.minutes/) },
      { id: 'bad-start', error: expect.stringMatching(/"start" is not an ISO 8601 date-time/) },
      { id: 'c3', due: '2026-05-11T13:15:00+09:00' },
      { id: 'c4', due: '2026-05-18T18:00:00+09:00' },
      { id: 'c5', error: expect.stringMatching(/holiday data covers 1970–2050/) },
    ]);
  });

  it('ignores a byte-order mark and CRLF line ends', async () => {
    const line = JSON.stringify({ id: 'bom', calendar: PLAIN, start: '2026-05-11T17:50:30+09:00', target: { kind: 'business', minutes: 10 } });
    const out = await evalLines([`\ufeff${line}\r`, `${line.replace('bom', 'crlf')}\r`]);
    expect(out.map((l) => JSON.parse(l))).toEqual([
      { id: 'bom', due: '2026-05-12T09:00:30+09:00' },
      { id: 'crlf', due: '2026-05-12T09:00:30+09:00' },
    ]);
  });

  it('streams 200,000 lines over a few calendars in one run', async () => {
    const cals = [PLAIN, LUNCH, { ...PLAIN, timeZone: 'UTC' }];
    const lines = Array.from({ length: 200_000 }, (_, i) =>
      JSON.stringify({ id: i, calendar: cals[i % 3], start: new Date(Date.UTC(2026, 0, 5) + i * 97_000).toISOString(), target: { kind: 'business', minutes: (i % 1620) + 1 } }),
    );
    const out = await evalLines(lines);
    expect(out).toHaveLength(200_000);
    expect(JSON.parse(out[199_999]!).id).toBe(199_999);
    expect(out.every((l) => l.includes('"due"'))).toBe(true);
  }, 60_000);
});

describe('hoshu sla due', () => {
  it('prints the deadline and, with --explain, the counted intervals', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hoshu-cal-'));
    const file = join(dir, 'cal.json');
    writeFileSync(file, JSON.stringify(LUNCH));
    const { stdout } = await promisify(execFile)(process.execPath, [HOSHU_BIN, 'sla', 'due', '--calendar', file, '--start', '2026-05-11T11:00:00+09:00', '--business-minutes', '540', '--explain']);
    expect(stdout).toContain('due 2026-05-12T12:00:00+09:00');
    expect(stdout).toContain('2026-05-11T13:00:00+09:00 → 2026-05-11T18:00:00+09:00  300 min');
  });
  it('refuses a bad calendar file with the field and reason, exit code 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hoshu-cal-'));
    const file = join(dir, 'cal.json');
    writeFileSync(file, JSON.stringify({ timeZone: 'Asia/Tokyo', weekly: { mon: [['10:00', '09:00']] } }));
    const run = promisify(execFile)(process.execPath, [HOSHU_BIN, 'sla', 'due', '--calendar', file, '--start', '2026-05-11T11:00:00+09:00', '--business-minutes', '5']);
    await expect(run).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/weekly\.mon\.0: The start must be before the end\./) });
  });

  it('speaks Japanese on a Japanese locale: the explanation\'s words and the errors, the due line unchanged', async () => {
    const env = { ...process.env, LC_ALL: '', LC_MESSAGES: '', LANG: 'ja_JP.UTF-8' };
    const { stdout } = await promisify(execFile)(process.execPath, [HOSHU_BIN, 'sla', 'due', '--start', '2026-05-11T11:00:00+09:00', '--business-minutes', '60', '--pause', '2026-05-11T11:10:00+09:00/2026-05-11T11:20:00+09:00', '--explain'], { env });
    expect(stdout).toContain('due 2026-05-11T12:10:00+09:00');
    expect(stdout).toContain('開始 2026-05-11T11:00:00+09:00（Asia/Tokyo）。算入した稼働時間 60 分:');
    expect(stdout).toContain('  停止 2026-05-11T11:10:00+09:00 → 2026-05-11T11:20:00+09:00');
    const dir = mkdtempSync(join(tmpdir(), 'hoshu-cal-'));
    const file = join(dir, 'cal.json');
    writeFileSync(file, JSON.stringify({ timeZone: 'Asia/Tokyo', weekly: { mon: [['10:00', '09:00']] } }));
    const bad = (args: string[]) => promisify(execFile)(process.execPath, [HOSHU_BIN, 'sla', 'due', ...args], { env }).then(() => null, (e: { code: number; stderr: string }) => e);
    const cal = await bad(['--calendar', file, '--start', '2026-05-11T11:00:00+09:00', '--business-minutes', '5']);
    expect(cal?.code).toBe(2);
    expect(cal?.stderr).toContain(`${file} のカレンダー定義に誤りがあります: weekly.mon.0: `);
    expect(cal?.stderr).not.toContain('start must be before end');
    expect((await bad(['--start', 'あした', '--business-minutes', '5']))?.stderr).toContain('--start は ISO 8601 の日時で指定してください: あした');
    expect((await bad(['--start', '2051-01-06T10:00:00+09:00', '--business-minutes', '5']))?.stderr).toContain('1970年〜2050年');
  });

  it('refuses a start past the holiday data with a clear message and exit code 2, no stack trace', async () => {
    const run = promisify(execFile)(process.execPath, [HOSHU_BIN, 'sla', 'due', '--start', '2051-01-06T10:00:00+09:00', '--business-minutes', '5']);
    const err = await run.then(() => null, (e: { code: number; stderr: string }) => e);
    expect(err?.code).toBe(2);
    expect(err?.stderr).toMatch(/hoshu sla due: cannot compute this deadline: .*holiday data covers 1970–2050/);
    expect(err?.stderr).not.toMatch(/\n\s+at /);
  });
});
