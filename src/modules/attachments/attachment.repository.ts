/** SQL of incident attachments (both dialects). */
import type { Executor } from '../../db/database.ts';
import type { Row } from '../../db/schema.ts';
import { tableColumns } from '../../db/schema.ts';

export type AttachmentRow = Row<'incidentAttachments'>;
export type AttachmentWithUploader = AttachmentRow & { uploaderName: string | null; uploaderRole: string | null };

const COLUMNS = tableColumns.incidentAttachments.map((c) => `incidentAttachments.${c}` as const);

export async function insertAttachment(ex: Executor, row: AttachmentRow): Promise<void> {
  await ex.insertInto('incidentAttachments').values(row).execute();
}

export async function deleteAttachment(ex: Executor, id: string): Promise<void> {
  await ex.deleteFrom('incidentAttachments').where('id', '=', id).execute();
}

const withUploader = (ex: Executor) =>
  ex.selectFrom('incidentAttachments')
    .leftJoin('users', 'users.id', 'incidentAttachments.uploadedBy')
    .select([...COLUMNS, 'users.name as uploaderName', 'users.role as uploaderRole']);

/** An incident's attachments, oldest first. */
export async function attachmentsOf(ex: Executor, incidentId: string): Promise<AttachmentWithUploader[]> {
  return withUploader(ex).where('incidentAttachments.incidentId', '=', incidentId)
    .orderBy('incidentAttachments.uploadedAt').orderBy('incidentAttachments.id').execute();
}

export async function findAttachment(ex: Executor, id: string): Promise<AttachmentWithUploader | undefined> {
  return withUploader(ex).where('incidentAttachments.id', '=', id).executeTakeFirst();
}
