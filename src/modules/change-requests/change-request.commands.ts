/**
 * Change requests (変更要求, SPEC §6, issue 13): filing and the text commands. A request is
 * filed by a contact in the portal, by an agent (a call, or an incident of category "change
 * request" converted: the incident links to it and is closed), or over the API; the desk
 * judges feasibility against the SLA policy's target (timers in change-request.jobs.ts),
 * asks for clarification (the feasibility clock pauses), starts the work, and the client
 * confirms it (検収) or the request is closed / withdrawn. Also the contract's settings.
 * Proposals and approvals: change-request.proposals.ts; scheduling, finishing and the
 * timers' work: change-request.delivery.ts. The lifecycle is the table in
 * src/contract/change-request-lifecycle.ts.
 */
import { uuidv7 } from 'uuidv7';
import { toFlag, type ServiceDeps } from '../../db/tx.ts';
import type { Work } from '../../db/unit-of-work.ts';
import { AppError } from '../../errors.ts';
import { t } from '../../i18n/index.ts';
import type { Actor } from '../auth/actor.ts';
import { SYSTEM_ACTOR } from '../auth/actor.ts';
import { isStaff } from '../auth/access.ts';
import { authorize } from '../auth/authorize.ts';
import { contractCoversSystem, loadContractTerms } from '../contracts/contract.service.ts';
import type { IncidentService } from '../incidents/incident.service.ts';
import { recordWorkIn } from '../maintenance/maintenance.windows-in.ts';
import { loadPolicyVersion } from '../sla-policies/sla-policy.service.ts';
import { cancelConfirmationTimeout, syncTimers } from './change-request.jobs.ts';
import type { ChangeDetail } from './change-request.queries.ts';
import {
  authorizeCommand, createIssues, DEFAULT_CONFIRMATION_BUSINESS_DAYS, FINAL, invalid, issue, ref, step,
  type CreateChangeInput, type TextCommand,
} from './change-request.rules.ts';
import { actorName, changeUnit, event, rearmFeasibility, save } from './change-request.unit.ts';
import * as repo from './change-request.repository.ts';

