/**
 * Support calendars: the SLA core's calendar document, stored as JSON and
 * validated on every write. A calendar changes by versions: each new document is a
 * version with an effective instant (never earlier than now), earlier versions stay
 * stored, and the working-time calendar the SLA clocks use is composed from all of
 * them (src/core/calendar/versioned.ts), so time already elapsed is never recounted.
 * A new version re-derives, in the same unit of work, the open incidents whose clocks
 * run on the calendar (docs/design.md, "Calendar versions").
 * A contact reads only the calendars their client's contracts follow (calendar.policy.ts); admins edit.
 */
import { uuidv7 } from 'uuidv7';
import {
  CalendarCache,
  CalendarDocumentError,
  CalendarRangeError,
  compileCalendar,
  parseCalendarDocument,
  versionedCalendar,
  type CalendarDocument,
  type WorkingCalendar,
} from '../../core/calendar/index.ts';
import { parseIsoDate } from '../../core/time/civil.ts';
import { instantOfLocal } from '../../core/time/zone.ts';
import { isoUtc } from '../../core/time/iso.ts';
import { AppError, notFound } from '../../errors.ts';
import type { Executor } from '../../db/database.ts';
import type { ServiceDeps } from '../../db/tx.ts';
import type { Actor } from '../auth/actor.ts';
import { clientScope } from '../auth/access.ts';
import { authorize, may } from '../auth/authorize.ts';
import { unitOfWork, type Work } from '../../db/unit-of-work.ts';
import * as repo from './calendar.repository.ts';

export interface CalendarVersionSummary {
  version: number;
  effectiveFrom: number;
  note: string;
  createdBy: string;
  createdAt: number;
}

export interface CalendarVersion extends CalendarVersionSummary {
  calendarId: string;
  document: CalendarDocument;
}

export interface Calendar {
  id: string;
  name: string;
  /** The newest version's number. */
  version: number;
  /** The newest version's document (in force from its effectiveFrom). */
  document: CalendarDocument;
  /** When the newest version applies from. */
  effectiveFrom: number;
  /** Every version, oldest first. */
  versions: CalendarVersionSummary[];
  createdAt: number;
  updatedAt: number;
}

/** What a new version asks of the incidents (handed in by the composition root; see src/http/services.ts). */
export interface CalendarFollowers {
  /** Open incidents whose SLA clocks run on the calendar. */
  openOnCalendarIn(w: Work<Actor>, calendarId: string): Promise<string[]>;
  /** Re-derives one incident's deadlines under the calendar as it now stands; true when anything moved. */
  rederiveIn(w: Work<Actor>, incidentId: string, cause: CalendarChange): Promise<boolean>;
}

export interface CalendarChange {
  calendarId: string;
  version: number;
  effectiveFrom: number;
  /** The calendar as it stood before this version (composed once per change). */
  previous: WorkingCalendar;
}

const versions = new CalendarCache(256);
const composed = new Map<string, WorkingCalendar>();
const COMPOSED_CAPACITY = 256;

const toSummary = (v: repo.CalendarVersionRow): CalendarVersionSummary => ({
  version: v.version, effectiveFrom: v.effectiveFrom, note: v.note, createdBy: v.createdBy, createdAt: v.createdAt,
});
const toVersion = (v: repo.CalendarVersionRow): CalendarVersion => ({
  ...toSummary(v), calendarId: v.calendarId, document: JSON.parse(v.document) as CalendarDocument,
});

