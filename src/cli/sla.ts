/** `hoshu sla …`: the SLA clock from the command line, straight over the pure core. */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { CalendarDocumentError, CalendarRangeError, compileCalendar, parseCalendarDocument, STANDARD_JP_CALENDAR } from '../core/calendar/index.ts';
import { explainDeadline, type Pause, type SlaTarget } from '../core/sla/index.ts';
import { formatInstant, parseInstant } from '../core/time/zone.ts';
import { t } from '../i18n/index.ts';
import { renderIssue } from '../i18n/issues.ts';
import { cliLocale } from './cli-locale.ts';
import { runSlaEval } from './sla-eval.ts';

// The `due` line and the intervals' instants are a format scripts read: only the words around them are translated.
const say = (key: string, params?: Record<string, string | number>) => t(cliLocale(), `cli.sla.${key}`, params);

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
    fail(say('cannotRead', { file, reason: (e as Error).message }));
  }
  try {
    return parseCalendarDocument(JSON.parse(text));
  } catch (e) {
    if (e instanceof CalendarDocumentError) {
      const issues = e.issues.map((i) => `${i.path.join('.')}: ${renderIssue(cliLocale(), i.code, i.params)}`).join('; ');
      fail(say('badCalendar', { file, issues }));
    }
    fail(say('notJson', { file, reason: (e as Error).message }));
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
      const start = parseInstant(opts.start, zone) ?? fail(say('badStart', { value: opts.start }));
      let target: SlaTarget;
      if (opts.businessMinutes !== undefined) target = { kind: 'business', minutes: opts.businessMinutes };
      else if (opts.calendarMinutes !== undefined) target = { kind: 'calendar', minutes: opts.calendarMinutes };
      else if (opts.endOfBusinessDay !== undefined) target = { kind: 'endOfNthBusinessDay', n: opts.endOfBusinessDay };
      else fail(say('noTarget'));
      const pauses: Pause[] = opts.pause.map((p) => {
        const [a, b] = p.split('/');
        const s = a ? parseInstant(a, zone) : null;
        const e = b ? parseInstant(b, zone) : null;
        if (s === null || e === null || e < s) fail(say('badPause', { value: p }));
        return [s, e] as const;
      });
      let explanation: ReturnType<typeof explainDeadline>;
      try {
        explanation = explainDeadline({ calendar, start, target, pauses });
      } catch (e) {
        // Past the holiday data (or before 1970) is the user's input, not a crash: say so, no stack.
        if (e instanceof CalendarRangeError) {
          fail(cliLocale() === 'ja'
            ? `${say('outOfRange')}${t('ja', 'errors.calendar.out_of_range', { from: e.firstYear, to: e.lastYear })}`
            : `${say('outOfRange')} ${e.message} (years ${e.firstYear}–${e.lastYear})`);
        }
        throw e;
      }
      process.stdout.write(`due ${explanation.due}\n`);
      if (opts.explain) {
        process.stdout.write(`${say('explainStart', { start: formatInstant(zone, start), zone, minutes: explanation.totalSeconds / 60 })}\n`);
        for (const c of explanation.counted) process.stdout.write(`${say('explainCounted', { from: c.from, to: c.to, minutes: c.seconds / 60 })}\n`);
        for (const p of explanation.paused) process.stdout.write(`${say('explainPaused', { from: p.from, to: p.to })}\n`);
      }
    });
}
