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

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly issues: ErrorIssue[] = [],
    /** Values interpolated into the translated message. */
    readonly params: Record<string, string | number> = {},
  ) {
    super(message ?? code);
    this.name = 'AppError';
  }
}

export const notFound = (entity: NotFoundEntity): AppError => new AppError(`${entity}.not_found`, `${entity} not found`);
