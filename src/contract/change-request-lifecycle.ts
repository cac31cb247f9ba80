/**
 * The change-request lifecycle (SPEC §6, issue 13), written once: which command a
 * change request in a given status accepts, who may give it, where it goes and what
 * it must carry. Pure (no I/O, no clock), so the service applies it, the routes are
 * generated from it and the web's buttons come from `commandsFrom(status, role)`.
 *
 *   requested ⇄ needs_clarification (waits for the client; the feasibility clock pauses)
 *   requested → feasible | not_feasible (可否判断)
 *   feasible | rejected | proposal_sent | approved → proposal_sent (a new proposal version; voids an approval)
 *   approved → feasible (revise_proposal: a new draft version voids the approval)
 *   proposal_sent → approved | rejected (the client, in the portal, on one version)
 *   approved | failed | backed_out → scheduled (needs an approval neither voided nor expired)
 *   scheduled → in_progress → awaiting_confirmation (done) | failed | backed_out
 *   awaiting_confirmation → closed (検収 by the client, or the timeout: auto_close)
 *   failed | backed_out | rejected → closed (staff);   any open status before work → withdrawn
 */
import type { ChangeStatus } from './change-requests.ts';

export const CHANGE_COMMANDS = [
  'judge_feasible', 'judge_not_feasible', 'ask_clarification', 'clarify', 'send_proposal', 'revise_proposal', 'approve', 'reject',
  'schedule', 'start', 'finish', 'confirm', 'auto_close', 'close', 'withdraw',
] as const;
export type ChangeCommand = (typeof CHANGE_COMMANDS)[number];

/** Who gives a command: vendor staff, the client's contact, either, or the desk itself (a job). */
export type CommandActor = 'staff' | 'contact' | 'anyone' | 'system';

/** What the command's request body is (the routes pick the schema from it). */
export type CommandBody = 'none' | 'optional_text' | 'required_text' | 'proposal' | 'decision' | 'schedule' | 'finish';

export interface ChangeCommandRule {
  from: readonly ChangeStatus[];
  /** Where it goes; `finish` goes where its outcome says (see `finishTarget`). */
  to: ChangeStatus;
  by: CommandActor;
  body: CommandBody;
  /** The URL segment of the command's route (`POST /change-requests/{id}/<path>`); null = no route of its own. */
  path: string | null;
  /** The feasibility answer (可否判断) is given: its SLA target is met. */
  answersFeasibility?: boolean;
  /** A waiting period for the client opens (entering needs_clarification) or ends. */
  pause?: 'open' | 'close';
}

const OPEN_BEFORE_WORK: readonly ChangeStatus[] = ['requested', 'needs_clarification', 'feasible', 'proposal_sent', 'approved', 'rejected'];

export const CHANGE_LIFECYCLE: Readonly<Record<ChangeCommand, ChangeCommandRule>> = {
  judge_feasible: { from: ['requested', 'needs_clarification'], to: 'feasible', by: 'staff', body: 'optional_text', path: 'feasible', answersFeasibility: true },
  judge_not_feasible: { from: ['requested', 'needs_clarification'], to: 'not_feasible', by: 'staff', body: 'required_text', path: 'not-feasible', answersFeasibility: true },
  ask_clarification: { from: ['requested'], to: 'needs_clarification', by: 'staff', body: 'required_text', path: 'clarification', pause: 'open' },
  clarify: { from: ['needs_clarification'], to: 'requested', by: 'anyone', body: 'required_text', path: 'clarify', pause: 'close' },
  send_proposal: { from: ['feasible', 'proposal_sent', 'approved', 'rejected'], to: 'proposal_sent', by: 'staff', body: 'proposal', path: null },
  // A new draft version after the client approved: the approval is void and the proposal is in preparation again.
  revise_proposal: { from: ['approved'], to: 'feasible', by: 'staff', body: 'proposal', path: null },
  approve: { from: ['proposal_sent'], to: 'approved', by: 'contact', body: 'decision', path: 'approve' },
  reject: { from: ['proposal_sent'], to: 'rejected', by: 'contact', body: 'decision', path: 'reject' },
  schedule: { from: ['approved', 'failed', 'backed_out'], to: 'scheduled', by: 'staff', body: 'schedule', path: 'schedule' },
  start: { from: ['scheduled'], to: 'in_progress', by: 'staff', body: 'optional_text', path: 'start' },
  finish: { from: ['in_progress'], to: 'awaiting_confirmation', by: 'staff', body: 'finish', path: 'finish' },
  confirm: { from: ['awaiting_confirmation'], to: 'closed', by: 'contact', body: 'optional_text', path: 'confirm' },
  auto_close: { from: ['awaiting_confirmation'], to: 'closed', by: 'system', body: 'none', path: null },
  close: { from: ['failed', 'backed_out', 'rejected'], to: 'closed', by: 'staff', body: 'optional_text', path: 'close' },
  withdraw: { from: OPEN_BEFORE_WORK, to: 'withdrawn', by: 'anyone', body: 'required_text', path: 'withdraw' },
};

export type FinishOutcome = 'done' | 'failed' | 'backed_out';

/** Where `finish` goes: done waits for the client's confirmation (検収); the others wait for the desk. */
export function finishTarget(outcome: FinishOutcome): ChangeStatus {
  return outcome === 'done' ? 'awaiting_confirmation' : outcome;
}

const mayGive = (rule: ChangeCommandRule, role: 'staff' | 'contact' | 'system'): boolean =>
  rule.by === role || (rule.by === 'anyone' && role !== 'system');

/** The commands a change request in `status` accepts from this kind of actor, in button order. */
export function commandsFrom(status: string, role: 'staff' | 'contact'): ChangeCommand[] {
  return CHANGE_COMMANDS.filter((c) => {
    const rule = CHANGE_LIFECYCLE[c];
    return (rule.from as readonly string[]).includes(status) && mayGive(rule, role);
  });
}

/** Why a command was refused (the service throws it as a coded error). */
export type ChangeRefusal =
  | { code: 'change_request.invalid_transition'; params: { from: string; command: ChangeCommand } }
  | { code: 'auth.forbidden'; params: Record<string, never> };

/**
 * Checks `command` against `status` and the actor's kind; returns the status the
 * request goes to, or the refusal. `outcome` picks `finish`'s target.
 */
export function transition(
  status: string, command: ChangeCommand, role: 'staff' | 'contact' | 'system', outcome?: FinishOutcome,
): { ok: true; to: ChangeStatus; rule: ChangeCommandRule } | { ok: false; error: ChangeRefusal } {
  const rule = CHANGE_LIFECYCLE[command];
  if (!mayGive(rule, role) && !(role === 'system')) return { ok: false, error: { code: 'auth.forbidden', params: {} } };
  if (!(rule.from as readonly string[]).includes(status)) {
    return { ok: false, error: { code: 'change_request.invalid_transition', params: { from: status, command } } };
  }
  return { ok: true, to: command === 'finish' ? finishTarget(outcome ?? 'done') : rule.to, rule };
}
