/**
 * Responses are built by presenters that are typed against the contract, so in
 * production they are serialized with plain JSON.stringify (zod-encoding every
 * list item costs more than the query). With `checkResponses` (tests) every
 * response is also parsed against its schema, so a presenter that drifts from the
 * contract fails loudly.
 */
import type { FastifySerializerCompiler } from 'fastify';
import { z } from 'zod';

export function makeSerializerCompiler(checkResponses: boolean): FastifySerializerCompiler<unknown> {
  return ({ schema, method, url }) => {
    if (!checkResponses || !(schema instanceof z.ZodType)) return (data) => JSON.stringify(data);
    const zodSchema = schema;
    return (data) => {
      const r = zodSchema.safeParse(data);
      if (!r.success) {
        throw new Error(`response of ${method} ${url} does not match its schema: ${JSON.stringify(r.error.issues)}`);
      }
      return JSON.stringify(data);
    };
  };
}
