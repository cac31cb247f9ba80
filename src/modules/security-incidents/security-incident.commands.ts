/**
 * Security-incident commands: record, correct, the lifecycle (recognize → contain → remove
 * the threat → close), the scope decision, actions on the timeline, the dated reports to the
 * client, and links to risks / change requests / incidents (checked through the lookups the
 * composition root passes). Every write is one unit of work with its audit entries; every
 * change that moves the report clock rewrites its timer jobs in the same transaction. The
 * decisions are in security-incident.rules.ts.
 */
import { uuidv7 } from 'uuidv7';
import { DEFAULT_REPORT_TARGET } from '../../core/security/index.ts';
import { AppError, notFound, type ErrorIssue } from '../../errors.ts';
import type { ReportKind, SecurityCommand } from '../../contract/security-incidents.ts';
import type { RowUpdate } from '../../db/schema.ts';
import { fromFlag, toFlag, type ServiceDeps } from '../../db/tx.ts';
import { unitOfWork, type Work } from '../../db/unit-of-work.ts';
import type { Actor } from '../auth/actor.ts';
import { clientScope, isStaff } from '../auth/access.ts';
import { authorize } from '../auth/authorize.ts';
import { loadWorkingCalendar } from '../calendars/calendar.service.ts';
import { contractCoversSystem, loadContractTerms } from '../contracts/contract.service.ts';
import { loadPolicyVersion } from '../sla-policies/sla-policy.service.ts';
import { rederiveClock, type ReportTargetSpec } from './security-incident.clock.ts';
import { syncTimers } from './security-incident.jobs.ts';
import { mailReport } from './security-incident.mail.ts';
import {
  checkAt, checkLinkTarget, checkReportOrder, commandPatch, createInstantIssues, invalid, issue, updateInstantIssues,
  type CreateSecurityIncidentInput, type LinkKind, type LinkTargets, type SecurityIncidentBundle, type SecurityIncidentRow,
  type UpdateSecurityIncidentInput,
} from './security-incident.rules.ts';
import * as repo from './security-incident.repository.ts';

type Detail = (actor: Actor, id: string) => Promise<SecurityIncidentBundle>;

/** Loads the record for a change, locked (the caller checked the role: another client's row is then not found). */
export async function locked(w: Work, actor: Actor, id: string): Promise<SecurityIncidentRow> {
  return authorize(actor, 'security_incident.read', await repo.findIncident(w.tx, id, clientScope(actor), true));
}

/** Applies a patch, re-derives the clock when asked, rewrites the timers, audits, and answers with the new bundle. */
export async function apply(
  w: Work, actor: Actor, before: SecurityIncidentRow, patch: RowUpdate<'securityIncidents'>, action: string, o: { clock?: boolean } = {},
): Promise<SecurityIncidentRow> {
  let after: SecurityIncidentRow = { ...before, ...patch, updatedAt: w.now } as SecurityIncidentRow;
  if (o.clock) after = { ...after, ...(await rederiveClock(w.tx, after, w.now)) };
  await repo.updateIncident(w.tx, before.id, { ...patch, ...(o.clock ? {
    reportDueAt: after.reportDueAt, reportAtRiskAt: after.reportAtRiskAt,
    reportAtRiskFiredAt: after.reportAtRiskFiredAt, reportBreachedFiredAt: after.reportBreachedFiredAt,
  } : {}), updatedAt: w.now });
  await syncTimers(w.tx, after, w.now);
  w.audit({ entity: 'security_incident', entityId: before.id, action, before, after });
  return after;
}

export async function event(w: Work, id: string, e: { kind: repo.EventRow['kind']; visibility: 'public' | 'internal'; body?: string; at?: number; data: Record<string, unknown> }) {
  await repo.insertEvent(w.tx, {
    id: uuidv7(), securityIncidentId: id, at: e.at ?? w.now, recordedAt: w.now, kind: e.kind, visibility: e.visibility,
    authorId: w.actor.userId, body: e.body ?? '', data: JSON.stringify(e.data),
  });
}