function toCalendar(r: repo.CalendarRow, vs: readonly repo.CalendarVersionRow[]): Calendar {
  const newest = vs[vs.length - 1];
  return {
    id: r.id,
    name: r.name,
    version: r.version,
    document: JSON.parse(r.document) as CalendarDocument,
    effectiveFrom: newest?.effectiveFrom ?? 0,
    versions: vs.map(toSummary),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/** Validates a document; bad input gets every issue with its path under `document`. */
export function validateCalendarDocument(raw: unknown): CalendarDocument {
  try {
    return parseCalendarDocument(raw);
  } catch (e) {
    if (e instanceof CalendarDocumentError) {
      throw new AppError(
        'calendar.invalid_document',
        'invalid calendar document',
        e.issues.map((i) => ({ path: ['document', ...i.path], code: 'invalid', message: i.message, params: { ...i.params, issue: i.code } })),
      );
    }
    throw e;
  }
}

function compose(vs: readonly repo.CalendarVersionRow[]): WorkingCalendar {
  return versionedCalendar(vs.map((v) => ({
    version: v.version,
    effectiveFrom: v.effectiveFrom,
    // Keyed by the document's text: versions (and calendars) with the same document share one index.
    calendar: versions.get(v.document, () => parseCalendarDocument(JSON.parse(v.document))),
  })));
}

/**
 * The working-time calendar for deadline arithmetic (for other modules' services):
 * every version, each from its effective instant. `before` leaves out that version and
 * later ones (the calendar as it stood before a change).
 */
export async function loadWorkingCalendar(ex: Executor, id: string, o: { before?: number } = {}): Promise<WorkingCalendar> {
  const row = await repo.findCalendar(ex, id);
  if (!row) throw notFound('calendar');
  if (o.before !== undefined) {
    const vs = (await repo.listCalendarVersions(ex, id)).filter((v) => v.version < o.before!);
    if (!vs.length) throw notFound('calendar_version');
    return compose(vs);
  }
  // updatedAt and the newest document are part of the key, so a version written by a unit that rolled back is not reused.
  const key = `${row.id}:${row.version}:${row.updatedAt}:${row.document}`;
  let hit = composed.get(key);
  if (!hit) {
    hit = compose(await repo.listCalendarVersions(ex, id));
    if (composed.size >= COMPOSED_CAPACITY) composed.delete(composed.keys().next().value!);
    composed.set(key, hit);
  }
  return hit;
}

export async function assertCalendarExists(ex: Executor, id: string): Promise<void> {
  if (!(await repo.findCalendar(ex, id))) throw notFound('calendar');
}

/** Inserts a calendar with its version 1 (in force from the beginning) inside the caller's unit (service and seed share it). */
export async function insertCalendarWithVersion(w: Work, input: { name: string; document: unknown }): Promise<string> {
  const document = validateCalendarDocument(input.document);
  const row: repo.CalendarRow = {
    id: uuidv7(),
    name: input.name.trim() || 'Calendar',
    version: 1,
    document: JSON.stringify(document),
    createdAt: w.now,
    updatedAt: w.now,
  };
  await repo.insertCalendar(w.tx, row);
  await repo.insertCalendarVersion(w.tx, {
    calendarId: row.id, version: 1, effectiveFrom: 0, document: row.document, note: '', createdBy: w.actor.userId, createdAt: w.now,
  });
  w.audit({ entity: 'calendar', entityId: row.id, action: 'create', after: { ...row, document, effectiveFrom: 0 } });
  return row.id;
}

/**
 * When a new version applies from: a date "YYYY-MM-DD" is local midnight in the new
 * document's zone, an ISO instant is that instant, nothing is now. Earlier than now is
 * refused: a change never reaches back into time already counted.
 */
export function resolveEffectiveFrom(raw: string | undefined, zone: string, now: number): number {
  if (raw === undefined) return now;
  const day = parseIsoDate(raw);
  const at = day !== null ? instantOfLocal(zone, day, 0) : Date.parse(raw);
  if (!Number.isFinite(at)) {
    throw new AppError('calendar.invalid', 'effectiveFrom must be a date or an ISO instant', [
      { path: ['effectiveFrom'], code: 'invalid_date', message: 'YYYY-MM-DD or an ISO 8601 instant' },
    ], { reason: 'effectiveFrom' });
  }
  if (at < now) {
    throw new AppError('calendar.effective_in_past', `a calendar change cannot apply before now (${isoUtc(now)})`, [
      { path: ['effectiveFrom'], code: 'in_past', message: 'must not be earlier than now' },
    ], { now: isoUtc(now) });
  }
  return at;
}

/** A version must be usable from its effective instant (a "jp" calendar ends with the holiday data's last year). */
function assertComputableFrom(document: CalendarDocument, at: number): void {
  try {
    compileCalendar(document).workingMs(at, at + 1);
  } catch (e) {
    if (!(e instanceof CalendarRangeError)) throw e;
    throw new AppError('calendar.invalid', e.message, [{ path: ['effectiveFrom'], code: 'invalid_date', message: e.message }], { reason: 'effectiveFrom' });
  }
}

export interface CalendarUpdate {
  name?: string;
  document?: unknown;
  /** "YYYY-MM-DD" (local midnight) or an ISO instant; default now. Only with a document. */
  effectiveFrom?: string;
  note?: string;
}

export function createCalendarService(deps: ServiceDeps, collaborators: { incidents?: CalendarFollowers } = {}) {
  const { db, clock } = deps;
  const uow = deps.uow ?? unitOfWork(db, clock);
  const followers = collaborators.incidents;

  async function assemble(ex: Executor, row: repo.CalendarRow): Promise<Calendar> {
    return toCalendar(row, await repo.listCalendarVersions(ex, row.id));
  }

  return {
    async create(actor: Actor, input: { name: string; document: unknown }): Promise<Calendar> {
      authorize(actor, 'calendar.create');
      validateCalendarDocument(input.document);
      return uow.command(actor, async (w) => {
        const id = await insertCalendarWithVersion(w, input);
        return assemble(w.tx, (await repo.findCalendar(w.tx, id))!);
      });
    },

    async get(actor: Actor, id: string): Promise<Calendar> {
      authorize(actor, 'calendar.read');
      const row = await repo.findScopedCalendar(db, id, may(actor, 'calendar.read_all') ? null : clientScope(actor));
      if (!row) throw notFound('calendar');
      return assemble(db, row);
    },

    async list(actor: Actor): Promise<Calendar[]> {
      authorize(actor, 'calendar.list');
      return Promise.all((await repo.listCalendars(db, may(actor, 'calendar.read_all') ? null : clientScope(actor))).map((r) => assemble(db, r)));
    },

    /** Every version of a calendar the actor may read (a contact: the calendars their contracts follow). */
    async versions(actor: Actor, id: string): Promise<CalendarVersion[]> {
      authorize(actor, 'calendar.read');
      if (!(await repo.findScopedCalendar(db, id, may(actor, 'calendar.read_all') ? null : clientScope(actor)))) throw notFound('calendar');
      return (await repo.listCalendarVersions(db, id)).map(toVersion);
    },

    async getVersion(actor: Actor, id: string, version: number): Promise<CalendarVersion> {
      authorize(actor, 'calendar.read');
      if (!(await repo.findScopedCalendar(db, id, may(actor, 'calendar.read_all') ? null : clientScope(actor)))) throw notFound('calendar_version');
      const v = await repo.findCalendarVersion(db, id, version);
      if (!v) throw notFound('calendar_version');
      return toVersion(v);
    },

    /**
     * A new document is a new version from `effectiveFrom` (never earlier than now);
     * open incidents on the calendar are re-derived in the same unit, each recorded on
     * its timeline and audited. A name alone is renamed in place (it counts no time).
     */
    async update(actor: Actor, id: string, patch: CalendarUpdate): Promise<Calendar> {
      authorize(actor, 'calendar.update');
      const document = patch.document === undefined ? undefined : validateCalendarDocument(patch.document);
      if (!document && (patch.effectiveFrom !== undefined || patch.note !== undefined)) {
        throw new AppError('calendar.invalid', 'effectiveFrom and note belong to a new document', [
          { path: ['document'], code: 'required', message: 'a new version needs its document' },
        ], { reason: 'document' });
      }
      const now = clock();
      const effectiveFrom = document ? resolveEffectiveFrom(patch.effectiveFrom, document.timeZone, now) : undefined;
      if (document) assertComputableFrom(document, effectiveFrom!);
      return uow.command(actor, async (w) => {
        const tx = w.tx;
        const before = await tx.selectFrom('calendars').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
        if (!before) throw notFound('calendar');
        const after: repo.CalendarRow = {
          ...before,
          ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
          ...(document ? { document: JSON.stringify(document), version: before.version + 1 } : {}),
          updatedAt: now,
        };
        await repo.updateCalendar(tx, id, after);
        if (document) {
          await repo.insertCalendarVersion(tx, {
            calendarId: id, version: after.version, effectiveFrom: effectiveFrom!, document: after.document,
            note: patch.note?.trim() ?? '', createdBy: actor.userId, createdAt: now,
          });
        }
        w.audit({
          entity: 'calendar', entityId: id, action: document ? 'version' : 'update',
          before: { name: before.name, version: before.version, document: JSON.parse(before.document) as unknown },
          after: { name: after.name, version: after.version, ...(document ? { document, effectiveFrom, note: patch.note?.trim() ?? '' } : {}) },
        });
        if (document && followers) {
          const previous = await loadWorkingCalendar(tx, id, { before: after.version });
          const change: CalendarChange = { calendarId: id, version: after.version, effectiveFrom: effectiveFrom!, previous };
          for (const incidentId of await followers.openOnCalendarIn(w, id)) await followers.rederiveIn(w, incidentId, change);
        }
        return assemble(tx, after);
      }, { now, name: 'calendar.update' });
    },
  };
}
export type CalendarService = ReturnType<typeof createCalendarService>;
