/**
 * Building blocks of the API shapes. Instants travel as ISO 8601 strings with an
 * offset (responses always in UTC, "…Z"); ids are UUIDv7 strings; dates "YYYY-MM-DD".
 * Request bodies are strict objects: an unknown (e.g. misspelt) field is reported
 * as an issue instead of being silently ignored.
 */
import { z } from 'zod';
import { isoUtc } from '../core/time/iso.ts';

export const Id = z.string().min(1).max(64).describe('UUIDv7');
export const Instant = z.iso.datetime({ offset: true }).describe('ISO 8601 instant, e.g. 2026-04-01T09:30:00+09:00');
export const IsoDate = z.iso.date().describe('calendar date YYYY-MM-DD');
// No message of its own: the error map words it ("not in the expected format") in the reader's language.
export const HourMinute = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/).describe('"HH:MM"');
export const Email = z.email().max(254);
export const Locale = z.enum(['ja', 'en']);

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

export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number().int().optional() });

/**
 * Cross-field rules that run even when some fields are invalid, so one response
 * lists every problem (zod skips refinements after field issues by default).
 * The callback sees the raw object: check types before use.
 */
export const crossFieldWhen = { when: (p: { value: unknown }) => typeof p.value === 'object' && p.value !== null } as const;
