/** SQL of the e-mail channel. Repositories take `Kysely<DB> | Transaction<DB>`; services own transactions. */
import type { Executor } from '../../db/database.ts';
import type { Row } from '../../db/schema.ts';

export type MailRow = Row<'mailMessages'>;
export type NewMailRow = Omit<MailRow, never>;

/** Listing columns: everything but the raw source and the HTML. */
export const SUMMARY_COLUMNS = [
  'id', 'source', 'mailbox', 'uidValidity', 'uid', 'messageId', 'envelopeFrom', 'envelopeTo', 'receivedAt', 'size', 'status',
  'reason', 'fromAddress', 'fromName', 'subject', 'textBody', 'attachments', 'contractId', 'incidentId', 'createdAt', 'updatedAt',
  'authResults',
] as const;

/** Inserts new messages; a (mailbox, UIDVALIDITY, UID) already stored is skipped. Returns the ids inserted. */
export async function insertMessages(ex: Executor, rows: readonly NewMailRow[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const out = await ex
    .insertInto('mailMessages')
    .values(rows.map((r) => ({ ...r })))
    .onConflict((oc) => oc.columns(['mailbox', 'uidValidity', 'uid']).doNothing())
    .returning('id')
    .execute();
  return out.map((r) => r.id);
}

export async function findMessage(ex: Executor, id: string, lock = false) {
  let q = ex.selectFrom('mailMessages').select([...SUMMARY_COLUMNS, 'raw', 'htmlBody']).where('id', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function updateMessage(ex: Executor, id: string, set: Partial<MailRow>): Promise<void> {
  await ex.updateTable('mailMessages').set(set).where('id', '=', id).execute();
}

/** An earlier copy of the same Message-ID that was already handled. */
export async function handledCopy(ex: Executor, messageId: string, exceptId: string) {
  return ex
    .selectFrom('mailMessages')
    .select(['id', 'incidentId', 'status'])
    .where('messageId', '=', messageId)
    .where('id', '!=', exceptId)
    .where('status', '!=', 'received')
    .orderBy('createdAt')
    .limit(1)
    .executeTakeFirst();
}

/**
 * The incident that one of these Message-IDs belongs to: `out` = only Message-IDs we
 * generated (unguessable, seen only by whom we mailed), `in` = only the senders' own.
 */
export async function incidentOfMessageIds(ex: Executor, ids: readonly string[], direction: 'in' | 'out'): Promise<string | null> {
  if (ids.length === 0) return null;
  const r = await ex.selectFrom('mailThreadIds').select('incidentId').where('messageId', 'in', [...ids]).where('direction', '=', direction)
    .orderBy('createdAt', 'desc').limit(1).executeTakeFirst();
  return r?.incidentId ?? null;
}

/** The reply token of an incident, created on first use (an incident that never mailed has none). */
export async function ensureReplyToken(ex: Executor, incidentId: string, fresh: () => string): Promise<string> {
  await ex.insertInto('mailReplyTokens').values({ incidentId, token: fresh() }).onConflict((oc) => oc.column('incidentId').doNothing()).execute();
  const r = await ex.selectFrom('mailReplyTokens').select('token').where('incidentId', '=', incidentId).executeTakeFirstOrThrow();
  return r.token;
}

export async function replyToken(ex: Executor, incidentId: string): Promise<string | null> {
  const r = await ex.selectFrom('mailReplyTokens').select('token').where('incidentId', '=', incidentId).executeTakeFirst();
  return r?.token ?? null;
}

export async function addThreadId(ex: Executor, messageId: string, incidentId: string, direction: 'in' | 'out', now: number): Promise<void> {
  await ex.insertInto('mailThreadIds').values({ messageId, incidentId, direction, createdAt: now })
    .onConflict((oc) => oc.column('messageId').doNothing()).execute();
}

export async function threadOf(ex: Executor, incidentId: string) {
  return ex.selectFrom('mailThreadIds').select(['messageId', 'direction']).where('incidentId', '=', incidentId).orderBy('createdAt').execute();
}

/** Read-only look at an incident (threading by [#number], replies, recognition); the incident service owns writes. */
export async function incidentFacts(ex: Executor, by: { id: string } | { number: number }) {
  let q = ex.selectFrom('incidents').select(['id', 'number', 'clientId', 'contractId', 'title', 'status', 'channel', 'reporterEmail']);
  q = 'id' in by ? q.where('id', '=', by.id) : q.where('number', '=', by.number);
  return q.executeTakeFirst();
}

export async function contactOfClient(ex: Executor, clientId: string, email: string): Promise<boolean> {
  const r = await ex.selectFrom('contacts').select('id').where('clientId', '=', clientId).where('email', '=', email).executeTakeFirst();
  return !!r;
}

export async function routeFor(ex: Executor, addresses: readonly string[]) {
  if (addresses.length === 0) return undefined;
  return ex.selectFrom('mailRoutes').select(['address', 'contractId']).where('address', 'in', [...addresses]).orderBy('address').limit(1).executeTakeFirst();
}

export async function contractsByDeskAddress(ex: Executor, addresses: readonly string[]): Promise<string[]> {
  if (addresses.length === 0) return [];
  const rows = await ex.selectFrom('contracts').select('id').where('contactEmail', 'in', [...addresses]).limit(2).execute();
  return rows.map((r) => r.id);
}

/** Contracts on which the sender is a designated contact (primary or deputy). */
export async function contractsOfSender(ex: Executor, email: string): Promise<string[]> {
  const rows = await ex
    .selectFrom('contractContacts')
    .innerJoin('contacts', 'contacts.id', 'contractContacts.contactId')
    .select('contractContacts.contractId')
    .where('contacts.email', '=', email)
    .limit(2)
    .execute();
  return rows.map((r) => r.contractId);
}

export async function contractSettings(ex: Executor, contractId: string) {
  return ex.selectFrom('mailContractSettings').select(['acknowledge', 'locale']).where('contractId', '=', contractId).executeTakeFirst();
}

export async function countRecentOutbound(ex: Executor, to: string, kind: string, since: number): Promise<number> {
  const r = await ex.selectFrom('mailOutbound').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('toAddress', '=', to).where('kind', '=', kind).where('createdAt', '>', since).executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** The mails that opened or joined an incident, oldest first (no raw source). */
export async function messagesOfIncident(ex: Executor, incidentId: string) {
  return ex.selectFrom('mailMessages')
    .select(['id', 'status', 'receivedAt', 'fromAddress', 'fromName', 'subject', 'textBody', 'htmlBody', 'attachments'])
    .where('incidentId', '=', incidentId)
    .where('status', 'in', ['incident', 'reply'])
    .orderBy('receivedAt').orderBy('id')
    .execute();
}
