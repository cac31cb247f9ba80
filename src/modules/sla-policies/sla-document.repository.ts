/** The SLA document's templates (sla_policy_templates): one row per policy version and language that has its own. */
import type { Executor } from '../../db/database.ts';
import type { NewRow } from '../../db/schema.ts';

export interface TemplateRow { version: number; body: string }

/** The template that applies to a version: its own, else the newest of an earlier version of the policy. */
export async function findTemplate(ex: Executor, policyId: string, version: number, lang: string): Promise<TemplateRow | undefined> {
  return ex
    .selectFrom('slaPolicyTemplates')
    .select(['version', 'body'])
    .where('policyId', '=', policyId)
    .where('lang', '=', lang)
    .where('version', '<=', version)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function insertTemplate(ex: Executor, row: NewRow<'slaPolicyTemplates'>): Promise<void> {
  await ex.insertInto('slaPolicyTemplates').values(row).execute();
}
