/**
 * The dashboard's one query of its own: the in-scope targets that may have ended within the
 * months shown (due or met since `from`), scoped to the caller's client. Everything live
 * (open incidents, outages, maintenance) comes from the owning modules' services.
 */
import { scopeToClient, type ClientScope } from '../../db/client-scope.ts';
import type { Executor } from '../../db/database.ts';

export interface EndedTargetRow { priority: string; dueAt: number | null; metAt: number | null }

export async function targetsEndingSince(ex: Executor, f: { from: number; scope: ClientScope; contractId?: string }): Promise<EndedTargetRow[]> {
  let q = ex
    .selectFrom('incidentTargets as t')
    .innerJoin('incidents as i', 'i.id', 't.incidentId')
    .select(['i.priority', 't.dueAt', 't.metAt'])
    .where('i.inScope', '=', 1)
    .where('t.dueAt', 'is not', null)
    .where((eb) => eb.or([eb('t.dueAt', '>=', f.from), eb('t.metAt', '>=', f.from)]));
  if (f.contractId) q = q.where('i.contractId', '=', f.contractId);
  q = scopeToClient(q, 'i.clientId', f.scope);
  return q.execute();
}
