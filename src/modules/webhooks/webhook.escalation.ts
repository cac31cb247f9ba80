/**
 * Escalation rules at work (SPEC §3; rules in src/contract/webhooks.ts, per contract or the
 * default). Planned from audit entries, like webhook events (the same audit sink): an
 * incident's `sla.breached` entry enqueues level 1 of that target, and an urgent incident
 * filed (or raised to urgent) without an assignee enqueues the "unassigned" check M minutes
 * after it was received. Each job re-reads the incident and does nothing when the reason has
 * gone (met, resolved, assigned); otherwise, in one unit: a timeline entry (internal, kind `escalation`), the
 * audit entry `escalate` (which the webhooks turn into `sla.escalated`), the e-mails, and the
 * next level's job N business hours later (24/7 targets: N hours).
 * Quiet hours as the SLA notices: a business-hours target's mail waits for the contract
 * calendar's next opening unless the policy asks to notify while closed.
 */
import { uuidv7 } from 'uuidv7';
import type { Kysely } from 'kysely';
import { nextOpening } from '../../core/sla/index.ts';
import type { Executor } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { unitOfWork, type AuditedUnit } from '../../db/unit-of-work.ts';
import { DEFAULT_LOCALE, t, tLabel, type Locale } from '../../i18n/index.ts';
import { when } from '../../i18n/when.ts';
import { enqueue } from '../../jobs/queue.ts';
import type { JobHandler } from '../../jobs/runner.ts';
import { SYSTEM_ACTOR } from '../auth/actor.ts';
import { loadWorkingCalendar } from '../calendars/calendar.service.ts';
import { enqueueMail } from '../mail/mail.outbound.ts';
import { loadPolicyVersion } from '../sla-policies/sla-policy.service.ts';
import { loadEscalationRules } from './webhook.service.ts';

export const ESCALATION_JOB = 'escalation.step';
export const UNASSIGNED_JOB = 'escalation.unassigned';
export const ESCALATION_MAX_LEVEL = 3;

interface StepPayload { incidentId: string; target: string; level: number; breachedAt: number }
interface UnassignedPayload { incidentId: string; minutes: number }

const OPEN = ['new', 'recognized', 'in_progress', 'waiting_for_client', 'solution_proposed'];
const obj = (v: unknown): Record<string, unknown> | null => (v && typeof v === 'object' ? (v as Record<string, unknown>) : null);

/** The escalation jobs a unit's audit entries call for (run inside the unit's transaction). */
export async function planEscalations(unit: AuditedUnit): Promise<void> {
  for (const r of unit.records) {
    if (r.entity !== 'incident') continue;
    const after = obj(r.after);
    if (r.action === 'sla.breached' && typeof after?.target === 'string') {
      const payload: StepPayload = { incidentId: r.entityId, target: after.target, level: 1, breachedAt: unit.at };
      await enqueue(unit.tx, { kind: ESCALATION_JOB, payload, runAt: unit.at, dedupeKey: `escalation:${r.entityId}:${after.target}:1`, now: unit.at });
    }
    if ((r.action === 'create' || r.action === 'priority') && after?.priority === 'urgent' && after.assigneeId == null && typeof after.contractId === 'string') {
      const { rules } = await loadEscalationRules(unit.tx, after.contractId);
      if (rules.urgentUnassignedMinutes <= 0) continue;
      const from = r.action === 'create' && typeof after.receivedAt === 'number' ? after.receivedAt : unit.at;
      const payload: UnassignedPayload = { incidentId: r.entityId, minutes: rules.urgentUnassignedMinutes };
      await enqueue(unit.tx, {
        kind: UNASSIGNED_JOB, payload, runAt: Math.max(unit.at, from + rules.urgentUnassignedMinutes * 60_000),
        dedupeKey: `escalation:${r.entityId}:unassigned`, now: unit.at,
      });
    }
  }
}

interface Recipient { email: string; locale: Locale }

async function usersWhere(ex: Executor, q: { ids?: string[]; role?: string }): Promise<Recipient[]> {
  let s = ex.selectFrom('users').select(['email', 'locale']).where('disabledAt', 'is', null);
  if (q.ids) {
    if (q.ids.length === 0) return [];
    s = s.where('id', 'in', q.ids);
  }
  if (q.role) s = s.where('role', '=', q.role);
  return (await s.execute()).map((u) => ({ email: u.email, locale: u.locale === 'en' ? 'en' : 'ja' }));
}

