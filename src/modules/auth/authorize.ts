/**
 * The one access check services make: `authorize(actor, action)` answers 403
 * (auth.forbidden) unless the actor's role is listed for the action in its slice's
 * policy table; `authorize(actor, action, row)` also requires the row to exist and
 * to be of a client the actor may see, answering `<entity>.not_found` otherwise —
 * the entity being the action's prefix — exactly like a missing id. `may` is the
 * same table read as a question, for what changes an answer rather than refusing it
 * (a contact's list leaves drafts out; a token of someone else is not found).
 */
import { AppError, notFound, type NotFoundEntity } from '../../errors.ts';
import type { Actor, Role } from './actor.ts';
import { canSeeClient } from './access.ts';
import { AUTH_POLICY } from './auth.policy.ts';
import { AUDIT_POLICY } from '../audit/audit.policy.ts';
import { CALENDAR_POLICY } from '../calendars/calendar.policy.ts';
import { CHANGE_REQUEST_POLICY } from '../change-requests/change-request.policy.ts';
import { CLIENT_POLICY } from '../clients/client.policy.ts';
import { CONTACT_POLICY } from '../contacts/contact.policy.ts';
import { CONTRACT_POLICY } from '../contracts/contract.policy.ts';
import { DASHBOARD_POLICY } from '../dashboard/dashboard.policy.ts';
import { INCIDENT_POLICY } from '../incidents/incident.policy.ts';
import { MAIL_POLICY } from '../mail/mail.policy.ts';
import { MAINTENANCE_POLICY } from '../maintenance/maintenance.policy.ts';
import { MONITORING_POLICY } from '../monitoring/monitoring.policy.ts';
import { RISK_POLICY } from '../risks/risk.policy.ts';
import { SECURITY_INCIDENT_POLICY } from '../security-incidents/security-incident.policy.ts';
import { SLA_POLICY_POLICY } from '../sla-policies/sla-policy.policy.ts';
import { SYSTEM_POLICY } from '../systems/system.policy.ts';
import { WEBHOOK_POLICY } from '../webhooks/webhook.policy.ts';
import { REPORT_POLICY } from '../reports/report.policy.ts';
import { ATTACHMENT_POLICY } from '../attachments/attachment.policy.ts';

/** Every slice's table by its file's name (test/services/policies.test.ts walks them). */
export const POLICY_TABLES = {
  auth: AUTH_POLICY,
  audit: AUDIT_POLICY,
  calendar: CALENDAR_POLICY,
  'change-request': CHANGE_REQUEST_POLICY,
  client: CLIENT_POLICY,
  contact: CONTACT_POLICY,
  contract: CONTRACT_POLICY,
  dashboard: DASHBOARD_POLICY,
  incident: INCIDENT_POLICY,
  mail: MAIL_POLICY,
  maintenance: MAINTENANCE_POLICY,
  monitoring: MONITORING_POLICY,
  risk: RISK_POLICY,
  'security-incident': SECURITY_INCIDENT_POLICY,
  'sla-policy': SLA_POLICY_POLICY,
  system: SYSTEM_POLICY,
  webhook: WEBHOOK_POLICY,
  report: REPORT_POLICY,
  attachment: ATTACHMENT_POLICY,
} as const;

type Tables = (typeof POLICY_TABLES)[keyof typeof POLICY_TABLES];
/** Every action of every table: a misspelt action fails tsc. */
export type Action = Tables extends infer T ? (T extends unknown ? keyof T & string : never) : never;

const ROLES: ReadonlyMap<string, readonly Role[]> = new Map(
  Object.values(POLICY_TABLES).flatMap((t) => Object.entries(t) as Array<[string, readonly Role[]]>),
);

/** True when the actor's role may do this action. */
export function may(actor: Actor, action: Action): boolean {
  const roles = ROLES.get(action);
  // The Action type makes a miss impossible from typed code; fail closed anyway.
  return roles !== undefined && roles.includes(actor.role);
}

/** 403 unless the role may do the action. */
export function authorize(actor: Actor, action: Action): void;
/** 403 unless the role may do the action; `<entity>.not_found` unless the row exists and is the actor's client's. */
export function authorize<T extends { clientId: string | null }>(actor: Actor, action: Action, row: T | null | undefined): T;
export function authorize<T extends { clientId: string | null }>(actor: Actor, action: Action, ...rest: [] | [T | null | undefined]): T | void {
  if (!may(actor, action)) throw new AppError('auth.forbidden', 'forbidden');
  if (rest.length === 0) return;
  const row = rest[0];
  if (!row || !canSeeClient(actor, row.clientId)) throw notFound(action.slice(0, action.indexOf('.')) as NotFoundEntity);
  return row;
}
