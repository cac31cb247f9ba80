/**
 * Rows for incident attachments (issue 17): staff and the incident's client's contacts
 * upload, list and download (another client's contact gets 404, like a missing id);
 * removing one is staff's.
 */
import { multipartFile } from '../../helpers/multipart.ts';
import { call } from '../helpers.ts';
import type { Case, MatrixContext } from './types.ts';

export function cases(ctx: MatrixContext): Case[] {
  const { app, w } = ctx;
  let incident: Promise<string> | null = null;
  const incidentId = () => (incident ??= ctx.incidentIn('in_progress').then((i) => i.id));
  const form = () => multipartFile(Buffer.from('matrix attachment'), { fileName: 'matrix.txt', contentType: 'text/plain' });
  /** A fresh attachment of client A's incident, uploaded by the agent. */
  const attachment = async (): Promise<string> => {
    const m = form();
    const r = await call(app, w.agent, { method: 'POST', url: `/api/v1/incidents/${await incidentId()}/attachments`, payload: m.payload, headers: m.headers });
    if (r.statusCode !== 201) throw new Error(`fixture attachment: ${r.statusCode} ${r.body}`);
    return (r.json() as { id: string }).id;
  };
  let shared: Promise<string> | null = null;
  return [
    {
      method: 'POST', route: '/api/v1/incidents/{id}/attachments', expect: [401, 201, 201, 201, 404],
      prepare: async () => {
        const m = form();
        return { url: `/api/v1/incidents/${await incidentId()}/attachments`, body: m.payload, headers: m.headers };
      },
    },
    {
      method: 'GET', route: '/api/v1/incidents/{id}/attachments', expect: [401, 200, 200, 200, 404],
      prepare: async () => ({ url: `/api/v1/incidents/${await incidentId()}/attachments` }),
    },
    {
      method: 'GET', route: '/api/v1/attachments/{id}', expect: [401, 200, 200, 200, 404],
      prepare: async () => ({ url: `/api/v1/attachments/${await (shared ??= attachment())}` }),
    },
    {
      method: 'DELETE', route: '/api/v1/attachments/{id}', expect: [401, 200, 200, 403, 403],
      prepare: async () => ({ url: `/api/v1/attachments/${await attachment()}` }),
    },
  ];
}
