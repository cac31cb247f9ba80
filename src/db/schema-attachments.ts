/** Incident attachments (issue 17): the bytes live in `<data dir>/attachments` (src/db/file-store.ts); the row says what and whose. */

export interface IncidentAttachmentsTable {
  id: string;
  incidentId: string;
  /** The incident's client (contacts of this client see the attachment). */
  clientId: string;
  fileName: string;
  /** What the uploader's client said the type was (kept for the record; never served). */
  declaredType: string;
  /** What the bytes are (sniffed; application/octet-stream when unknown): served as the Content-Type. */
  mediaType: string;
  sizeBytes: number;
  /** Lower-case hex SHA-256 of the bytes as stored. */
  sha256: string;
  /** Where the bytes are, relative to the attachments directory. */
  storageKey: string;
  uploadedAt: number;
  uploadedBy: string;
}

export interface AttachmentsDB {
  incidentAttachments: IncidentAttachmentsTable;
}

export const attachmentsTableColumns = {
  incidentAttachments: [
    'id', 'incidentId', 'clientId', 'fileName', 'declaredType', 'mediaType', 'sizeBytes', 'sha256', 'storageKey', 'uploadedAt', 'uploadedBy',
  ],
} as const;
