/** Attachment row → API shape (src/contract/attachments.ts). */
import type { AttachmentBody } from '../../contract/attachments.ts';
import { toIso } from '../../contract/common.ts';
import type { AttachmentWithUploader } from './attachment.repository.ts';

export const presentAttachment = (r: AttachmentWithUploader): AttachmentBody => ({
  id: r.id,
  incidentId: r.incidentId,
  fileName: r.fileName,
  mediaType: r.mediaType,
  declaredType: r.declaredType,
  size: r.sizeBytes,
  sha256: r.sha256,
  uploadedAt: toIso(r.uploadedAt),
  uploadedBy: { id: r.uploadedBy, name: r.uploaderName, staff: r.uploaderRole === 'admin' || r.uploaderRole === 'agent' },
});
