/**
 * The e-mail channel (SPEC §3), one service composed of its parts:
 * - mail.intake.ts  store raw mail, process it (route, thread, triage, acknowledge) — never lose, never duplicate
 * - mail.agent.ts   the agent API: file a triage message, reply on the thread, read stored mail and deliveries
 * - mail.health.ts  intake health per mailbox and the alert after repeated errors
 * - mail.shared.ts  what the parts share (options, the intake's actor, filing and queueing steps)
 * The incident service is handed in by the composition root: a service never builds another.
 */
import { unitOfWork } from '../../db/unit-of-work.ts';
import type { IncidentService } from '../incidents/incident.service.ts';
import { createMailAgentApi } from './mail.agent.ts';
import { createMailHealth } from './mail.health.ts';
import { createMailIntake } from './mail.intake.ts';
import { MAIL_OUTBOUND_JOB } from './mail.outbound.ts';
import type { MailDeps, MailParts } from './mail.shared.ts';

export { MAIL_OUTBOUND_JOB };
export { stripQuoted } from './mail.intake.ts';
export { contractLocale, MAIL_ACTOR, MAIL_PROCESS_JOB, type MailDeps, type MailOptions, type StoreInput } from './mail.shared.ts';

export function createMailService(deps: MailDeps, { incidents }: { incidents: IncidentService }) {
  const parts: MailParts = {
    db: deps.db, clock: deps.clock, uow: deps.uow ?? unitOfWork(deps.db, deps.clock), o: deps.options ?? {}, incidents,
  };
  return {
    ...createMailIntake(parts),
    ...createMailAgentApi(parts),
    ...createMailHealth(parts),
  };
}
export type MailService = ReturnType<typeof createMailService>;
