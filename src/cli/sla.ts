/** `hoshu sla …`: the SLA clock from the command line, straight over the pure core. */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { CalendarDocumentError, CalendarRangeError, compileCalendar, parseCalendarDocument, STANDARD_JP_CALENDAR } from '../core/calendar/index.ts';
import { explainDeadline, type Pause, type SlaTarget } from '../core/sla/index.ts';
import { formatInstant, parseInstant } from '../core/time/zone.ts';
import { runSlaEval } from './sla-eval.ts';

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a non-negative number');
  return n;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be an integer ≥ 1');
  return n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function fail(message: string): never {
  process.stderr.write(`hoshu sla due: ${message}\n`);
  process.exit(2);
}

function loadCalendar(file: string | undefined) {
  if (!file) return STANDARD_JP_CALENDAR;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    fail(`cannot read the calendar file ${file}: ${(e as Error).message}`);
  }
  try {
    return parseCalendarDocument(JSON.parse(text));
  } catch (e) {
    if (e instanceof CalendarDocumentError) fail(`${file}: ${e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    fail(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

export function registerSlaCommands(program: Command): void {
  const sla = program.command('sla').description('SLA clock: deadlines and working time on business calendars');

  sla
    .command('eval')
    .description('read JSON Lines on stdin (deadline or elapsed requests), write one JSON line per input line')
    .action(async () => {
      await runSlaEval(process.stdin, process.stdout);
    });

  sla
    .command('due')
    .description('the deadline of one SLA target, optionally with the working intervals that were counted')
    .option('--calendar <file>', 'calendar document (JSON); default: Mon–Fri 09:00–18:00 Asia/Tokyo, Japanese holidays, 12/29–1/3 closed')
    .requiredOption('--start <iso>', 'clock start, ISO 8601 (without offset: local time of the calendar)')
    .addOption(new Option('--business-minutes <n>', 'minutes of working time').argParser(positiveNumber).conflicts(['calendarMinutes', 'endOfBusinessDay']))
    .addOption(new Option('--calendar-minutes <n>', 'minutes on a 24/7 clock').argParser(positiveNumber).conflicts(['endOfBusinessDay']))
    .addOption(new Option('--end-of-business-day <n>', 'closing time of the Nth business day after the start date').argParser(positiveInteger))
    .option('--pause <from/to>', 'a paused interval, ISO 8601 "from/to" (repeatable)', collect, [])
    .option('--explain', 'list the working intervals that were counted')
    .action((opts: { calendar?: string; start: string; businessMinutes?: number; calendarMinutes?: number; endOfBusinessDay?: number; pause: string[]; explain?: boolean }) => {
      const doc = loadCalendar(opts.calendar);
      const calendar = compileCalendar(doc);
      const zone = calendar.timeZone;
      const start = parseInstant(opts.start, zone) ?? fail(`--start is not an ISO 8601 date-time: ${opts.start}`);
      let target: SlaTarget;
      if (opts.businessMinutes !== undefined) target = { kind: 'business', minutes: opts.businessMinutes };
      else if (opts.calendarMinutes !== undefined) target = { kind: 'calendar', minutes: opts.calendarMinutes };
      else if (opts.endOfBusinessDay !== undefined) target = { kind: 'endOfNthBusinessDay', n: opts.endOfBusinessDay };
      else fail('give one of --business-minutes, --calendar-minutes or --end-of-business-day');
      const pauses: Pause[] = opts.pause.map((p) => {
        const [a, b] = p.split('/');
        const s = a ? parseInstant(a, zone) : null;
        const e = b ? parseInstant(b, zone) : null;
        if (s === null || e === null || e < s) fail(`--pause must be "from/to" with from ≤ to: ${p}`);
        return [s, e] as const;
      });
      let explanation: ReturnType<typeof explainDeadline>;
      try {
        explanation = explainDeadline({ calendar, start, target, pauses });
      } catch (e) {
        // Past the holiday data (or before 1970) is the user's input, not a crash: say so, no stack.
        if (e instanceof CalendarRangeError) fail(`cannot compute this deadline: ${e.message} (years ${e.firstYear}–${e.lastYear})`);
        throw e;
      }
      process.stdout.write(`due ${explanation.due}\n`);
      if (opts.explain) {
        process.stdout.write(`start ${formatInstant(zone, start)} (${zone}); counted ${explanation.totalSeconds / 60} min of working time:\n`);
        for (const c of explanation.counted) process.stdout.write(`  ${c.from} → ${c.to}  ${c.seconds / 60} min\n`);
        for (const p of explanation.paused) process.stdout.write(`  paused ${p.from} → ${p.to}\n`);
      }
    });
}
