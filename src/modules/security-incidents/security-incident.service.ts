/**
 * Security incidents (issue 14): record, lifecycle (recognize → contain → remove the
 * threat → close), scope decision, timeline of actions, the dated reports to the client
 * (第一報・続報・最終報告) with the report clock they meet, evidence with its chain of
 * custody, and generic links to risks / change requests / incidents (stored as kind + id;
 * calling those modules' services is left to the composition, issue 14's risk half).
 *
 * Every write is one unit of work with its audit entries; every change that moves the
 * report clock rewrites its timer jobs in the same transaction.
 */
import { uuidv7 } from 'uuidv7';
import { DEFAULT_REPORT_TARGET } from '../../core/security/index.ts';
import { AppError, notFound, type ErrorCode, type ErrorIssue, type IssueCode, type IssueParams } from '../../errors.ts';
import {
  SECURITY_TRANSITIONS, type ReportKind, type SecurityCommand, type SecurityKind,
} from '../../contract/security-incidents.ts';
import type { Executor } from '../../db/database.ts';
import type { RowUpdate } from '../../db/schema.ts';
import { fromFlag, toFlag, type ServiceDeps } from '../../db/tx.ts';
import { unitOfWork, type Work } from '../../db/unit-of-work.ts';
import type { Actor } from '../auth/actor.ts';
import { clientScope, isStaff } from '../auth/access.ts';
import { authorize, may } from '../auth/authorize.ts';
import { loadWorkingCalendar } from '../calendars/calendar.service.ts';
import { contractCoversSystem, loadContractTerms } from '../contracts/contract.service.ts';
import { loadPolicyVersion } from '../sla-policies/sla-policy.service.ts';
import { rederiveClock, type ReportTargetSpec } from './security-incident.clock.ts';
import { sha256Hex, type FileStore } from '../../db/file-store.ts';
import { syncTimers } from './security-incident.jobs.ts';
import { mailReport, reportMailKey } from './security-incident.mail.ts';
import { deliveriesOf, type Delivery } from '../mail/mail.outbound.ts';
import * as repo from './security-incident.repository.ts';

export type SecurityIncidentRow = repo.SecurityIncidentRow;

/** Everything the detail view needs, read in one go. */
export interface SecurityIncidentBundle {
  row: SecurityIncidentRow;
  events: repo.EventRow[];
  reports: repo.ReportRow[];
  reads: repo.ReadRow[];
  /** The reports' e-mails by report id (staff). */
  deliveries: Map<string, Delivery[]>;
  evidence: repo.EvidenceRow[];
  custody: repo.CustodyRow[];
  links: repo.LinkRow[];
  names: Map<string, string>;
  /** Staff: internal entries, unshared evidence, custody, links, commands. */
  internal: boolean;
  now: number;
}

export interface CreateSecurityIncidentInput {
  contractId: string;
  kind: SecurityKind;
  title: string;
  description?: string;
  systemId?: string;
  personalData?: boolean;
  occurredAt?: number;
  discoveredAt?: number;
}

export interface UpdateSecurityIncidentInput {
  kind?: SecurityKind;
  title?: string;
  description?: string;
  systemId?: string | null;
  personalData?: boolean;
  occurredAt?: number | null;
  discoveredAt?: number;
}

export interface ListInput {
  status?: string;
  open?: boolean;
  contractId?: string;
  clientId?: string;
  limit: number;
}

/**
 * How a link's target is looked up, per kind: the record's client, or null when there is no such
 * record the actor may see. The composition root passes the lookups of the modules it has (the
 * incident service; the risk and change-request services once merged); a kind without one is
 * stored as given.
 */
export type LinkTargetLookup = (actor: Actor, id: string) => Promise<{ clientId: string } | null>;
export type LinkTargets = Partial<Record<'risk' | 'change_request' | 'incident', LinkTargetLookup>>;

const issue = (path: (string | number)[], code: IssueCode, message: string, params?: IssueParams): ErrorIssue => ({ path, code, message, ...(params ? { params } : {}) });
const invalid = (code: ErrorCode, issues: ErrorIssue[]) => new AppError(code, issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), issues);

/** The instant columns of each command (who recorded it goes beside). */
const COMMAND_INSTANT = {
  contain: ['containedAt', 'containedBy'],
  'remove-threat': ['threatRemovedAt', 'threatRemovedBy'],
  close: ['closedAt', 'closedBy'],
} as const;

