/**
 * Coded application errors. The code comes from the catalogue in
 * src/contract/errors.ts (so it is typed: a code that is not there fails `tsc`),
 * which also gives its HTTP status; the user message is the i18n key
 * `errors.<code>` (ja/en). Services throw these; only the HTTP layer turns them
 * into responses.
 */
import type { ErrorCode, IssueCode, NotFoundEntity } from './contract/errors.ts';
import type { IssueParams } from './core/issue-params.ts';

export type { ErrorCode, IssueCode, NotFoundEntity } from './contract/errors.ts';
export type { IssueParams } from './core/issue-params.ts';

export interface ErrorIssue {
  /** Path into the input, e.g. ["body", "priority"]. */
  path: (string | number)[];
  /** Machine code of the issue, e.g. "invalid_enum_value"; its message template is `issues.<code>`. */
  code: IssueCode;
  /** The reason in English, for logs and tests of services; responses carry the template rendered in the reader's language. */
  message: string;
  /** Values for the template (allowed values, a minimum, `rule` of a custom check). */
  params?: IssueParams;
}

/**
 * An instant in a message. The message is written when the reader's language is known (the
 * HTTP error handler, the CLI), so the error carries the instant and its zone, not words:
 * "2026/03/04(水) 18:00 JST" / "Wed, 4 Mar 2026, 18:00 GMT+9", as every other instant reads.
 */
export interface InstantParam {
  /** ISO 8601. */
  instant: string;
  /** The IANA zone to write it in (the contract calendar's). */
  zone: string;
}

export type ErrorParam = string | number | InstantParam;

export const instantParam = (ms: number, zone: string): InstantParam => ({ instant: new Date(ms).toISOString(), zone });

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly issues: ErrorIssue[] = [],
    /** Values interpolated into the translated message; instants as instantParam(ms, zone). */
    readonly params: Record<string, ErrorParam> = {},
  ) {
    super(message ?? code);
    this.name = 'AppError';
  }
}

export const notFound = (entity: NotFoundEntity): AppError => new AppError(`${entity}.not_found`, `${entity} not found`);
