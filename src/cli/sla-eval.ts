/**
 * `hoshu sla eval`: JSON Lines in, one JSON line out per input line, in order.
 * A line is a deadline request ({id, calendar, start, target, pauses?}) or an
 * elapsed-time request ({id, calendar, start, end, pauses?}). A bad line answers
 * {id, error} and the run goes on. Calendars repeated across lines are compiled once.
 */
import { CalendarCache, CalendarDocumentError, type WorkingCalendar } from '../core/calendar/index.ts';
import { dueAt, slaTargetSchema, workingMsBetween, type Pause } from '../core/sla/index.ts';
import { formatInstant, parseInstant } from '../core/time/zone.ts';
import { topLevelValueSpan } from './json-span.ts';

type Json = Record<string, unknown>;

class LineError extends Error {}

function instantField(line: Json, field: string, zone: string): number {
  const v = line[field];
  if (typeof v !== 'string') throw new LineError(`"${field}" must be an ISO 8601 date-time string`);
  const ms = parseInstant(v, zone);
  if (ms === null) throw new LineError(`"${field}" is not an ISO 8601 date-time: ${JSON.stringify(v)}`);
  return ms;
}

function pausesField(line: Json, zone: string): Pause[] | undefined {
  const raw = line.pauses;
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw new LineError('"pauses" must be an array of [start, end] pairs');
  return raw.map((p: unknown, i) => {
    if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== 'string' || typeof p[1] !== 'string') {
      throw new LineError(`"pauses[${i}]" must be a pair [start, end] of ISO 8601 date-times`);
    }
    const s = parseInstant(p[0], zone);
    const e = parseInstant(p[1], zone);
    if (s === null || e === null) throw new LineError(`"pauses[${i}]" holds a value that is not an ISO 8601 date-time`);
    if (e < s) throw new LineError(`"pauses[${i}]" ends before it starts`);
    return [s, e] as const;
  });
}

/** Stands in for a calendar already compiled, so its text is not parsed again. */
const KNOWN_CALENDAR = '\u0000hoshu:known-calendar';
const KNOWN_CALENDAR_JSON = JSON.stringify(KNOWN_CALENDAR);
const CALENDAR_KEY = /"calendar"\s*:\s*$/;

export class SlaEvaluator {
  private readonly calendars = new CalendarCache(256);
  /** Raw texts of the last few distinct valid calendars, most recent first, with their index. */
  private readonly recent: Array<{ raw: string; calendar: WorkingCalendar }> = [];

  private remember(raw: string, calendar: WorkingCalendar): void {
    this.recent.unshift({ raw, calendar });
    if (this.recent.length > 8) this.recent.pop();
  }

  /**
   * Parses a line. A calendar repeated from an earlier line is found by its raw text
   * (one indexOf) and swapped for a marker before JSON.parse; the marker must come
   * back as the top-level "calendar" value, otherwise the line is parsed in full.
   */
  private parse(text: string): { line: Json; calendar: WorkingCalendar | undefined } {
    for (const r of this.recent) {
      const at = text.indexOf(r.raw);
      if (at < 0 || !CALENDAR_KEY.test(text.slice(Math.max(0, at - 24), at))) continue;
      const line = parseObject(text.slice(0, at) + KNOWN_CALENDAR_JSON + text.slice(at + r.raw.length));
      if (line.calendar === KNOWN_CALENDAR) return { line, calendar: r.calendar };
      break;
    }
    return { line: parseObject(text), calendar: undefined };
  }

  private compile(text: string, line: Json): WorkingCalendar {
    if (line.calendar === undefined) throw new LineError('"calendar" is required');
    try {
      const calendar = this.calendars.fromJson(line.calendar);
      const span = topLevelValueSpan(text, 'calendar');
      if (span) this.remember(text.slice(span[0], span[1]), calendar);
      return calendar;
    } catch (e) {
      if (e instanceof CalendarDocumentError) {
        throw new LineError(e.issues.map((i) => `calendar.${i.path.join('.')}: ${i.message}`).join('; '));
      }
      throw e;
    }
  }

  /** Evaluates one input line and returns the output line (without newline). Never throws. */
  evaluate(text: string): string {
    let id: unknown = null;
    try {
      const parsed = this.parse(text);
      const line = parsed.line;
      id = line.id ?? null;
      const calendar = parsed.calendar ?? this.compile(text, line);
      const zone = calendar.timeZone;
      const start = instantField(line, 'start', zone);
      const pauses = pausesField(line, zone);
      if (line.end !== undefined) {
        if (line.target !== undefined) throw new LineError('give either "target" (a deadline) or "end" (elapsed time), not both');
        const end = instantField(line, 'end', zone);
        if (end < start) throw new LineError('"end" is before "start"');
        return JSON.stringify({ id, businessSeconds: workingMsBetween(calendar, start, end, pauses) / 1000 });
      }
      if (line.target === undefined) throw new LineError('give "target" for a deadline or "end" for elapsed time');
      const target = slaTargetSchema.safeParse(line.target);
      if (!target.success) {
        throw new LineError(target.error.issues.map((i) => `target${i.path.map((p) => `.${String(p)}`).join('')}: ${i.message}`).join('; '));
      }
      return JSON.stringify({ id, due: formatInstant(zone, dueAt({ calendar, start, target: target.data, pauses })) });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      return JSON.stringify({ id, error: message });
    }
  }
}

function parseObject(text: string): Json {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new LineError('the line is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new LineError('the line must be a JSON object');
  return parsed as Json;
}

/** Streams stdin to stdout, batching writes and honouring back-pressure. */
export async function runSlaEval(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<void> {
  const evaluator = new SlaEvaluator();
  let pending = '';
  let buffer = '';
  const flush = async (): Promise<void> => {
    if (!buffer) return;
    const chunk = buffer;
    buffer = '';
    if (!output.write(chunk)) await new Promise<void>((resolve) => output.once('drain', () => resolve()));
  };
  input.setEncoding('utf8');
  let first = true;
  for await (const chunk of input as AsyncIterable<string>) {
    // Files saved by Windows editors may start with a byte-order mark; it is not part of the JSON.
    pending += first && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk;
    first = false;
    let nl: number;
    let from = 0;
    while ((nl = pending.indexOf('\n', from)) !== -1) {
      const line = pending.slice(from, nl).trim();
      from = nl + 1;
      if (line) buffer += evaluator.evaluate(line) + '\n';
    }
    pending = pending.slice(from);
    // One write per input chunk: efficient for big pipes, prompt for a line typed by hand.
    await flush();
  }
  const last = pending.trim();
  if (last) buffer += evaluator.evaluate(last) + '\n';
  await flush();
}
