/**
 * Coded application errors. The code is stable and dotted (`incident.not_found`);
 * the HTTP status comes from one table in src/http/error-handler.ts and the user
 * message from the i18n key `errors.<code>` (ja/en). Services throw these; only the
 * HTTP layer turns them into responses.
 */
export interface ErrorIssue {
  /** Path into the input, e.g. ["body", "priority"]. */
  path: (string | number)[];
  /** i18n-free machine code of the issue, e.g. "invalid_enum_value". */
  code: string;
  /** Human-readable reason (English); the HTTP layer may translate. */
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: string,
    message?: string,
    readonly issues: ErrorIssue[] = [],
    /** Values interpolated into the translated message. */
    readonly params: Record<string, string | number> = {},
  ) {
    super(message ?? code);
    this.name = 'AppError';
  }
}

export const notFound = (entity: string): AppError => new AppError(`${entity}.not_found`, `${entity} not found`);
