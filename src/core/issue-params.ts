/**
 * The parameters of a zod issue that a message template needs (minimum length,
 * allowed values, the rule of a custom refinement, …), as plain strings and numbers.
 * Validation here reports codes and parameters; the words (ja/en) are chosen at the
 * edge (src/i18n/issues.ts), so the core stays free of any language.
 */
import type { z } from 'zod';

export type IssueParams = Record<string, string | number>;

type AnyIssue = z.core.$ZodIssue | z.core.$ZodRawIssue;

const scalar = (v: unknown): string | number => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.toISOString() : String(v));

/** Works on a raw issue (inside an error map, where `input` is known) and on a finished one (with `reportInput`). */
export function zodIssueParams(issue: AnyIssue): IssueParams {
  const out: IssueParams = {};
  const i = issue as Record<string, unknown>;
  if (issue.code === 'custom') {
    for (const [k, v] of Object.entries((i.params ?? {}) as Record<string, unknown>)) if (typeof v === 'string' || typeof v === 'number') out[k] = v;
  }
  if ('input' in i && i.input === undefined) out.received = 'undefined';
  for (const k of ['origin', 'expected', 'format', 'minimum', 'maximum', 'divisor'] as const) if (i[k] !== undefined) out[k] = scalar(i[k]);
  if (Array.isArray(i.values)) out.values = i.values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
  if (Array.isArray(i.keys)) out.keys = i.keys.map(String).join(', ');
  return out;
}
