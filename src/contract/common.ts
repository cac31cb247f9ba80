/**
 * Building blocks of the API shapes. Instants travel as ISO 8601 strings with an
 * offset (responses always in UTC, "…Z"); ids are UUIDv7 strings; dates "YYYY-MM-DD".
 * Request bodies are strict objects: an unknown (e.g. misspelt) field is reported
 * as an issue instead of being silently ignored.
 */
import { z } from 'zod';
import { isoUtc } from '../core/time/iso.ts';
import { rule } from './errors.ts';

/** NUL, or a surrogate half without its other half (JSON's "\ud800" escape makes one). */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this refuses
const NOT_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/**
 * Every text field of a request: a string without NUL and without a lone surrogate.
 * PostgreSQL refuses NUL in text (a 500 before this) while SQLite stores it, and a lone
 * surrogate is not Unicode: it cannot be written as UTF-8 to a mail, a log or a file.
 * Chain as a string: `Text.trim().min(1).max(200)`.
 */
export const Text = z.string().refine((s) => !NOT_TEXT.test(s), { params: rule('text') });

export const Id = Text.min(1).max(64).describe('UUIDv7');
export const Instant = z.iso.datetime({ offset: true }).describe('ISO 8601 instant, e.g. 2026-04-01T09:30:00+09:00');
export const IsoDate = z.iso.date().describe('calendar date YYYY-MM-DD');
// No message of its own: the error map words it ("not in the expected format") in the reader's language.
export const HourMinute = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/).describe('"HH:MM"');
export const Email = z.email().max(254);
export const Locale = z.enum(['ja', 'en']);

/** A list of ids where each may appear once; a repeat is reported at its index (issue code "duplicate"). */
export const UniqueIds = (max: number) => z.array(Id).max(max).superRefine((ids, ctx) => {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [i], params: rule('duplicate') });
    seen.add(id);
  });
});

export const IdParams = z.object({ id: Id });

/** Offset pagination; lists answer with `{ items, total? }` and never unbounded. */
export const Paging = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** The error body lives with the error catalogue; re-exported for the routes that import it from here. */
export { ErrorBody, ErrorIssue } from './errors.ts';

export const Ok = z.object({ ok: z.literal(true) });

export const toIso = (ms: number): string => isoUtc(ms);
export const toIsoOrNull = (ms: number | null | undefined): string | null => (ms == null ? null : isoUtc(ms));
export const fromIso = (s: string): number => Date.parse(s);

/**
 * A validated body as a service takes it: the body's own inferred type with its ISO
 * instants (the wire form) as integer ms (the desk's form). Services declare their input
 * as `WithInstants<z.infer<typeof XBody>, 'startsAt' | …>`, so a route hands the body on
 * with `instantsIn(req.body, …)` instead of copying its fields one by one.
 */
export type WithInstants<T, K extends keyof T> = Omit<T, K> & {
  [P in keyof Pick<T, K>]: Exclude<T[P], string> | ([Extract<T[P], string>] extends [never] ? never : number);
};

/** The body with the named ISO instants as ms (absent, undefined and null stay as they are). */
export function instantsIn<T extends object, K extends keyof T>(body: T, ...keys: K[]): WithInstants<T, K> {
  const out = { ...body } as Record<PropertyKey, unknown>;
  for (const k of keys) {
    const v = out[k];
    if (typeof v === 'string') out[k] = fromIso(v);
  }
  return out as WithInstants<T, K>;
}

export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number().int().optional() });

/**
 * A position in a list ordered newest first by (instant, id). Rows of one
 * millisecond are told apart by their id, so paging neither skips nor repeats them
 * (an instant alone did both). Opaque to clients: base64url of `<ms>.<id>`.
 */
export interface CursorPosition { at: number; id: string }

const b64url = (s: string) => btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export const encodeCursor = (p: CursorPosition): string => b64url(`${p.at}.${p.id}`);

export function decodeCursor(cursor: string): CursorPosition | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null;
  let plain: string;
  try {
    plain = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    return null;
  }
  const m = /^(\d{1,16})\.([0-9A-Za-z-]{1,64})$/.exec(plain);
  return m ? { at: Number(m[1]), id: m[2]! } : null;
}

/** The `cursor` query parameter: a nextCursor this list returned; decoded to its position. */
export const Cursor = z.string().max(200).transform((s, ctx) => {
  const p = decodeCursor(s);
  if (!p) {
    ctx.addIssue({ code: 'custom', message: 'not a cursor of this list', params: rule('cursor') });
    return z.NEVER;
  }
  return p;
}).describe('the nextCursor of the previous page; omit it for the first page');

/** A page of a cursor-paged list: `nextCursor` is null on the last page. */
export const pageOf = <T extends z.ZodType>(item: T) => z.object({
  items: z.array(item),
  nextCursor: z.string().nullable().describe('pass as `cursor` for the next (older) page; null when this page is the last'),
});

/** Given up to limit + 1 rows (newest first), the page and the cursor of the rest. */
export function cursorPage<R extends { id: string }>(rows: R[], limit: number, at: (r: R) => number): { rows: R[]; nextCursor: string | null } {
  if (rows.length <= limit) return { rows, nextCursor: null };
  const page = rows.slice(0, limit);
  const last = page[page.length - 1]!;
  return { rows: page, nextCursor: encodeCursor({ at: at(last), id: last.id }) };
}

/**
 * Cross-field rules that run even when some fields are invalid, so one response
 * lists every problem (zod skips refinements after field issues by default).
 * The callback sees the raw object: check types before use.
 */
export const crossFieldWhen = { when: (p: { value: unknown }) => typeof p.value === 'object' && p.value !== null } as const;
