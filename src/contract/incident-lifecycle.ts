/**
 * The incident lifecycle (SPEC §3), written once: which command an incident in a
 * given status accepts, where it goes, what the command must carry, and what
 * changes on the row. Pure (no I/O, no clock: "now" is a parameter), so the
 * service applies it, the routes are generated from it and the web's buttons
 * come from it.
 *
 *   new → recognized → in_progress (着手) ⇄ waiting_for_client ⇄ solution_proposed
 *   → resolved → closed, and reopen from resolved/closed back to in_progress.
 *
 * Each command names one move: `start` does not resume a wait, and `resume` or
 * `start` do not reopen a closed incident (reopening needs its reason).
 */
import type { Status } from './vocabulary.ts';
import type { IssueCode } from './errors.ts';

export type { Status };

/** In the order the desk's buttons show them. */
export const COMMANDS = ['recognize', 'start', 'resume', 'wait', 'propose', 'resolve', 'close', 'reopen'] as const;
export type Command = (typeof COMMANDS)[number];

export interface CommandRule {
  /** The statuses in which the command is accepted. */
  from: readonly Status[];
  to: Status;
  /**
   * The free text the command carries into the timeline: its body field and whether
   * it must be given (`wait` says what we wait for, `reopen` why); null = none.
   */
  text: { field: 'reason' | 'message'; required: boolean } | null;
  /** `resolve` carries the cause, the fix and the course of events (all required). */
  resolution: boolean;
  /** The timeline entry's kind (and the audit action). */
  event: 'status' | 'reopen';
}

const optionalReason = { field: 'reason', required: false } as const;
const requiredReason = { field: 'reason', required: true } as const;

export const LIFECYCLE: Readonly<Record<Command, CommandRule>> = {
  recognize: { from: ['new'], to: 'recognized', text: null, resolution: false, event: 'status' },
  start: { from: ['new', 'recognized'], to: 'in_progress', text: optionalReason, resolution: false, event: 'status' },
  resume: { from: ['waiting_for_client', 'solution_proposed'], to: 'in_progress', text: optionalReason, resolution: false, event: 'status' },
  wait: { from: ['in_progress', 'solution_proposed'], to: 'waiting_for_client', text: requiredReason, resolution: false, event: 'status' },
  propose: { from: ['in_progress', 'waiting_for_client'], to: 'solution_proposed', text: { field: 'message', required: false }, resolution: false, event: 'status' },
  resolve: {
    from: ['recognized', 'in_progress', 'waiting_for_client', 'solution_proposed'], to: 'resolved', text: null, resolution: true, event: 'status',
  },
  close: { from: ['resolved'], to: 'closed', text: optionalReason, resolution: false, event: 'status' },
  reopen: { from: ['resolved', 'closed'], to: 'in_progress', text: requiredReason, resolution: false, event: 'reopen' },
};

/** The commands an incident in `status` accepts, in button order. */
export function commandsFrom(status: string): Command[] {
  return COMMANDS.filter((c) => (LIFECYCLE[c].from as readonly string[]).includes(status));
}

/**
 * The command that moves `from` to `to`, if any. At most one does (the table's
 * (from, to) pairs are distinct; a unit test holds it to that), so a caller that
 * speaks in target statuses (`changeStatus({ to })`) maps onto a command.
 */
export function commandFor(from: string, to: string): Command | null {
  return commandsFrom(from).find((c) => LIFECYCLE[c].to === to) ?? null;
}

/** The lifecycle's part of an incident row. */
export interface LifecycleRow {
  status: string;
  recognizedAt: number | null;
  startedAt: number | null;
  proposedAt: number | null;
  resolvedAt: number | null;
  closedAt: number | null;
  resolutionCause: string | null;
  resolutionFix: string | null;
  resolutionCourse: string | null;
}

export interface CommandInput {
  /** The command's text (`reason`, or the proposal's `message`): shown on the timeline. */
  reason?: string | undefined;
  /** Required by `resolve`. */
  resolution?: { cause: string; fix: string; course: string } | undefined;
}

/** An issue of a refused command, in the catalogue's issue codes (errors.ts). */
export interface LifecycleIssue {
  path: (string | number)[];
  code: IssueCode;
  message: string;
}

/** Why a command was refused, as the coded error the service throws. */
export type Refusal =
  | { code: 'incident.invalid_transition'; message: string; issues: []; params: { from: string; to: string; command: Command } }
  | { code: 'incident.resolution_required' | 'incident.invalid'; message: string; issues: LifecycleIssue[]; params: Record<string, never> };

export interface Transition<R extends LifecycleRow> {
  ok: true;
  command: Command;
  /** The row after the command (a copy; the input is not changed). */
  row: R;
  /** A waiting period starts (entering waiting_for_client) or ends (leaving it). */
  pause: 'open' | 'close' | null;
  /** The timeline entry: public, authored by whoever gave the command. */
  event: { kind: CommandRule['event']; body: string; data: { from: string; to: Status; resolution?: CommandInput['resolution'] } };
}

/**
 * Applies `command` to `row` at `now`: the new row, whether a pause opens or
 * closes, and the timeline entry; or the refusal. Clock fields are set once
 * (`??=`): the first recognition, start and proposal count, later moves keep them.
 */
export function transition<R extends LifecycleRow>(
  row: R, command: Command, now: number, input: CommandInput = {},
): Transition<R> | { ok: false; error: Refusal } {
  const rule = LIFECYCLE[command];
  const from = row.status;
  if (!(rule.from as readonly string[]).includes(from)) {
    return { ok: false, error: { code: 'incident.invalid_transition', message: `cannot go from ${from} to ${rule.to}`, issues: [], params: { from, to: rule.to, command } } };
  }
  if (rule.text?.required && !input.reason?.trim()) {
    return { ok: false, error: { code: 'incident.invalid', message: 'invalid input', issues: [{ path: [rule.text.field], code: 'required', message: `required to ${command}` }], params: {} } };
  }
  const r = input.resolution;
  if (rule.resolution) {
    const issues: LifecycleIssue[] = [];
    for (const k of ['cause', 'fix', 'course'] as const) {
      if (!r?.[k]?.trim()) issues.push({ path: ['resolution', k], code: 'required', message: 'required when resolving' });
    }
    if (issues.length) return { ok: false, error: { code: 'incident.resolution_required', message: 'invalid input', issues, params: {} } };
  }

  const next: R = { ...row, status: rule.to };
  switch (rule.to) {
    case 'recognized':
      next.recognizedAt ??= now;
      break;
    case 'in_progress':
      next.recognizedAt ??= now;
      next.startedAt ??= now;
      if (rule.event === 'reopen') {
        next.resolvedAt = null;
        next.closedAt = null;
      }
      break;
    case 'solution_proposed':
      next.proposedAt ??= now;
      break;
    case 'resolved':
      next.recognizedAt ??= now;
      next.startedAt ??= now;
      next.resolvedAt = now;
      next.resolutionCause = r!.cause.trim();
      next.resolutionFix = r!.fix.trim();
      next.resolutionCourse = r!.course.trim();
      break;
    case 'closed':
      next.closedAt = now;
      break;
    case 'waiting_for_client':
    case 'new':
      break;
  }
  const pause = rule.to === 'waiting_for_client' ? 'open' : from === 'waiting_for_client' ? 'close' : null;
  return {
    ok: true,
    command,
    row: next,
    pause,
    event: {
      kind: rule.event,
      body: input.reason ?? '',
      data: { from, to: rule.to, ...(rule.resolution ? { resolution: r } : {}) },
    },
  };
}
