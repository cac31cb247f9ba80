/** GET /mail/messages/{id}/source — a stored mail exactly as received, for the triage screen (staff). */
import { MailSource } from '../../contract/admin.ts';
import { IdParams } from '../../contract/common.ts';
import { actorOf } from '../../http/actor.ts';
import type { Api } from '../../http/types.ts';
import type { MailService } from './mail.service.ts';

export function registerMailSourceRoutes(app: Api, mail: MailService): void {
  app.get('/mail/messages/:id/source', {
    schema: {
      tags: ['mail'], summary: 'The raw source of a stored mail (RFC 5322 as received), e.g. of an unparseable message (staff)',
      params: IdParams, response: { 200: MailSource },
    },
  }, async (req) => {
    // mail.get is the staff-only read of any stored message (mail_message.read).
    const row = await mail.get(actorOf(req), req.params.id);
    const bytes = Buffer.from(row.raw, 'base64');
    return { id: row.id, size: bytes.length, source: bytes.toString('utf8') };
  });
}
