/**
 * The risk register (issue 14): risks per contract, rated on versioned criteria, with
 * controls presented to the client, the client's acceptance of the residual risk, reviews on
 * a period of the risk's level, and links to the records a risk came from or led to.
 *
 * This file is the slice's one service, composed of its parts:
 * - risk.commands.ts   register, correct, rescore, close / reopen, review, messages, links, criteria
 * - risk.treatment.ts  controls, acceptances, and the review / acceptance-expiry timers' work
 * - risk.queries.ts    reads: the register, one risk, the heat map, CSV, criteria
 * - risk.rules.ts      the pure decisions and types the parts share
 */
import type { ServiceDeps } from '../../db/tx.ts';
import { unitOfWork } from '../../db/unit-of-work.ts';
import { createRiskCommands } from './risk.commands.ts';
import { createRiskQueries } from './risk.queries.ts';
import type { LinkTargets } from './risk.rules.ts';
import { createRiskTreatment } from './risk.treatment.ts';

export type { ControlInput, ControlPatch, LinkTargets, RiskFromSource, RiskInput, RiskPatch } from './risk.rules.ts';

export function createRiskService(deps: ServiceDeps, collab: { linkTargets: LinkTargets }) {
  // One unit of work for all parts (the composition root passes one; else the (db, clock) pair's own).
  const d: ServiceDeps = { ...deps, uow: deps.uow ?? unitOfWork(deps.db, deps.clock) };
  return {
    ...createRiskQueries(d),
    ...createRiskCommands(d, collab),
    ...createRiskTreatment(d),
  };
}
export type RiskService = ReturnType<typeof createRiskService>;