export function createSecurityIncidentCommands(deps: ServiceDeps, o: { linkTargets: LinkTargets; detail: Detail }) {
  const { db, clock } = deps;
  const uow = deps.uow ?? unitOfWork(db, clock);
  const { detail } = o;

  return {
    async create(actor: Actor, input: CreateSecurityIncidentInput): Promise<SecurityIncidentBundle> {
      authorize(actor, 'security_incident.create');
      const now = clock();
      const id = await uow.command(actor, async (w) => {
        const { tx } = w;
        // Scoped: a contact naming another client's contract gets contract.not_found.
        const terms = await loadContractTerms(tx, actor, input.contractId);
        const issues: ErrorIssue[] = [];
        if (input.systemId && !(await contractCoversSystem(tx, terms.id, input.systemId))) issues.push(issue(['systemId'], 'not_found', 'not a system of this contract'));
        const discoveredAt = input.discoveredAt ?? now;
        issues.push(...createInstantIssues(input.occurredAt, discoveredAt, now));
        if (issues.length) throw invalid('security_incident.invalid', issues);

        const policy = (await loadPolicyVersion(tx, terms.slaPolicyId, terms.slaPolicyVersion)).document;
        const target = policy.securityReport ?? DEFAULT_REPORT_TARGET;
        const spec: ReportTargetSpec = { target, atRiskThreshold: policy.atRiskThreshold };
        const zone = (await loadWorkingCalendar(tx, terms.calendarId)).timeZone;
        const staff = isStaff(actor);
        let row: SecurityIncidentRow = {
          id: uuidv7(),
          number: await repo.nextNumber(tx),
          contractId: terms.id,
          clientId: terms.clientId,
          systemId: input.systemId ?? null,
          kind: input.kind,
          title: input.title.trim(),
          description: input.description ?? '',
          personalData: toFlag(input.personalData ?? false),
          status: 'open',
          occurredAt: input.occurredAt ?? null,
          occurredBy: input.occurredAt !== undefined ? actor.userId : null,
          discoveredAt,
          discoveredBy: actor.userId,
          // The desk recognizes what it records itself; a contact's filing waits for the desk.
          recognizedAt: staff ? now : null,
          recognizedBy: staff ? actor.userId : null,
          reportedAt: null, reportedBy: null, containedAt: null, containedBy: null,
          threatRemovedAt: null, threatRemovedBy: null, closedAt: null, closedBy: null,
          inScope: 1, outOfScopeCondition: null, scopeReason: null, scopeDecidedAt: null, scopeDecidedBy: null,
          reportTarget: JSON.stringify(spec),
          reportCalendarId: target.kind === 'calendar' ? null : terms.calendarId,
          reportDueAt: null, reportAtRiskAt: null, reportAtRiskFiredAt: null, reportBreachedFiredAt: null,
          timeZone: zone,
          createdBy: actor.userId,
          createdAt: now,
          updatedAt: now,
        };
        row = { ...row, ...(await rederiveClock(tx, row, now)) };
        await repo.insertIncident(tx, row);
        await syncTimers(tx, row, now);
        await event(w, row.id, { kind: 'transition', visibility: 'public', data: { event: 'created' } });
        w.audit({ entity: 'security_incident', entityId: row.id, action: 'create', after: row });
        return row.id;
      }, { now });
      return detail(actor, id);
    },

    async update(actor: Actor, id: string, input: UpdateSecurityIncidentInput): Promise<SecurityIncidentBundle> {
      authorize(actor, 'security_incident.update');
      await uow.command(actor, async (w) => {
        const row = await locked(w, actor, id);
        const issues: ErrorIssue[] = [];
        if (input.systemId && !(await contractCoversSystem(w.tx, row.contractId, input.systemId))) issues.push(issue(['systemId'], 'not_found', 'not a system of this contract'));
        issues.push(...updateInstantIssues(row, input, w.now));
        if (issues.length) throw invalid('security_incident.invalid', issues);
        const patch: RowUpdate<'securityIncidents'> = {
          ...(input.kind !== undefined ? { kind: input.kind } : {}),
          ...(input.title !== undefined ? { title: input.title.trim() } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.systemId !== undefined ? { systemId: input.systemId } : {}),
          ...(input.personalData !== undefined ? { personalData: toFlag(input.personalData) } : {}),
          // A corrected instant names who corrected it.
          ...(input.occurredAt !== undefined && input.occurredAt !== row.occurredAt ? { occurredAt: input.occurredAt, occurredBy: input.occurredAt === null ? null : actor.userId } : {}),
          ...(input.discoveredAt !== undefined && input.discoveredAt !== row.discoveredAt ? { discoveredAt: input.discoveredAt, discoveredBy: actor.userId } : {}),
        };
        const moved = patch.discoveredAt !== undefined;
        await apply(w, actor, row, patch, 'update', { clock: moved });
        if (moved) await event(w, id, { kind: 'change', visibility: 'public', data: { event: 'discovered_changed', previousAt: row.discoveredAt, correctedAt: patch.discoveredAt } });
      });
      return detail(actor, id);
    },

    /** recognize / contain / remove-threat / close, with an optional note (a public timeline entry) and an earlier instant. */
    async command(actor: Actor, id: string, command: SecurityCommand, input: { note?: string; at?: number }): Promise<SecurityIncidentBundle> {
      authorize(actor, 'security_incident.lifecycle');
      await uow.command(actor, async (w) => {
        const row = await locked(w, actor, id);
        const at = checkAt(input.at, row, w.now);
        const hasFinal = command === 'close' && fromFlag(row.inScope) && (await repo.reportsOf(w.tx, id)).some((r) => r.kind === 'final');
        const patch = commandPatch(row, command, at, actor.userId, hasFinal);
        await apply(w, actor, row, patch, command);
        await event(w, id, { kind: 'transition', visibility: 'public', at, body: input.note ?? '', data: { event: command } });
      });
      return detail(actor, id);
    },

    /** In scope, or out of scope with one of the seed's conditions and a reason; the record stays either way. */
    async setScope(actor: Actor, id: string, input: { inScope: boolean; condition?: string; reason?: string }): Promise<SecurityIncidentBundle> {
      authorize(actor, 'security_incident.scope');
      const issues: ErrorIssue[] = [];
      if (!input.inScope && !input.condition) issues.push(issue(['condition'], 'required', 'say which out-of-scope condition applies', { rule: 'required_out_of_scope' }));
      if (!input.inScope && !input.reason?.trim()) issues.push(issue(['reason'], 'required', 'say why', { rule: 'required_out_of_scope' }));
      if (issues.length) throw invalid('security_incident.invalid', issues);
      await uow.command(actor, async (w) => {
        const row = await locked(w, actor, id);
        await apply(w, actor, row, {
          inScope: toFlag(input.inScope),
          outOfScopeCondition: input.inScope ? null : input.condition!,
          scopeReason: input.reason?.trim() || null,
          scopeDecidedAt: w.now,
          scopeDecidedBy: actor.userId,
        }, 'scope');
        await event(w, id, {
          kind: 'scope', visibility: 'public', body: input.reason?.trim() ?? '',
          data: { event: input.inScope ? 'scope.in' : 'scope.out', condition: input.inScope ? null : input.condition },
        });
      });
      return detail(actor, id);
    },

    async addAction(actor: Actor, id: string, input: { body: string; visibility: 'public' | 'internal'; at?: number }): Promise<SecurityIncidentBundle> {
      authorize(actor, 'security_incident.action');
      await uow.command(actor, async (w) => {
        const row = await locked(w, actor, id);
        const at = checkAt(input.at, row, w.now);
        const eventId = uuidv7();
        await repo.insertEvent(w.tx, {
          id: eventId, securityIncidentId: id, at, recordedAt: w.now, kind: 'action', visibility: input.visibility,
          authorId: actor.userId, body: input.body, data: null,
        });
        await repo.updateIncident(w.tx, id, { updatedAt: w.now });
        w.audit({ entity: 'security_incident', entityId: id, action: 'action', after: { eventId, at, visibility: input.visibility, body: input.body } });
      });
      return detail(actor, id);
    },

    /**
     * Issues a dated report the client sees in the portal and receives by e-mail. Order: one
     * first report (it meets the report clock), then follow-ups, then one final report once the
     * threat is removed (out of scope, whenever the desk concludes); nothing after the final.
     */
    async issueReport(actor: Actor, id: string, input: { kind: ReportKind; title: string; body: string }): Promise<{ bundle: SecurityIncidentBundle; reportId: string }> {
      authorize(actor, 'security_incident.report');
      const reportId = uuidv7();
      await uow.command(actor, async (w) => {
        const row = await locked(w, actor, id);
        const reports = await repo.reportsOf(w.tx, id);
        checkReportOrder(row, reports, input.kind);

        let after = row;
        if (input.kind === 'first') {
          after = await apply(w, actor, row, { reportedAt: w.now, reportedBy: actor.userId }, 'report.first', { clock: true });
        }
        const instants = {
          occurred: after.occurredAt, discovered: after.discoveredAt, recognized: after.recognizedAt, reported: after.reportedAt,
          contained: after.containedAt, threatRemoved: after.threatRemovedAt, closed: after.closedAt,
        };
        const report: repo.ReportRow = {
          id: reportId, securityIncidentId: id, kind: input.kind, seq: reports.length + 1, title: input.title.trim(), body: input.body,
          snapshot: JSON.stringify({ status: after.status, instants, inScope: fromFlag(after.inScope) }),
          issuedAt: w.now, issuedBy: actor.userId,
        };
        await repo.insertReport(w.tx, report);
        const to = await mailReport(w.tx, { incident: after, report }, w.now);
        await event(w, id, { kind: 'report', visibility: 'public', body: report.title, data: { event: `report.${input.kind}`, reportId, seq: report.seq } });
        w.audit({ entity: 'security_report', entityId: reportId, action: 'issue', after: { ...report, mailedTo: to } });
        if (input.kind !== 'first') await repo.updateIncident(w.tx, id, { updatedAt: w.now });
      });
      return { bundle: await detail(actor, id), reportId };
    },

    /** A contact read the report in the portal (the first read of each contact is recorded; later ones change nothing). */
    async markRead(actor: Actor, id: string, reportId: string): Promise<SecurityIncidentBundle> {
      authorize(actor, 'security_report.mark_read');
      await uow.command(actor, async (w) => {
        authorize(actor, 'security_incident.read', await repo.findIncident(w.tx, id, clientScope(actor)));
        const report = (await repo.reportsOf(w.tx, id)).find((r) => r.id === reportId);
        if (!report) throw notFound('security_report');
        if (!(await repo.insertRead(w.tx, { reportId, userId: actor.userId, readAt: w.now }))) return w.unchanged();
        w.audit({ entity: 'security_report', entityId: reportId, action: 'read', after: { userId: actor.userId, readAt: w.now } });
      });
      return detail(actor, id);
    },

    /** A link (kind + id) to what the incident led to or came from: a record of the same client the actor may see. */
    async addLink(actor: Actor, id: string, input: { kind: LinkKind; targetId: string; note?: string }): Promise<SecurityIncidentBundle> {
      authorize(actor, 'security_incident.link');
      // Looked up before the unit (another module's read, not part of this write); checked against the locked row.
      const target = await o.linkTargets[input.kind](actor, input.targetId);
      await uow.command(actor, async (w) => {
        const row = await locked(w, actor, id);
        checkLinkTarget(row, input.kind, input.targetId, target);
        if (await repo.findLink(w.tx, id, input.kind, input.targetId)) throw new AppError('security_incident.link_exists', 'already linked');
        const link = { id: uuidv7(), securityIncidentId: id, kind: input.kind, targetId: input.targetId, note: input.note ?? '', createdAt: w.now, createdBy: actor.userId };
        await repo.insertLink(w.tx, link);
        await event(w, id, { kind: 'link', visibility: 'internal', body: link.note, data: { event: 'link', linkKind: link.kind, targetId: link.targetId } });
        w.audit({ entity: 'security_incident', entityId: id, action: 'link', after: link });
      });
      return detail(actor, id);
    },
  };
}
