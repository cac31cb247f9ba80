/**
 * The error catalogue: every error code the API can answer with, its HTTP status,
 * and (by construction) its message key `errors.<code>` in src/i18n/{ja,en}.json.
 * Codes are stable and dotted (`incident.not_found`): clients branch on them.
 *
 * Adding a code = one line here + one message in each of ja.json and en.json
 * (test/http/i18n.test.ts fails when a message is missing). `AppError` only takes
 * an `ErrorCode`, so a misspelt or uncatalogued code fails `tsc`.
 *
 * Issues (one per problem in the input, `{ path, code, message }`) have their own
 * small vocabulary of codes below: ours and zod's. Their messages are templates
 * under `issues.*` in the same JSON files, rendered in the reader's language by
 * src/i18n/issues.ts, on the server (the HTTP layer) and in the web forms alike.
 */
import { z } from 'zod';

/** Statuses an error may carry; anything else is a mistake in the catalogue. */
type ErrorStatus = 400 | 401 | 403 | 404 | 408 | 409 | 413 | 414 | 415 | 422 | 429 | 431 | 500 | 503;

/**
 * Code → status. 400 = the input is malformed or breaks a field rule (usually with
 * issues); 422 = the input was understood but the domain refuses it; 409 = the
 * current state refuses it.
 */
export const ERRORS = {
  'validation.failed': { status: 400 },
  'request.bad_json': { status: 400 },
  'request.rate_limited': { status: 429 },
  'request.bad_request': { status: 400 },
  'request.unsupported_media_type': { status: 415 },
  'request.too_large': { status: 413 },
  'request.bad_url': { status: 400 },
  'request.url_too_long': { status: 414 },
  'request.headers_too_large': { status: 431 },
  'request.timeout': { status: 408 },
  'route.not_found': { status: 404 },
  internal: { status: 500 },

  'auth.unauthenticated': { status: 401 },
  'auth.invalid_credentials': { status: 401 },
  'auth.invalid_token': { status: 401 },
  'auth.session_expired': { status: 401 },
  'auth.forbidden': { status: 403 },
  'auth.csrf_failed': { status: 403 },
  'auth.rate_limited': { status: 429 },
  'auth.email_taken': { status: 409 },
  'auth.client_required': { status: 400 },
  'auth.client_not_allowed': { status: 400 },
  'auth.weak_password': { status: 400 },
  'auth.blank_password': { status: 400 },
  'auth.common_password': { status: 400 },
  'auth.current_password_required': { status: 400 },
  'auth.current_password_wrong': { status: 400 },
  'auth.user_disabled': { status: 403 },
  'auth.password_change_required': { status: 403 },
  'auth.reset_link_invalid': { status: 400 },
  'auth.reset_link_expired': { status: 400 },
  'user.not_found': { status: 404 },
  'user.invalid': { status: 400 },
  'token.not_found': { status: 404 },
  'token.expiry_in_past': { status: 400 },

  'client.not_found': { status: 404 },
  'client.conflict': { status: 409 },
  'client.invalid': { status: 400 },
  'contact.not_found': { status: 404 },
  'contact.invalid': { status: 400 },
  'system.not_found': { status: 404 },
  'system.invalid': { status: 400 },
  'contract.not_found': { status: 404 },
  'contract.conflict': { status: 409 },
  'contract.invalid': { status: 400 },
  'calendar.not_found': { status: 404 },
  'calendar.invalid': { status: 400 },
  'calendar.invalid_document': { status: 400 },
  'calendar.out_of_range': { status: 400 },
  'calendar.effective_in_past': { status: 400 },
  'calendar_version.not_found': { status: 404 },
  'sla_policy.not_found': { status: 404 },
  'sla_policy.invalid': { status: 400 },
  'sla_policy.invalid_document': { status: 400 },
  'sla_document.invalid_template': { status: 400 },
  'audit.not_found': { status: 404 },

  'incident.not_found': { status: 404 },
  'incident.invalid': { status: 400 },
  'incident.invalid_transition': { status: 409 },
  'incident.conflict': { status: 409 },
  'incident.resolution_required': { status: 400 },
  'incident.assignee_not_staff': { status: 400 },
  'incident_target.not_found': { status: 404 },

  'maintenance.not_found': { status: 404 },
  'maintenance.invalid': { status: 400 },
  'maintenance.invalid_state': { status: 409 },
  'maintenance.notice.conflict': { status: 409 },
  'maintenance_series.not_found': { status: 404 },
  'status_page.not_found': { status: 404 },

  'monitor.not_found': { status: 404 },
  'monitor.invalid': { status: 400 },
  'outage.not_found': { status: 404 },
  'outage.already_ended': { status: 409 },

  'mail.invalid': { status: 400 },
  'mail.no_recipient': { status: 422 },
  'mail_message.not_found': { status: 404 },
  'mail_message.not_assignable': { status: 422 },
  'mail_attachment.not_found': { status: 404 },
  'mail_html.not_found': { status: 404 },

  'change_request.not_found': { status: 404 },
  'change_request.invalid': { status: 400 },
  'change_request.invalid_transition': { status: 409 },
  'change_request.not_designated': { status: 403 },
  'change_request.version_mismatch': { status: 409 },
  'change_request.proposal_expired': { status: 409 },
  'change_request.approval_required': { status: 409 },
  'change_request.not_a_change': { status: 422 },
  'change_proposal.not_found': { status: 404 },
  'change_proposal.immutable': { status: 409 },
  // the risk register (issue 14)
  'risk.not_found': { status: 404 },
  'risk.invalid': { status: 400 },
  'risk.closed': { status: 409 },
  'risk.not_closed': { status: 409 },
  'risk.no_residual': { status: 409 },
  'risk_criteria.not_found': { status: 404 },
  'risk_criteria.invalid': { status: 400 },
  'risk_control.not_found': { status: 404 },
  'risk_control.not_presented': { status: 409 },
  'risk_control.already_presented': { status: 409 },
  'risk_control.already_acknowledged': { status: 409 },
  'risk_link.not_found': { status: 404 },
  'risk_link.duplicate': { status: 409 },
  'risk.link_not_found': { status: 422 },
  'security_incident.not_found': { status: 404 },
  'security_incident.invalid': { status: 400 },
  'security_incident.invalid_transition': { status: 409 },
  'security_incident.final_report_required': { status: 409 },
  'security_incident.already_recognized': { status: 409 },
  'security_incident.link_exists': { status: 409 },
  'security_incident.link_not_found': { status: 422 },
  'security_report.not_found': { status: 404 },
  'security_report.first_exists': { status: 409 },
  'security_report.first_required': { status: 409 },
  'security_report.threat_not_removed': { status: 409 },
  'security_report.after_final': { status: 409 },
  'security_report.not_recognized': { status: 409 },
  'security_evidence.not_found': { status: 404 },
  'security_evidence.invalid': { status: 400 },
  'security_evidence.checksum_mismatch': { status: 409 },
  'render.pdf_unavailable': { status: 503 },
  'report.not_found': { status: 404 },
  'report.invalid': { status: 400 },
  'report.not_issued': { status: 409 },
  'report.no_contacts': { status: 422 },
  'report_file.not_found': { status: 404 },
  'webhook.not_found': { status: 404 },
  'webhook.invalid': { status: 400 },
  'webhook.url_refused': { status: 400 },
  'webhook_delivery.not_found': { status: 404 },
  'escalation.not_found': { status: 404 },
  // incident attachments (issue 17)
  'attachment.not_found': { status: 404 },
  'attachment.too_large': { status: 413 },
  'attachment.empty': { status: 400 },
  'attachment.no_file': { status: 400 },
  'attachment.checksum_mismatch': { status: 409 },
} as const satisfies Record<string, { status: ErrorStatus }>;

