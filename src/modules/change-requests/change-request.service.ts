/**
 * Change requests (変更要求, SPEC §6, issue 13): filed by a contact, an agent or over the API
 * (or converted from an incident), judged for feasibility against the SLA policy's target,
 * proposed in versions the client's designated contact approves or rejects, scheduled (with
 * an announced maintenance window when the service is affected), carried out and confirmed
 * by the client or closed after the contract's timeout. Every command is one unit of work:
 * the row, its timeline entry, its audit entry, its jobs (timers, mail) commit together.
 *
 * This file is the slice's one service, composed of its parts:
 * - change-request.commands.ts   filing, incident conversion, the text commands, comments, settings
 * - change-request.proposals.ts  proposal versions and the client's decision
 * - change-request.delivery.ts   schedule, finish, and the feasibility / confirmation timers' work
 * - change-request.queries.ts    reads
 * - change-request.unit.ts       what every command does in its unit (timeline, save, mail, timers)
 * - change-request.rules.ts      the pure decisions and types the parts share
 */
import type { ServiceDeps } from '../../db/tx.ts';
import { unitOfWork } from '../../db/unit-of-work.ts';
import type { IncidentService } from '../incidents/incident.service.ts';
import { createChangeRequestCommands } from './change-request.commands.ts';
import { createDeliveryCommands } from './change-request.delivery.ts';
import { createProposalCommands } from './change-request.proposals.ts';
import { createChangeRequestQueries } from './change-request.queries.ts';

export {
  DEFAULT_CONFIRMATION_BUSINESS_DAYS, proposalContent, proposalHash,
  type CreateChangeInput, type FinishInput, type ProposalInput, type ScheduleInput, type TextCommand,
} from './change-request.rules.ts';

export function createChangeRequestService(deps: ServiceDeps, collaborators: { incidents: IncidentService }) {
  // One unit of work for all parts (the composition root passes one; else the (db, clock) pair's own).
  const d: ServiceDeps = { ...deps, uow: deps.uow ?? unitOfWork(deps.db, deps.clock) };
  const queries = createChangeRequestQueries(d);
  return {
    // Reads (change-request.queries.ts).
    get: queries.get,
    getByNumber: queries.getByNumber,
    list: queries.list,
    conflicts: queries.conflicts,
    forReport: queries.forReport,
    ...createChangeRequestCommands(d, collaborators),
    ...createProposalCommands(d),
    ...createDeliveryCommands(d),
  };
}
export type ChangeRequestService = ReturnType<typeof createChangeRequestService>;
