/**
 * Request validation that reports EVERY issue. Fastify validates params, body,
 * query and headers one part at a time and stops at the first failing part, so the
 * route's zod schemas are checked here instead, all parts together, in a
 * preValidation hook; Fastify's own validator is a pass-through.
 */
import type { FastifyRequest, FastifySchemaCompiler } from 'fastify';
import { z } from 'zod';
import { zodIssueParams } from '../core/issue-params.ts';
import { AppError, type ErrorIssue } from '../errors.ts';

export const passThroughValidator: FastifySchemaCompiler<unknown> = () => (data) => ({ value: data });

const PARTS = [
  ['params', 'params'],
  ['querystring', 'query'],
  ['headers', 'headers'],
  ['body', 'body'],
] as const;

function isZod(s: unknown): s is z.ZodType {
  return s instanceof z.ZodType;
}

/**
 * Issues keep zod's code and the params its message needs (minimum, allowed values,
 * a custom check's rule); the error handler words them in the request's language.
 */
export function toIssues(error: z.ZodError, prefix: (string | number)[]): ErrorIssue[] {
  return error.issues.map((i) => ({
    path: [...prefix, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
    code: i.code,
    message: i.message,
    params: zodIssueParams(i),
  }));
}

export async function validateRequest(request: FastifyRequest): Promise<void> {
  const schema = request.routeOptions.schema as Record<string, unknown> | undefined;
  if (!schema) return;
  const issues: ErrorIssue[] = [];
  const parsed: Partial<Record<(typeof PARTS)[number][1], unknown>> = {};
  for (const [schemaKey, requestKey] of PARTS) {
    const s = schema[schemaKey];
    if (!isZod(s)) continue;
    // A missing JSON body arrives as undefined; an object schema then says "expected object" at ["body"].
    // reportInput: a missing field ("required") reads differently from a wrong type.
    const result = await s.safeParseAsync(request[requestKey], { reportInput: true });
    if (result.success) parsed[requestKey] = result.data;
    else issues.push(...toIssues(result.error, [requestKey]));
  }
  if (issues.length > 0) throw new AppError('validation.failed', 'validation failed', issues);
  // Handlers see the parsed values (coerced numbers, defaults, trimmed strings).
  if ('params' in parsed) request.params = parsed.params;
  if ('query' in parsed) request.query = parsed.query;
  if ('body' in parsed) request.body = parsed.body;
}
