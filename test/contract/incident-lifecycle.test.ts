/**
 * The incident lifecycle table and its pure transition, over every status × every
 * command. The expected moves are written out here by hand (SPEC §3), not read
 * back from the table, so a changed table fails this test.
 */
import { describe, expect, it } from 'vitest';
import {
  COMMANDS, LIFECYCLE, commandFor, commandsFrom, transition, type Command, type LifecycleRow, type Status,
} from '../../src/contract/incident-lifecycle.ts';
import { Status as StatusSchema } from '../../src/contract/incidents.ts';

const STATUSES = StatusSchema.options;
const T = Date.parse('2026-04-01T10:00:00.123+09:00');
const EARLIER = T - 3_600_000;

/** status → command → where it goes; a missing command is refused. */
const EXPECTED: Record<Status, Partial<Record<Command, Status>>> = {
  new: { recognize: 'recognized', start: 'in_progress' },
  recognized: { start: 'in_progress', resolve: 'resolved' },
  in_progress: { wait: 'waiting_for_client', propose: 'solution_proposed', resolve: 'resolved' },
  waiting_for_client: { resume: 'in_progress', propose: 'solution_proposed', resolve: 'resolved' },
  solution_proposed: { resume: 'in_progress', wait: 'waiting_for_client', resolve: 'resolved' },
  resolved: { close: 'closed', reopen: 'in_progress' },
  closed: { reopen: 'in_progress' },
};

/** A row as it would stand in `status` after an ordinary history (earlier instants set where that status implies them). */
function rowIn(status: Status): LifecycleRow & { id: string } {
  const after = (s: Status[]) => (s.includes(status) ? EARLIER : null);
  const done = after(['resolved', 'closed']);
  return {
    id: 'inc-1',
    status,
    recognizedAt: status === 'new' ? null : EARLIER,
    startedAt: after(['in_progress', 'waiting_for_client', 'solution_proposed', 'resolved', 'closed']),
    proposedAt: after(['solution_proposed']),
    resolvedAt: done,
    closedAt: after(['closed']),
    resolutionCause: done ? 'disk full' : null,
    resolutionFix: done ? 'rotated logs' : null,
    resolutionCourse: done ? '10:00 received, 11:00 fixed' : null,
  };
}

const FULL_INPUT = { reason: ' 理由 ', resolution: { cause: ' 原因 ', fix: ' 対応 ', course: ' 経緯 ' } };

describe('incident lifecycle (pure)', () => {
  it('the table allows exactly the moves of SPEC §3, and the web offers exactly those commands, in button order', () => {
    for (const status of STATUSES) {
      expect(commandsFrom(status), status).toEqual(COMMANDS.filter((c) => EXPECTED[status][c] !== undefined));
    }
    expect(commandsFrom('in_progress')).toEqual(['wait', 'propose', 'resolve']);
    expect(commandsFrom('solution_proposed')).toEqual(['resume', 'wait', 'resolve']);
    expect(commandsFrom('no-such-status')).toEqual([]);
  });

  for (const status of STATUSES) {
    for (const command of COMMANDS) {
      const to = EXPECTED[status][command];
      it(`${status} × ${command} → ${to ?? 'refused'}`, () => {
        const row = rowIn(status);
        const frozen = structuredClone(row);
        const r = transition(row, command, T, FULL_INPUT);
        expect(row).toEqual(frozen); // the input row is never changed
        if (!to) {
          expect(r).toEqual({
            ok: false,
            error: { code: 'incident.invalid_transition', message: `cannot go from ${status} to ${LIFECYCLE[command].to}`, issues: [], params: { from: status, to: LIFECYCLE[command].to, command } },
          });
          return;
        }
        if (!r.ok) throw new Error(`refused: ${r.error.code}`);
        expect(r.row.status).toBe(to);
        expect(r.row.id).toBe('inc-1'); // fields outside the lifecycle pass through

        // Clock fields: set once, at the first move that implies them.
        const reopen = command === 'reopen';
        expect(r.row.recognizedAt).toBe(to === 'new' ? null : row.recognizedAt ?? T);
        expect(r.row.startedAt).toBe(['in_progress', 'resolved'].includes(to) ? row.startedAt ?? T : row.startedAt);
        expect(r.row.proposedAt).toBe(to === 'solution_proposed' ? row.proposedAt ?? T : row.proposedAt);
        expect(r.row.resolvedAt).toBe(to === 'resolved' ? T : reopen ? null : row.resolvedAt);
        expect(r.row.closedAt).toBe(to === 'closed' ? T : reopen ? null : row.closedAt);
        if (to === 'resolved') {
          expect([r.row.resolutionCause, r.row.resolutionFix, r.row.resolutionCourse]).toEqual(['原因', '対応', '経緯']);
          expect(r.event.data.resolution).toEqual(FULL_INPUT.resolution);
        } else {
          // A reopened incident keeps its last account.
          expect([r.row.resolutionCause, r.row.resolutionFix, r.row.resolutionCourse]).toEqual([row.resolutionCause, row.resolutionFix, row.resolutionCourse]);
          expect(r.event.data).not.toHaveProperty('resolution');
        }

        // The clock for the client stops while we wait for them, and only then.
        expect(r.pause).toBe(to === 'waiting_for_client' ? 'open' : status === 'waiting_for_client' ? 'close' : null);
        expect(r.event).toMatchObject({ kind: reopen ? 'reopen' : 'status', body: FULL_INPUT.reason, data: { from: status, to } });
      });
    }
  }

  it('wait and reopen need a reason; resolve needs cause, fix and course; start, resume, close and propose need nothing', () => {
    const noReason = (command: Command, status: Status) => transition(rowIn(status), command, T, { reason: '  ' });
    for (const [command, status] of [['wait', 'in_progress'], ['reopen', 'closed']] as const) {
      const r = noReason(command, status);
      expect(r).toMatchObject({ ok: false, error: { code: 'incident.invalid', issues: [{ path: ['reason'], code: 'required' }] } });
    }
    const missing = transition(rowIn('in_progress'), 'resolve', T, { resolution: { cause: 'x', fix: ' ', course: '' } });
    expect(missing).toMatchObject({ ok: false, error: { code: 'incident.resolution_required' } });
    if (!missing.ok) expect(missing.error.issues.map((i) => i.path.join('.'))).toEqual(['resolution.fix', 'resolution.course']);
    // Refused as a move before its input is looked at: the state is the first thing wrong.
    expect(transition(rowIn('closed'), 'resolve', T, {})).toMatchObject({ ok: false, error: { code: 'incident.invalid_transition' } });
    for (const [command, status] of [['start', 'new'], ['resume', 'waiting_for_client'], ['close', 'resolved'], ['propose', 'in_progress'], ['recognize', 'new']] as const) {
      const r = transition(rowIn(status), command, T);
      expect(r.ok, command).toBe(true);
      if (r.ok) expect(r.event.body).toBe('');
    }
  });

  it('each (from, to) move belongs to one command, so a target status names its command', () => {
    for (const from of STATUSES) {
      for (const to of STATUSES) {
        const commands = COMMANDS.filter((c) => EXPECTED[from][c] === to);
        expect(commands.length, `${from} → ${to}`).toBeLessThanOrEqual(1);
        expect(commandFor(from, to)).toBe(commands[0] ?? null);
      }
    }
    expect(commandFor('closed', 'in_progress')).toBe('reopen');
    expect(commandFor('waiting_for_client', 'in_progress')).toBe('resume');
  });
});