export interface EscalationDeps {
  db: Kysely<DB>;
  clock: () => number;
  deskEmail: string | null;
  baseUrl: string;
  deskLocale?: Locale;
}

export function createEscalationHandlers(deps: EscalationDeps): Record<string, JobHandler> {
  const uow = unitOfWork(deps.db, deps.clock);
  const desk = (): Recipient[] => (deps.deskEmail ? [{ email: deps.deskEmail, locale: deps.deskLocale ?? DEFAULT_LOCALE }] : []);

  async function loadIncident(ex: Executor, id: string) {
    return ex.selectFrom('incidents')
      .select(['id', 'number', 'title', 'priority', 'status', 'assigneeId', 'clientId', 'contractId', 'calendarId', 'slaPolicyId', 'slaPolicyVersion'])
      .where('id', '=', id).executeTakeFirst();
  }

  /** Mails grouped by language, each dated and sent at `sendAt`. */
  async function mail(ex: Executor, to: Recipient[], key: string, now: number, sendAt: number, render: (l: Locale) => { subject: string; text: string }) {
    const byLocale = new Map<Locale, string[]>();
    const seen = new Set<string>();
    for (const r of to) {
      if (seen.has(r.email)) continue;
      seen.add(r.email);
      byLocale.set(r.locale, [...(byLocale.get(r.locale) ?? []), r.email]);
    }
    for (const [locale, emails] of byLocale) {
      const m = render(locale);
      await enqueueMail(ex, { to: emails, subject: m.subject, text: m.text, date: sendAt }, { runAt: sendAt, dedupeKey: `${key}:${locale}`, now });
    }
  }

  async function quietUntil(ex: Executor, inc: { calendarId: string; slaPolicyId: string; slaPolicyVersion: number }, businessHours: boolean, now: number) {
    const calendar = await loadWorkingCalendar(ex, inc.calendarId);
    const notifyWhileClosed = (await loadPolicyVersion(ex, inc.slaPolicyId, inc.slaPolicyVersion)).document.notifyWhileClosed;
    return { calendar, sendAt: businessHours && !notifyWhileClosed ? nextOpening(calendar, now) : now };
  }

  const step: JobHandler = async (raw) => {
    const p = raw as StepPayload;
    await uow.command(SYSTEM_ACTOR, async (w) => {
      const { tx, now } = w;
      const inc = await loadIncident(tx, p.incidentId);
      if (!inc || !OPEN.includes(inc.status)) return w.unchanged();
      const target = await tx.selectFrom('incidentTargets').select(['kind', 'dueAt', 'metAt', 'state', 'businessHours'])
        .where('incidentId', '=', inc.id).where('kind', '=', p.target).executeTakeFirst();
      // Met meanwhile, or the priority changed and this target is gone: nothing to escalate.
      if (!target || target.metAt !== null || target.state !== 'breached') return w.unchanged();
      const { rules } = await loadEscalationRules(tx, inc.contractId);
      const roles: string[] = [];
      const to: Recipient[] = [];
      const everyone = p.level >= 2;
      if ((everyone || rules.breached.assignee) && inc.assigneeId) {
        const a = await usersWhere(tx, { ids: [inc.assigneeId] });
        // Level 1 comes with the SLA timer's own breach notice, which already went to the assignee:
        // named on the timeline, not mailed twice.
        if (a.length) { roles.push('assignee'); if (p.level >= 2) to.push(...a); }
      }
      if (everyone || rules.breached.deskLead) {
        const leads = await usersWhere(tx, { role: 'admin' });
        if (leads.length) { roles.push(everyone ? 'admins' : 'lead'); to.push(...leads); }
      }
      if (everyone || rules.breached.engineer) {
        const ids = (await tx.selectFrom('contractEngineers').select('userId').where('contractId', '=', inc.contractId).execute()).map((r) => r.userId);
        const engineers = await usersWhere(tx, { ids });
        if (engineers.length) { roles.push('engineer'); to.push(...engineers); }
      }
      if (everyone && desk().length) { roles.push('desk'); to.push(...desk()); }

      const businessHours = target.businessHours === 1;
      const { calendar, sendAt } = await quietUntil(tx, inc, businessHours, now);
      const dueAt = target.dueAt ?? p.breachedAt;
      const label = (l: Locale) => ({ target: t(l, `sla.target.${p.target}`), notified: roles.map((r) => t(l, `escalation.role.${r}`)).join(', ') || '—' });
      await tx.insertInto('incidentEvents').values({
        id: uuidv7(), incidentId: inc.id, at: now, kind: 'escalation', visibility: 'internal', authorId: SYSTEM_ACTOR.userId, authorName: null,
        body: t(DEFAULT_LOCALE, 'escalation.timeline.breached', { level: p.level, ...label(DEFAULT_LOCALE) }),
        data: JSON.stringify({ event: 'escalated', target: p.target, level: p.level, notified: roles }),
      }).execute();
      w.audit({ entity: 'incident', entityId: inc.id, action: 'escalate', after: { target: p.target, level: p.level, notified: roles, dueAt } });
      if (to.length) {
        const client = (await tx.selectFrom('clients').select('name').where('id', '=', inc.clientId).executeTakeFirst())?.name ?? '';
        const assignee = inc.assigneeId ? (await tx.selectFrom('users').select('name').where('id', '=', inc.assigneeId).executeTakeFirst())?.name ?? '—' : '—';
        const url = `${deps.baseUrl.replace(/\/$/, '')}/incidents/${inc.number}`;
        await mail(tx, to, `mail:escalation:${inc.id}:${p.target}:${p.level}`, now, sendAt, (l) => {
          const params = {
            level: p.level, incident: `#${inc.number}`, title: inc.title, client, target: t(l, `sla.target.${p.target}`),
            dueAt: when(l, dueAt, calendar.timeZone), priority: tLabel(l, `priority.${inc.priority}`), assignee, url,
          };
          return { subject: t(l, 'escalation.mail.subject', params), text: t(l, 'escalation.mail.body', params) };
        });
      }
      if (p.level < ESCALATION_MAX_LEVEL && rules.nextLevelAfterBusinessHours > 0) {
        const span = rules.nextLevelAfterBusinessHours * 3600_000 * p.level;
        const runAt = businessHours ? calendar.addWorking(p.breachedAt, span) : p.breachedAt + span;
        const next: StepPayload = { ...p, level: p.level + 1 };
        await enqueue(tx, { kind: ESCALATION_JOB, payload: next, runAt: Math.max(runAt, now), dedupeKey: `escalation:${inc.id}:${p.target}:${next.level}`, now });
      }
    }, { name: 'escalation.step' });
  };

  const unassigned: JobHandler = async (raw) => {
    const p = raw as UnassignedPayload;
    await uow.command(SYSTEM_ACTOR, async (w) => {
      const { tx, now } = w;
      const inc = await loadIncident(tx, p.incidentId);
      if (!inc || !OPEN.includes(inc.status) || inc.priority !== 'urgent' || inc.assigneeId !== null) return w.unchanged();
      const start = await tx.selectFrom('incidentTargets').select(['businessHours', 'dueAt']).where('incidentId', '=', inc.id).where('kind', '=', 'start').executeTakeFirst();
      const { sendAt } = await quietUntil(tx, inc, start?.businessHours === 1, now);
      // The desk address; without one, the admins.
      const to = desk().length ? desk() : await usersWhere(tx, { role: 'admin' });
      await tx.insertInto('incidentEvents').values({
        id: uuidv7(), incidentId: inc.id, at: now, kind: 'escalation', visibility: 'internal', authorId: SYSTEM_ACTOR.userId, authorName: null,
        body: t(DEFAULT_LOCALE, 'escalation.timeline.unassigned', { minutes: p.minutes }),
        data: JSON.stringify({ event: 'escalated', target: 'start', level: 0, notified: ['desk'], reason: 'unassigned' }),
      }).execute();
      w.audit({ entity: 'incident', entityId: inc.id, action: 'escalate', after: { target: 'start', level: 0, notified: ['desk'], dueAt: start?.dueAt ?? now, reason: 'unassigned' } });
      const client = (await tx.selectFrom('clients').select('name').where('id', '=', inc.clientId).executeTakeFirst())?.name ?? '';
      const url = `${deps.baseUrl.replace(/\/$/, '')}/incidents/${inc.number}`;
      await mail(tx, to, `mail:escalation:${inc.id}:unassigned`, now, sendAt, (l) => {
        const params = { incident: `#${inc.number}`, title: inc.title, client, minutes: p.minutes, url };
        return { subject: t(l, 'escalation.mail.unassignedSubject', params), text: t(l, 'escalation.mail.unassignedBody', params) };
      });
    }, { name: 'escalation.unassigned' });
  };

  return { [ESCALATION_JOB]: step, [UNASSIGNED_JOB]: unassigned };
}
