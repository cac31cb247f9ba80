/**
 * SLA clock throughput: deadlines/s for a 10-minute and a 3-business-day span on
 * a 09:00–18:00 Asia/Tokyo calendar with Japanese holidays, next to a naive
 * minute-walk reference measured in the same run; then `hoshu sla eval` end to end.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileCalendar, STANDARD_JP_CALENDAR, type WorkingCalendar } from '../src/core/calendar/index.ts';
import { dueAt, type SlaTarget } from '../src/core/sla/index.ts';

const MINUTE = 60_000;
const START = Date.parse('2026-01-05T00:00:00+09:00');
const STARTS = 4096; // distinct whole-minute starts spread over two years
const starts = Float64Array.from({ length: STARTS }, (_, i) => START + Math.floor(((i * 2654435761) % 2 ** 32) / 2 ** 32 * 730 * 1440) * MINUTE);

/** The naive reference: is each minute working time? One zone lookup per minute. */
function naiveDue(calendar: WorkingCalendar, start: number, minutes: number): number {
  let t = start;
  let counted = 0;
  while (counted < minutes) {
    if (calendar.workingMs(t, t + MINUTE) === MINUTE) counted++;
    t += MINUTE;
  }
  return t;
}

function measure(label: string, fn: (start: number) => number, minSeconds: number): number {
  let n = 0;
  let sink = 0;
  const t0 = performance.now();
  let elapsed: number;
  do {
    for (let i = 0; i < 256; i++) sink += fn(starts[(n + i) & (STARTS - 1)]!);
    n += 256;
    elapsed = (performance.now() - t0) / 1000;
  } while (elapsed < minSeconds);
  if (sink === 42) console.log('');
  const rate = n / elapsed;
  console.log(`${label.padEnd(44)} ${Math.round(rate).toLocaleString('en-US').padStart(14)} deadlines/s`);
  return rate;
}

/** `hoshu sla eval` as a user runs it: a file on stdin, a file on stdout, process start included. */
async function evalThroughput(lines: number): Promise<{ seconds: number; rate: number }> {
  const cals = [STANDARD_JP_CALENDAR, { ...STANDARD_JP_CALENDAR, weekly: { ...STANDARD_JP_CALENDAR.weekly, mon: [['09:00', '12:00'], ['13:00', '18:00']] } }, { ...STANDARD_JP_CALENDAR, timeZone: 'UTC' }];
  const dir = mkdtempSync(join(tmpdir(), 'hoshu-bench-'));
  const inFile = join(dir, 'in.jsonl');
  const outFile = join(dir, 'out.jsonl');
  const chunks: string[] = [];
  for (let i = 0; i < lines; i++) {
    chunks.push(JSON.stringify({ id: `c${i}`, calendar: cals[i % 3], start: new Date(START + i * 97_000).toISOString(), target: { kind: 'business', minutes: (i % 1620) + 1 } }));
  }
  writeFileSync(inFile, chunks.join('\n') + '\n');
  const input = openSync(inFile, 'r');
  const output = openSync(outFile, 'w');
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [join(import.meta.dirname, '..', 'bin', 'hoshu.js'), 'sla', 'eval'], { stdio: [input, output, 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
  });
  const seconds = (performance.now() - t0) / 1000;
  closeSync(input);
  closeSync(output);
  const out = readFileSync(outFile, 'utf8').trimEnd().split('\n');
  rmSync(dir, { recursive: true, force: true });
  if (out.length !== lines || !out.every((l) => l.includes('"due"'))) throw new Error('hoshu sla eval did not answer every line with a deadline');
  return { seconds, rate: lines / seconds };
}

export async function run(): Promise<void> {
  const calendar = compileCalendar(STANDARD_JP_CALENDAR);
  const ten: SlaTarget = { kind: 'business', minutes: 10 };
  const threeDays: SlaTarget = { kind: 'business', minutes: 3 * 540 };
  // Warm the index and the JIT before measuring.
  for (let i = 0; i < STARTS; i++) dueAt({ calendar, start: starts[i]!, target: threeDays });
  for (let i = 0; i < 200; i++) if (naiveDue(calendar, starts[i]!, 1620) !== dueAt({ calendar, start: starts[i]!, target: threeDays })) throw new Error('reference disagrees');

  console.log(`calendar: Mon–Fri 09:00–18:00 Asia/Tokyo, Japanese holidays, 12/29–1/3 closed; ${STARTS} starts over 2026–2027; Node ${process.version}`);
  const fast10 = measure('indexed, 10 business minutes', (s) => dueAt({ calendar, start: s, target: ten }), 2);
  const fast3d = measure('indexed, 3 business days (1,620 min)', (s) => dueAt({ calendar, start: s, target: threeDays }), 2);
  const naive10 = measure('naive minute walk, 10 business minutes', (s) => naiveDue(calendar, s, 10), 1);
  const naive3d = measure('naive minute walk, 3 business days', (s) => naiveDue(calendar, s, 1620), 1);
  console.log(`speed-up: ×${Math.round(fast10 / naive10).toLocaleString('en-US')} (10 min), ×${Math.round(fast3d / naive3d).toLocaleString('en-US')} (3 days); goal ≥ 5,000,000/s for both: ${fast10 >= 5e6 && fast3d >= 5e6 ? 'met' : 'NOT met'}`);

  const lines = 200_000;
  const { seconds, rate } = await evalThroughput(lines);
  const startup = await evalThroughput(1);
  console.log(`hoshu sla eval: ${lines.toLocaleString('en-US')} lines over 3 calendars in ${seconds.toFixed(2)} s incl. process start (${startup.seconds.toFixed(2)} s alone) = ${Math.round(rate).toLocaleString('en-US')} lines/s end to end (goal ≥ 100,000)`);
}