export function createChangeRequestCommands(deps: ServiceDeps, collaborators: { incidents: IncidentService }) {
  const { db } = deps;
  const { uow, fresh, mutate } = changeUnit(deps);

  /** Files a change request inside a unit already open (the incident conversion). */
  async function createIn(w: Work<Actor>, input: CreateChangeInput): Promise<repo.ChangeRow> {
    const { tx, actor, now } = w;
    authorize(actor, 'change_request.create');
    const staff = isStaff(actor);
    if (staff && (input.requesterContactId || input.receivedAt !== undefined)) authorize(actor, 'change_request.create_for');
    const issues = createIssues(input, staff, now);
    if (issues.length) throw invalid(issues);

    // Scoped: a contact naming another client's contract gets contract.not_found.
    const contract = await loadContractTerms(tx, actor, input.contractId);
    const systemIds = [...new Set(input.systemIds ?? [])];
    for (const [i, s] of systemIds.entries()) {
      if (!(await contractCoversSystem(tx, contract.id, s))) issues.push(issue(['systemIds', i], 'not_found', 'not a system of this contract'));
    }
    let contactId: string | null = null;
    let requesterName: string | null = null;
    if (!staff) {
      const u = await repo.userById(tx, actor.userId);
      requesterName = u?.name ?? null;
      contactId = u ? (await repo.contactByEmail(tx, contract.clientId, u.email))?.id ?? null : null;
    } else if (input.requesterContactId) {
      const c = await repo.contactById(tx, input.requesterContactId);
      if (!c || c.clientId !== contract.clientId) issues.push(issue(['requesterContactId'], 'not_found', 'no such contact of this client'));
      else {
        contactId = c.id;
        requesterName = c.name;
      }
    } else {
      requesterName = await actorName(tx, actor);
    }
    if (issues.length) throw invalid(issues);

    const policy = (await loadPolicyVersion(tx, contract.slaPolicyId, contract.slaPolicyVersion)).document;
    const target = policy.changeRequests?.feasibility ?? null;
    const channel = input.channel ?? (staff ? 'phone' : 'portal');
    let row: repo.ChangeRow = {
      id: uuidv7(), number: await repo.nextNumber(tx), contractId: contract.id, clientId: contract.clientId,
      title: input.title.trim(), description: input.description ?? '', reason: input.reason ?? '', desiredDate: input.desiredDate ?? null,
      channel, requestedByUserId: actor === SYSTEM_ACTOR ? null : actor.userId, requestedByContactId: contactId, requesterName,
      requestedByStaff: toFlag(staff && contactId === null), sourceIncidentId: input.sourceIncidentId ?? null, status: 'requested',
      slaPolicyId: contract.slaPolicyId, slaPolicyVersion: contract.slaPolicyVersion, calendarId: contract.calendarId,
      receivedAt: input.receivedAt ?? now, feasibility: null, feasibilityReason: null, feasibilityAt: null, feasibilityBy: null,
      feasibilityTarget: target ? JSON.stringify(target) : null, feasibilityDueAt: null, feasibilityAtRiskAt: null,
      feasibilityAtRiskFiredAt: null, feasibilityBreachedFiredAt: null, windowStartsAt: null, windowEndsAt: null,
      maintenanceWindowId: null, scheduledAt: null, startedAt: null, finishedAt: null, outcome: null, actualEffortCenti: null,
      resultNotes: null, confirmationDueAt: null, confirmedAt: null, confirmedBy: null, confirmationComment: null, autoClosed: 0,
      closedAt: null, createdBy: actor.userId, createdAt: now, updatedAt: now,
    };
    await repo.insertChange(tx, row, systemIds);
    row = await rearmFeasibility(w, row);
    await repo.updateChange(tx, row.id, { feasibilityDueAt: row.feasibilityDueAt, feasibilityAtRiskAt: row.feasibilityAtRiskAt });
    await event(w, row, 'created', row.description, { channel, sourceIncidentId: row.sourceIncidentId });
    w.audit({ entity: 'change_request', entityId: row.id, action: 'create', after: row });
    return row;
  }

  /** A text command of the lifecycle table, applied to a loaded, locked row. */
  async function applyText(w: Work<Actor>, row: repo.ChangeRow, command: TextCommand, text: string | undefined): Promise<void> {
    const { tx, now, actor } = w;
    const to = step(row.status, command, actor);
    const body = text?.trim() ?? '';
    const required: TextCommand[] = ['judge_not_feasible', 'ask_clarification', 'clarify', 'withdraw'];
    if (required.includes(command) && !body) throw invalid([issue(['text'], 'required', `required to ${command}`)]);
    let after: repo.ChangeRow = { ...row, status: to };
    let paused = row.status === 'needs_clarification';
    switch (command) {
      case 'judge_feasible':
      case 'judge_not_feasible':
        after = { ...after, feasibility: command === 'judge_feasible' ? 'feasible' : 'not_feasible', feasibilityReason: body || null, feasibilityAt: now, feasibilityBy: actor.userId };
        if (paused) await repo.closeOpenPause(tx, row.id, now);
        paused = false;
        break;
      case 'ask_clarification':
        await repo.insertPause(tx, { id: uuidv7(), changeRequestId: row.id, startedAt: now, endedAt: null, reason: body });
        paused = true;
        break;
      case 'clarify':
        await repo.closeOpenPause(tx, row.id, now);
        paused = false;
        break;
      case 'start':
        after = { ...after, startedAt: now };
        if (row.maintenanceWindowId) await recordWorkIn(w, row.maintenanceWindowId, 'start', now);
        break;
      case 'confirm':
        after = { ...after, confirmedAt: now, confirmedBy: actor.userId, confirmationComment: body || null, closedAt: now };
        await cancelConfirmationTimeout(tx, row.id);
        break;
      case 'close':
        after = { ...after, closedAt: now };
        break;
      case 'withdraw':
        after = { ...after, closedAt: now };
        if (paused) await repo.closeOpenPause(tx, row.id, now);
        break;
    }
    if (command === 'clarify' || command === 'ask_clarification') after = await rearmFeasibility(w, after);
    else if (after.feasibilityAt !== null || FINAL(after.status)) await syncTimers(tx, after, paused, now);
    await save(w, row, after, command);
    await event(w, after, command, body, { from: row.status, to });
  }

  return {
    createIn,

    async create(actor: Actor, input: CreateChangeInput): Promise<ChangeDetail> {
      return uow.command(actor, async (w) => fresh(w, (await createIn(w, input)).id), { name: 'change_request.create' });
    },

    /**
     * An incident of category "change request" becomes a change request: the request
     * names the incident, the incident gets a message naming the request and is closed
     * as "moved to change request" — one unit of work.
     */
    async convertIncident(actor: Actor, input: { incidentId: string; reason?: string; desiredDate?: string | null }): Promise<ChangeDetail> {
      authorize(actor, 'change_request.convert');
      const incident = await collaborators.incidents.get(actor, input.incidentId);
      if (incident.category !== 'change_request' || incident.status === 'closed') {
        throw new AppError('change_request.not_a_change', 'only an open incident of category change_request', [], { category: incident.category, status: incident.status });
      }
      return uow.command(actor, async (w) => {
        if (await repo.findBySourceIncident(w.tx, incident.id)) throw new AppError('change_request.not_a_change', 'already converted');
        const row = await createIn(w, {
          contractId: incident.contractId, systemIds: incident.systemId ? [incident.systemId] : [], title: incident.title,
          description: incident.description, reason: input.reason ?? '', desiredDate: input.desiredDate ?? null, channel: 'incident',
          sourceIncidentId: incident.id, requesterContactId: incident.reporter.contactId, receivedAt: incident.receivedAt,
        });
        const moved = t('ja', 'change.movedToChange', { ref: ref(row.number) });
        const inc = collaborators.incidents;
        await inc.addCommentIn(w, incident.id, { body: moved });
        if (incident.status === 'new') await inc.changeStatusIn(w, incident.id, { to: 'recognized' });
        if (incident.status !== 'resolved') {
          await inc.changeStatusIn(w, incident.id, { to: 'resolved', resolution: { cause: t('ja', 'change.movedCause'), fix: moved, course: moved } });
        }
        await inc.changeStatusIn(w, incident.id, { to: 'closed', reason: moved });
        return fresh(w, row.id);
      }, { name: 'change_request.convert' });
    },

    /** A command of the lifecycle whose only input is a text: judge, clarify, start, confirm, close, withdraw. */
    async command(actor: Actor, id: string, command: TextCommand, input: { text?: string | undefined } = {}): Promise<ChangeDetail> {
      authorizeCommand(actor, command);
      return mutate(actor, id, command, async (w, row) => {
        await applyText(w, row, command, input.text);
        return fresh(w, id);
      });
    },

    async comment(actor: Actor, id: string, input: { body: string }): Promise<ChangeDetail> {
      authorize(actor, 'change_request.comment');
      if (!input.body?.trim()) throw invalid([issue(['body'], 'required', 'required')]);
      return mutate(actor, id, 'comment', async (w, row) => {
        const eventId = await event(w, row, 'comment', input.body.trim());
        await repo.updateChange(w.tx, row.id, { updatedAt: w.now });
        w.audit({ entity: 'change_request', entityId: row.id, action: 'comment', after: { eventId, body: input.body.trim() } });
        return fresh(w, id);
      });
    },

    async getSettings(actor: Actor, contractId: string): Promise<{ contractId: string; deputiesMayApprove: boolean; confirmationBusinessDays: number }> {
      authorize(actor, 'change_request.read_settings');
      const c = await loadContractTerms(db, actor, contractId);
      const s = await repo.findSettings(db, c.id);
      return { contractId: c.id, deputiesMayApprove: s?.deputiesMayApprove === 1, confirmationBusinessDays: s?.confirmationBusinessDays ?? DEFAULT_CONFIRMATION_BUSINESS_DAYS };
    },

    async updateSettings(actor: Actor, contractId: string, input: { deputiesMayApprove?: boolean; confirmationBusinessDays?: number }) {
      authorize(actor, 'change_request.update_settings');
      if (input.confirmationBusinessDays !== undefined && !(Number.isInteger(input.confirmationBusinessDays) && input.confirmationBusinessDays >= 1 && input.confirmationBusinessDays <= 60)) {
        throw invalid([issue(['confirmationBusinessDays'], 'invalid', 'an integer 1..60')]);
      }
      await uow.command(actor, async (w) => {
        const c = await loadContractTerms(w.tx, actor, contractId);
        const before = await repo.findSettings(w.tx, c.id);
        const row: repo.SettingsRow = {
          contractId: c.id,
          deputiesMayApprove: toFlag(input.deputiesMayApprove ?? before?.deputiesMayApprove === 1),
          confirmationBusinessDays: input.confirmationBusinessDays ?? before?.confirmationBusinessDays ?? DEFAULT_CONFIRMATION_BUSINESS_DAYS,
          updatedAt: w.now,
        };
        await repo.upsertSettings(w.tx, row);
        w.audit({ entity: 'change_settings', entityId: c.id, action: 'update', before: before ?? null, after: row });
      }, { name: 'change_request.settings' });
      return this.getSettings(actor, contractId);
    },
  };
}
