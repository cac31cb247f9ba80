/**
 * /incidents/{id}/attachments (upload as multipart/form-data, list) and /attachments/{id}
 * (download, remove). Downloads carry the same safe headers as mail attachments: the
 * sniffed type (never the uploader's), Content-Disposition: attachment with an RFC 5987
 * filename*, a sandboxing CSP, nosniff (every API answer), and the SHA-256 as Repr-Digest.
 */
import fastifyMultipart from '@fastify/multipart';
import { z } from 'zod';
import { AttachmentList, Attachment, UploadAttachmentForm } from '../../contract/attachments.ts';
import { IdParams, Ok } from '../../contract/common.ts';
import { AppError } from '../../errors.ts';
import { actorOf } from '../../http/actor.ts';
import type { Api } from '../../http/types.ts';
import { contentDisposition, safeContentType } from '../mail/mail.routes.ts';
import { presentAttachment } from './attachment.presenter.ts';
import type { AttachmentService } from './attachment.service.ts';

const tags = ['attachments'];

const AttachmentBytes = z.instanceof(Buffer).meta({
  type: 'string', format: 'binary',
  description: 'the bytes, with the type sniffed from them; Content-Disposition: attachment with an RFC 5987 filename*; Repr-Digest: sha-256',
});

export function registerAttachmentRoutes(app: Api, s: AttachmentService): void {
  // The multipart parser only where files are uploaded (encapsulated in this plugin).
  void app.register(async (child) => {
    const api = child as unknown as Api;
    await api.register(fastifyMultipart, {
      // The parser cuts a file at the limit and says so (`truncated`); the service refuses it with its own code.
      throwFileSizeLimit: false,
      limits: { fileSize: s.maxBytes, files: 1, fields: 10, parts: 20, fieldSize: 64 * 1024, headerPairs: 100 },
    });

    api.post('/incidents/:id/attachments', {
      schema: {
        tags, consumes: ['multipart/form-data'],
        summary: 'Upload a file to an incident (multipart/form-data, one part named `file`); stored outside the database with its SHA-256, its type sniffed from the bytes; a public timeline entry (staff; contacts for their own client\'s incidents)',
        params: IdParams, body: UploadAttachmentForm, response: { 201: Attachment },
      },
    }, async (req, reply) => {
      const row = await s.upload(actorOf(req), req.params.id, async () => {
        if (!req.isMultipart()) throw new AppError('request.unsupported_media_type', 'send the file as multipart/form-data');
        const part = await req.file();
        if (!part) return undefined;
        return { fileName: part.filename, declaredType: part.mimetype, chunks: part.file, truncated: () => part.file.truncated };
      });
      return reply.status(201).send(presentAttachment(row));
    });
  });

  app.get('/incidents/:id/attachments', {
    schema: { tags, summary: 'The files uploaded to an incident, oldest first, and the largest file accepted (staff; contacts for their own client\'s incidents)', params: IdParams, response: { 200: AttachmentList } },
  }, async (req) => ({ items: (await s.list(actorOf(req), req.params.id)).map(presentAttachment), maxBytes: s.maxBytes }));

  app.get('/attachments/:id', {
    schema: {
      tags, summary: 'Download an attachment; refused (409) when the stored bytes no longer match their SHA-256 (staff; contacts for their own client\'s incidents)',
      params: IdParams,
      response: { 200: { description: 'the file', content: { 'application/octet-stream': { schema: AttachmentBytes } } } },
    },
  }, async (req, reply) => {
    const { row, bytes } = await s.download(actorOf(req), req.params.id);
    return reply
      .type(safeContentType(row.mediaType))
      .header('content-disposition', contentDisposition(row.fileName))
      .header('content-security-policy', "sandbox; default-src 'none'")
      .header('repr-digest', `sha-256=:${Buffer.from(row.sha256, 'hex').toString('base64')}:`)
      .send(bytes);
  });

  app.delete('/attachments/:id', {
    schema: { tags, summary: 'Remove an attachment: its row and file; a public timeline entry says so (staff)', params: IdParams, response: { 200: Ok } },
  }, async (req) => {
    await s.remove(actorOf(req), req.params.id);
    return { ok: true as const };
  });
}
