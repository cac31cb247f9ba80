/**
 * Incident attachments (issue 17): files uploaded to an incident by staff or by a
 * contact of its client, kept outside the database with their SHA-256, served with the
 * type sniffed from their bytes (never the one the uploader declared).
 */
import { z } from 'zod';
import { Id, Instant } from './common.ts';

export const Attachment = z
  .object({
    id: Id,
    incidentId: Id,
    fileName: z.string(),
    mediaType: z.string().describe('sniffed from the bytes (application/octet-stream when unknown); the Content-Type of the download'),
    declaredType: z.string().describe('what the uploader said the type was; kept for the record, never served'),
    size: z.number().int().describe('bytes'),
    sha256: z.string().describe('lower-case hex SHA-256 of the bytes; checked again on every download'),
    uploadedAt: Instant,
    uploadedBy: z.object({ id: z.string(), name: z.string().nullable(), staff: z.boolean() }),
  })
  .meta({ id: 'Attachment' });
export type AttachmentBody = z.infer<typeof Attachment>;

export const AttachmentList = z.object({
  items: z.array(Attachment),
  maxBytes: z.number().int().describe('the largest file this desk accepts'),
}).meta({ id: 'AttachmentList' });
export type AttachmentListBody = z.infer<typeof AttachmentList>;

/** The multipart form: one part named `file` (documentation only; the bytes are streamed to disk, not parsed into the body). */
export const UploadAttachmentForm = z
  .object({ file: z.string().meta({ type: 'string', format: 'binary', description: 'the file; its name and type are taken from the part' }) })
  .optional();