export type ErrorCode = keyof typeof ERRORS;
export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

/** The entities that have a `<entity>.not_found` code (what `notFound(entity)` accepts). */
export type NotFoundEntity = ErrorCode extends infer C ? (C extends `${infer E}.not_found` ? E : never) : never;

export const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(ERRORS, code);
export const statusOf = (code: ErrorCode): ErrorStatus => ERRORS[code].status;
/** The i18n key of a code's message. */
export const errorMessageKey = (code: ErrorCode): `errors.${ErrorCode}` => `errors.${code}`;

/**
 * Issue codes. Ours (services, and `rule`-carrying custom refinements in the
 * contract) and zod's own (request validation, web forms). Each has a ja/en
 * template `issues.<code>`; a few have variants (see src/i18n/issues.ts).
 */
export const SERVICE_ISSUE_CODES = [
  'required', 'too_small', 'invalid', 'invalid_enum_value', 'invalid_date', 'invalid_month', 'not_found', 'not_allowed', 'not_staff', 'duplicate',
  'wrong', 'in_past', 'blank', 'common',
] as const;
export const ZOD_ISSUE_CODES = [
  'invalid_type', 'too_big', 'too_small', 'invalid_format', 'not_multiple_of', 'unrecognized_keys', 'invalid_union', 'invalid_key',
  'invalid_element', 'invalid_value', 'custom',
] as const;
export type IssueCode = (typeof SERVICE_ISSUE_CODES)[number] | (typeof ZOD_ISSUE_CODES)[number];

/**
 * Named rules of custom refinements (`ctx.addIssue({ code: 'custom', params: { rule } })`):
 * a custom issue's message is the template `issues.rule.<rule>`, so the contract's
 * cross-field checks read in the user's language too.
 */
export const ISSUE_RULES = [
  'required', 'required_for_contact', 'only_contact_has_client', 'not_before_start', 'after_start', 'required_out_of_scope',
  'required_emergency', 'time_of_day', 'start_before_end', 'no_overlap', 'real_date', 'holiday', 'closure_bound',
  'time_zone', 'one_target', 'start_not_from_started', 'not_in_future', 'json', 'cursor', 'text', 'duplicate', 'not_before_contract',
  // the risk register's criteria (src/core/risk/scoring.ts)
  'scale_numbered', 'bands_ascending', 'band_unreachable', 'after_today',
  'template_syntax', 'template_variable', 'template_unchanged',
] as const;
export type IssueRule = (typeof ISSUE_RULES)[number];

/** Params of a custom refinement: `ctx.addIssue({ code: 'custom', path, params: rule('after_start') })`. */
export const rule = (name: IssueRule, more: Record<string, string | number> = {}): { rule: IssueRule } & Record<string, string | number> => ({ ...more, rule: name });

// ---- the error body: one schema for the server's responses, the OpenAPI document and the web client ----

export const ErrorIssue = z.object({
  path: z.array(z.union([z.string(), z.number()])).describe('where in the request, e.g. ["body", "title"]'),
  code: z.string().describe('machine code of the problem, e.g. required, too_small, invalid_enum_value, not_found'),
  message: z.string().describe('the problem in the language chosen by Accept-Language'),
});

export const ErrorBody = z
  .object({
    code: z.string().describe('stable dotted code, e.g. incident.not_found (see docs/design.md, "Errors")'),
    message: z.string().describe('human message in the language chosen by Accept-Language (ja default, en)'),
    issues: z.array(ErrorIssue),
  })
  .meta({ id: 'Error' });

export type ErrorIssueBody = z.infer<typeof ErrorIssue>;
export type ErrorBodyType = z.infer<typeof ErrorBody>;
