/**
 * Incident attachments (issue 17). Anyone who may read an incident (staff, or a
 * contact of its client) uploads to it, lists and downloads its files; staff remove one.
 *
 * Upload order, so that nothing acknowledged is lost and nothing refused is kept: the
 * incident is checked before a byte is read; the bytes stream to a temporary file
 * (hashed and counted on the way, flushed); too large or empty → the file is removed
 * and the upload refused; the type is sniffed from the bytes; the file is renamed under
 * its key (durably); then the row, the public timeline entry and the audit row commit
 * in one unit — and should that fail, the file goes again.
 */
import { uuidv7 } from 'uuidv7';
import { sha256Hex, type FileStore } from '../../db/file-store.ts';
import type { ServiceDeps } from '../../db/tx.ts';
import { unitOfWork } from '../../db/unit-of-work.ts';
import { AppError, notFound } from '../../errors.ts';
import type { Actor } from '../auth/actor.ts';
import { canSeeClient } from '../auth/access.ts';
import { authorize } from '../auth/authorize.ts';
import type { IncidentService } from '../incidents/incident.service.ts';
import * as repo from './attachment.repository.ts';

/** 20 MiB unless HOSHU_ATTACHMENT_MAX_BYTES says otherwise. */
export const DEFAULT_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024;

export interface UploadedFile {
  /** The name the uploader's client gave the part (a path is cut to its last segment). */
  fileName: string;
  /** The part's Content-Type as the client declared it (recorded, never served). */
  declaredType: string;
  chunks: AsyncIterable<Uint8Array>;
  /** True when the parser cut the file at the size limit. */
  truncated(): boolean;
}

export interface AttachmentOptions {
  store: FileStore;
  maxBytes?: number;
}

/** A file name fit for a row and a header: the last path segment, no control characters, at most 200 characters. */
export function cleanFileName(name: string): string {
  const last = name.split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const clean = last.replace(/[\x00-\x1f\x7f]/g, '').trim();
  return [...(clean || 'attachment')].slice(0, 200).join('');
}

/** The part's declared type if it is a plain `type/subtype`, else application/octet-stream. */
const plainType = (t: string): string => (/^[\w!#$&^.+-]+\/[\w!#$&^.+-]+$/.test(t.trim()) ? t.trim().toLowerCase() : 'application/octet-stream');

export function createAttachmentService(deps: ServiceDeps, o: AttachmentOptions & { incidents: IncidentService }) {
  const { db, clock } = deps;
  const uow = deps.uow ?? unitOfWork(db, clock);
  const maxBytes = o.maxBytes ?? DEFAULT_ATTACHMENT_MAX_BYTES;
  const { store, incidents } = o;

  /** A row the actor may see (another client's is not found, like a missing id). */
  async function visibleRow(actor: Actor, id: string): Promise<repo.AttachmentWithUploader> {
    const row = await repo.findAttachment(db, id);
    if (!row || !canSeeClient(actor, row.clientId)) throw notFound('attachment');
    return row;
  }

  return {
    maxBytes,
    store,

    /** Stores one file under an incident; `open` is asked for the file only once the incident is known to be the actor's. */
    async upload(actor: Actor, incidentId: string, open: () => Promise<UploadedFile | undefined>): Promise<repo.AttachmentWithUploader> {
      authorize(actor, 'attachment.upload');
      await incidents.visible(actor, incidentId);
      const file = await open();
      if (!file) throw new AppError('attachment.no_file', 'no file part in the form');
      const staged = await store.stage(file.chunks);
      let mediaType: string;
      try {
        if (file.truncated() || staged.size > maxBytes) {
          throw new AppError('attachment.too_large', `larger than ${maxBytes} bytes`, [], { maxMb: Math.round((maxBytes / (1024 * 1024)) * 10) / 10, maxBytes });
        }
        if (staged.size === 0) throw new AppError('attachment.empty', 'the file is empty');
        mediaType = (await (await import('file-type')).fileTypeFromFile(staged.tmpPath))?.mime ?? 'application/octet-stream';
      } catch (e) {
        await staged.discard();
        throw e;
      }
      const storageKey = await staged.commit();
      const fileName = cleanFileName(file.fileName);
      const id = uuidv7();
      try {
        await uow.command(actor, async (w) => {
          // Locks the incident (scoped again: it may have changed hands since the check above).
          const inc = await incidents.recordIn(w, incidentId, {
            kind: 'attachment', visibility: 'public', body: fileName,
            data: { attachmentId: id, fileName, size: staged.size, mediaType },
          });
          const row: repo.AttachmentRow = {
            id, incidentId: inc.id, clientId: inc.clientId, fileName, declaredType: plainType(file.declaredType), mediaType,
            sizeBytes: staged.size, sha256: staged.sha256, storageKey, uploadedAt: w.now, uploadedBy: actor.userId,
          };
          await repo.insertAttachment(w.tx, row);
          w.audit({ entity: 'attachment', entityId: id, action: 'upload', after: row });
        }, { name: 'attachment.upload' });
      } catch (e) {
        await store.remove(storageKey);
        throw e;
      }
      return (await repo.findAttachment(db, id))!;
    },

    async list(actor: Actor, incidentId: string): Promise<repo.AttachmentWithUploader[]> {
      authorize(actor, 'attachment.list');
      await incidents.visible(actor, incidentId);
      return repo.attachmentsOf(db, incidentId);
    },

    /** The row and its bytes, hashed again: a file that no longer matches its SHA-256 (or is gone) is refused. */
    async download(actor: Actor, id: string): Promise<{ row: repo.AttachmentWithUploader; bytes: Buffer }> {
      authorize(actor, 'attachment.download');
      const row = await visibleRow(actor, id);
      const bytes = await store.get(row.storageKey);
      if (!bytes || sha256Hex(bytes) !== row.sha256) {
        throw new AppError('attachment.checksum_mismatch', `attachment ${id}: stored file does not match sha256 ${row.sha256}`, [], { fileName: row.fileName });
      }
      return { row, bytes };
    },

    /** Removes an attachment (staff): the row, with a public timeline entry, then the file once that committed. */
    async remove(actor: Actor, id: string): Promise<void> {
      authorize(actor, 'attachment.delete');
      const row = await visibleRow(actor, id);
      await uow.command(actor, async (w) => {
        await incidents.recordIn(w, row.incidentId, {
          kind: 'attachment', visibility: 'public', body: row.fileName, data: { attachmentId: id, fileName: row.fileName, removed: true },
        });
        await repo.deleteAttachment(w.tx, id);
        const { uploaderName: _n, uploaderRole: _r, ...before } = row;
        w.audit({ entity: 'attachment', entityId: id, action: 'remove', before });
      }, { name: 'attachment.remove' });
      await store.remove(row.storageKey);
    },
  };
}
export type AttachmentService = ReturnType<typeof createAttachmentService>;
