/**
 * Security incidents (issue 14): record, lifecycle (recognize → contain → remove the
 * threat → close), scope decision, timeline of actions, the dated reports to the client
 * (第一報・続報・最終報告) with the report clock they meet, evidence with its chain of
 * custody, and links to risks / change requests / incidents of the same client.
 *
 * This file is the slice's one service, composed of its parts:
 * - security-incident.commands.ts  record, correct, lifecycle, scope, actions, reports, links
 * - security-incident.custody.ts   evidence and its chain of custody
 * - security-incident.queries.ts   the list, the detail bundle, evidence downloads
 * - security-incident.rules.ts     the pure decisions and types the parts share
 */
import type { ServiceDeps } from '../../db/tx.ts';
import { unitOfWork } from '../../db/unit-of-work.ts';
import { createSecurityIncidentCommands } from './security-incident.commands.ts';
import { createEvidenceCommands } from './security-incident.custody.ts';
import type { FileStore } from '../../db/file-store.ts';
import { createSecurityIncidentQueries } from './security-incident.queries.ts';
import type { LinkTargets } from './security-incident.rules.ts';

export type {
  CreateSecurityIncidentInput, LinkTargetLookup, LinkTargets, ListInput, SecurityIncidentBundle, SecurityIncidentRow,
  UpdateSecurityIncidentInput,
} from './security-incident.rules.ts';

export function createSecurityIncidentService(deps: ServiceDeps, o: { evidence: FileStore; linkTargets: LinkTargets }) {
  // One unit of work for all parts (the composition root passes one; else the (db, clock) pair's own).
  const d: ServiceDeps = { ...deps, uow: deps.uow ?? unitOfWork(deps.db, deps.clock) };
  const { detail, ...reads } = createSecurityIncidentQueries(d, o.evidence);
  return {
    evidenceStore: o.evidence,
    ...reads,
    ...createSecurityIncidentCommands(d, { linkTargets: o.linkTargets, detail }),
    ...createEvidenceCommands(d, { evidence: o.evidence, detail }),
  };
}
export type SecurityIncidentService = ReturnType<typeof createSecurityIncidentService>;
