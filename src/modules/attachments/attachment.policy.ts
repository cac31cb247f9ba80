/**
 * Who may do what with incident attachments. Anyone who may read an incident (staff,
 * or a contact of its client; anyone else gets incident.not_found) may upload to it,
 * list and download its attachments; removing one is staff's.
 */
import { EVERYONE, STAFF, definePolicy } from '../auth/access.ts';

export const ATTACHMENT_POLICY = definePolicy({
  'attachment.upload': EVERYONE,
  'attachment.list': EVERYONE,
  'attachment.download': EVERYONE,
  'attachment.delete': STAFF,
});