export function createSecurityIncidentService(deps: ServiceDeps, o: { evidence: FileStore; linkTargets?: LinkTargets }) {
  const { db, clock } = deps;
  const uow = deps.uow ?? unitOfWork(db, clock);

  async function bundle(ex: Executor, actor: Actor, row: SecurityIncidentRow, now: number): Promise<SecurityIncidentBundle> {
    const internal = may(actor, 'security_incident.read_internal');
    const [events, reports, evidence, links] = await Promise.all([
      repo.eventsOf(ex, row.id, internal),
      repo.reportsOf(ex, row.id),
      repo.evidenceOf(ex, row.id, !internal),
      internal ? repo.linksOf(ex, row.id) : Promise.resolve([]),
    ]);
    let reads = await repo.readsOf(ex, reports.map((r) => r.id));
    // A contact sees their own read, not who else of their company read it.
    if (!internal) reads = reads.filter((r) => r.userId === actor.userId);
    const custody = internal ? await repo.custodyOf(ex, evidence.map((e) => e.id)) : [];
    const mails = internal ? await deliveriesOf(ex, reports.map((r) => reportMailKey(r.id))) : new Map<string, Delivery[]>();
    const deliveries = new Map(reports.map((r) => [r.id, mails.get(reportMailKey(r.id)) ?? []]));
    const ids = [
      row.occurredBy, row.discoveredBy, row.recognizedBy, row.reportedBy, row.containedBy, row.threatRemovedBy, row.closedBy, row.scopeDecidedBy,
      ...events.map((e) => e.authorId), ...reports.map((r) => r.issuedBy), ...reads.map((r) => r.userId),
      ...evidence.map((e) => e.uploadedBy), ...custody.map((c) => c.actorId), ...links.map((l) => l.createdBy),
    ].filter((x): x is string => x !== null);
    return { row, events, reports, reads, deliveries, evidence, custody, links, names: await repo.userNames(ex, ids), internal, now };
  }

  /** Loads the record for a change, locked (the caller checked the role: another client's row is then not found). */
  async function locked(w: Work, actor: Actor, id: string): Promise<SecurityIncidentRow> {
    return authorize(actor, 'security_incident.read', await repo.findIncident(w.tx, id, clientScope(actor), true));
  }

  /** Applies a patch, re-derives the clock when asked, rewrites the timers, audits, and answers with the new bundle. */
  async function apply(
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

  async function event(w: Work, id: string, e: { kind: repo.EventRow['kind']; visibility: 'public' | 'internal'; body?: string; at?: number; data: Record<string, unknown> }) {
    await repo.insertEvent(w.tx, {
      id: uuidv7(), securityIncidentId: id, at: e.at ?? w.now, recordedAt: w.now, kind: e.kind, visibility: e.visibility,
      authorId: w.actor.userId, body: e.body ?? '', data: JSON.stringify(e.data),
    });
  }

  /** An instant given for something done earlier: not in the future, not before discovery. */
  function checkAt(at: number | undefined, row: SecurityIncidentRow, now: number, field = 'at'): number {
    if (at === undefined) return now;
    if (at > now) throw invalid('security_incident.invalid', [issue([field], 'invalid', 'must not be in the future', { rule: 'not_in_future' })]);
    if (row.discoveredAt !== null && at < row.discoveredAt) {
      throw invalid('security_incident.invalid', [issue([field], 'invalid', 'must not be before discovery', { rule: 'not_before_start' })]);
    }
    return at;
  }

  async function detail(actor: Actor, id: string, ex: Executor = db): Promise<SecurityIncidentBundle> {
    const row = authorize(actor, 'security_incident.read', await repo.findIncident(ex, id, clientScope(actor)));
    return bundle(ex, actor, row, clock());
  }

  return {
    evidenceStore: o.evidence,
    /** "Now" for presenting clock states in lists. */
    clock,

    async list(actor: Actor, f: ListInput): Promise<SecurityIncidentRow[]> {
      authorize(actor, 'security_incident.list');
      return repo.listIncidents(db, { ...f, scope: clientScope(actor) });
    },

    get: (actor: Actor, id: string) => detail(actor, id),

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
        if (discoveredAt > now) issues.push(issue(['discoveredAt'], 'invalid', 'must not be in the future', { rule: 'not_in_future' }));
        if (input.occurredAt !== undefined) {
          if (input.occurredAt > now) issues.push(issue(['occurredAt'], 'invalid', 'must not be in the future', { rule: 'not_in_future' }));
          else if (input.occurredAt > discoveredAt) issues.push(issue(['discoveredAt'], 'invalid', 'must not be before it occurred', { rule: 'not_before_start' }));
        }
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
        const discoveredAt = input.discoveredAt ?? row.discoveredAt;
        const occurredAt = input.occurredAt !== undefined ? input.occurredAt : row.occurredAt;
        if (input.discoveredAt !== undefined && input.discoveredAt > w.now) issues.push(issue(['discoveredAt'], 'invalid', 'must not be in the future', { rule: 'not_in_future' }));
        if (input.occurredAt != null && input.occurredAt > w.now) issues.push(issue(['occurredAt'], 'invalid', 'must not be in the future', { rule: 'not_in_future' }));
        if (occurredAt !== null && discoveredAt !== null && occurredAt > discoveredAt) issues.push(issue(['discoveredAt'], 'invalid', 'must not be before it occurred', { rule: 'not_before_start' }));
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
        let patch: RowUpdate<'securityIncidents'>;
        if (command === 'recognize') {
          if (row.recognizedAt !== null) throw new AppError('security_incident.already_recognized', 'already recognized');
          patch = { recognizedAt: at, recognizedBy: actor.userId };
        } else {
          const rule = SECURITY_TRANSITIONS[command];
          if (!rule.from.includes(row.status as never)) {
            throw new AppError('security_incident.invalid_transition', `cannot ${command} from ${row.status}`, [], { command, status: row.status });
          }
          if (command === 'close' && fromFlag(row.inScope)) {
            const reports = await repo.reportsOf(w.tx, id);
            if (!reports.some((r) => r.kind === 'final')) throw new AppError('security_incident.final_report_required', 'issue the final report first');
          }
          const [atCol, byCol] = COMMAND_INSTANT[command];
          patch = { status: rule.to, [atCol]: at, [byCol]: actor.userId };
        }
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
        if (row.recognizedAt === null) throw new AppError('security_report.not_recognized', 'recognize the incident first');
        const reports = await repo.reportsOf(w.tx, id);
        if (reports.some((r) => r.kind === 'final')) throw new AppError('security_report.after_final', 'the final report was issued');
        if (input.kind === 'first' && reports.length > 0) throw new AppError('security_report.first_exists', 'a first report was issued');
        if (input.kind !== 'first' && reports.length === 0) throw new AppError('security_report.first_required', 'issue the first report first');
        if (input.kind === 'final' && fromFlag(row.inScope) && row.threatRemovedAt === null) throw new AppError('security_report.threat_not_removed', 'remove the threat first');

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

    async uploadEvidence(actor: Actor, id: string, input: { fileName: string; mediaType: string; content: Buffer; description?: string; shared?: boolean }): Promise<{ bundle: SecurityIncidentBundle; evidenceId: string }> {
      authorize(actor, 'security_evidence.upload');
      if (input.content.length === 0) throw invalid('security_evidence.invalid', [issue(['contentBase64'], 'too_small', 'the file is empty')]);
      // Seen before writing anything: another client's id is not found, with no file left behind.
      authorize(actor, 'security_incident.read', await repo.findIncident(db, id, clientScope(actor)));
      // The bytes go to the store first; a transaction that then fails leaves an unreferenced file, never a row without its file.
      const stored = await o.evidence.put(input.content);
      const evidenceId = uuidv7();
      await uow.command(actor, async (w) => {
        const row = await locked(w, actor, id);
        const ev: repo.EvidenceRow = {
          id: evidenceId, securityIncidentId: id, clientId: row.clientId, fileName: input.fileName, mediaType: input.mediaType,
          sizeBytes: input.content.length, sha256: stored.sha256, storageKey: stored.storageKey, description: input.description ?? '',
          shared: toFlag(input.shared ?? false), uploadedAt: w.now, uploadedBy: actor.userId,
        };
        await repo.insertEvidence(w.tx, ev);
        await repo.insertCustody(w.tx, { id: uuidv7(), evidenceId, at: w.now, actorId: actor.userId, action: 'collected', note: `sha256 ${stored.sha256}` });
        if (ev.shared) await repo.insertCustody(w.tx, { id: uuidv7(), evidenceId, at: w.now, actorId: actor.userId, action: 'shared', note: '' });
        await event(w, id, { kind: 'evidence', visibility: ev.shared ? 'public' : 'internal', body: ev.fileName, data: { event: 'evidence.collected', evidenceId, sha256: ev.sha256 } });
        await repo.updateIncident(w.tx, id, { updatedAt: w.now });
        // Under the incident: the evidence is part of its record (the evidence id is in the entry).
        w.audit({ entity: 'security_incident', entityId: id, action: 'evidence.collect', after: ev });
      });
      return { bundle: await detail(actor, id), evidenceId };
    },

    /** The bytes of a piece of evidence, hashed again: a file that no longer matches its SHA-256 (or is gone) is refused. */
    async downloadEvidence(actor: Actor, id: string, evidenceId: string): Promise<{ evidence: repo.EvidenceRow; bytes: Buffer }> {
      authorize(actor, 'security_evidence.download');
      authorize(actor, 'security_incident.read', await repo.findIncident(db, id, clientScope(actor)));
      const ev = await repo.findEvidence(db, id, evidenceId);
      if (!ev || (!may(actor, 'security_incident.read_internal') && !fromFlag(ev.shared))) throw notFound('security_evidence');
      const bytes = await o.evidence.get(ev.storageKey);
      if (!bytes || sha256Hex(bytes) !== ev.sha256) {
        throw new AppError('security_evidence.checksum_mismatch', `evidence ${evidenceId}: stored file does not match sha256 ${ev.sha256}`, [], { fileName: ev.fileName });
      }
      return { evidence: ev, bytes };
    },

    /**
     * Checks the stored bytes against their SHA-256 and writes the outcome into the chain of
     * custody (verified / verify_failed): an integrity check on record, unlike a download.
     */
    async verifyEvidence(actor: Actor, id: string, evidenceId: string): Promise<SecurityIncidentBundle> {
      authorize(actor, 'security_evidence.verify');
      await uow.command(actor, async (w) => {
        await locked(w, actor, id);
        const ev = await repo.findEvidence(w.tx, id, evidenceId);
        if (!ev) throw notFound('security_evidence');
        const bytes = await o.evidence.get(ev.storageKey);
        const actual = bytes ? sha256Hex(bytes) : null;
        const ok = actual === ev.sha256;
        const note = ok ? `sha256 ${actual}` : actual === null ? 'stored file missing' : `sha256 ${actual} ≠ ${ev.sha256}`;
        const entry = { id: uuidv7(), evidenceId, at: w.now, actorId: actor.userId, action: ok ? 'verified' : 'verify_failed', note };
        await repo.insertCustody(w.tx, entry);
        w.audit({ entity: 'security_evidence', entityId: evidenceId, action: `custody.${entry.action}`, after: entry });
      });
      return detail(actor, id);
    },

    async shareEvidence(actor: Actor, id: string, evidenceId: string, shared: boolean): Promise<SecurityIncidentBundle> {
      authorize(actor, 'security_evidence.share');
      await uow.command(actor, async (w) => {
        await locked(w, actor, id);
        const ev = await repo.findEvidence(w.tx, id, evidenceId);
        if (!ev) throw notFound('security_evidence');
        if (fromFlag(ev.shared) === shared) return w.unchanged();
        await repo.updateEvidence(w.tx, evidenceId, { shared: toFlag(shared) });
        await repo.insertCustody(w.tx, { id: uuidv7(), evidenceId, at: w.now, actorId: actor.userId, action: shared ? 'shared' : 'unshared', note: '' });
        w.audit({ entity: 'security_evidence', entityId: evidenceId, action: shared ? 'share' : 'unshare', before: { shared: ev.shared }, after: { shared: toFlag(shared) } });
      });
      return detail(actor, id);
    },

    async addCustody(actor: Actor, id: string, evidenceId: string, input: { action: string; note: string }): Promise<SecurityIncidentBundle> {
      authorize(actor, 'security_evidence.custody');
      await uow.command(actor, async (w) => {
        await locked(w, actor, id);
        const ev = await repo.findEvidence(w.tx, id, evidenceId);
        if (!ev) throw notFound('security_evidence');
        const entry = { id: uuidv7(), evidenceId, at: w.now, actorId: actor.userId, action: input.action, note: input.note };
        await repo.insertCustody(w.tx, entry);
        w.audit({ entity: 'security_evidence', entityId: evidenceId, action: `custody.${input.action}`, after: entry });
      });
      return detail(actor, id);
    },

    /** A generic link (kind + id): what the incident led to or came from. The target's own module is not asked here. */
    async addLink(actor: Actor, id: string, input: { kind: string; targetId: string; note?: string }): Promise<SecurityIncidentBundle> {
      authorize(actor, 'security_incident.link');
      // Looked up before the unit (another module's read, not part of this write): it must exist and be of the same client.
      const lookup = o.linkTargets?.[input.kind as keyof LinkTargets];
      const target = lookup ? await lookup(actor, input.targetId) : undefined;
      await uow.command(actor, async (w) => {
        const row = await locked(w, actor, id);
        if (target === null || (target && target.clientId !== row.clientId)) {
          throw invalid('security_incident.invalid', [issue(['targetId'], 'not_found', `no ${input.kind} ${input.targetId} of this client`)]);
        }
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
export type SecurityIncidentService = ReturnType<typeof createSecurityIncidentService>;
