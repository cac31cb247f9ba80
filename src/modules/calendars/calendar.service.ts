/**
 * Support calendars: the SLA core's calendar document, stored as JSON and
 * validated on every write. Each edit bumps `version`; compiled calendars are
 * cached by id + version so a list of incidents compiles each calendar once.
 * A contact reads only the calendars their client's contracts follow (calendar.policy.ts); admins edit.
 */
import { uuidv7 } from 'uuidv7';
import {
  CalendarCache,
  CalendarDocumentError,
  parseCalendarDocument,
  type CalendarDocument,
  type WorkingCalendar,
} from '../../core/calendar/index.ts';
import { AppError, notFound } from '../../errors.ts';
import type { Executor } from '../../db/database.ts';
import type { ServiceDeps } from '../../db/tx.ts';
import type { Actor } from '../auth/actor.ts';
import { clientScope } from '../auth/access.ts';
import { authorize, may } from '../auth/authorize.ts';
import { unitOfWork } from '../../db/unit-of-work.ts';
import * as repo from './calendar.repository.ts';

export interface Calendar {
  id: string;
  name: string;
  version: number;
  document: CalendarDocument;
  createdAt: number;
  updatedAt: number;
}

const cache = new CalendarCache(256);

function toCalendar(r: repo.CalendarRow): Calendar {
  return { ...r, document: JSON.parse(r.document) as CalendarDocument };
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

/** The compiled calendar for deadline arithmetic (for other modules' services). */
export async function loadWorkingCalendar(ex: Executor, id: string): Promise<WorkingCalendar> {
  const row = await repo.findCalendar(ex, id);
  if (!row) throw notFound('calendar');
  return cache.get(`${row.id}:${row.version}`, () => parseCalendarDocument(JSON.parse(row.document)));
}

export async function assertCalendarExists(ex: Executor, id: string): Promise<void> {
  if (!(await repo.findCalendar(ex, id))) throw notFound('calendar');
}

export function createCalendarService(deps: ServiceDeps) {
  const { db, clock } = deps;
  const uow = deps.uow ?? unitOfWork(db, clock);
  return {
    async create(actor: Actor, input: { name: string; document: unknown }): Promise<Calendar> {
      authorize(actor, 'calendar.create');
      const document = validateCalendarDocument(input.document);
      const now = clock();
      const row: repo.CalendarRow = {
        id: uuidv7(),
        name: input.name.trim() || 'Calendar',
        version: 1,
        document: JSON.stringify(document),
        createdAt: now,
        updatedAt: now,
      };
      await uow.command(actor, async (w) => {
        const tx = w.tx;
        await repo.insertCalendar(tx, row);
        w.audit({ entity: 'calendar', entityId: row.id, action: 'create', after: toCalendar(row) });
      }, { now });
      return toCalendar(row);
    },

    async get(actor: Actor, id: string): Promise<Calendar> {
      authorize(actor, 'calendar.read');
      const row = await repo.findScopedCalendar(db, id, may(actor, 'calendar.read_all') ? null : clientScope(actor));
      if (!row) throw notFound('calendar');
      return toCalendar(row);
    },

    async list(actor: Actor): Promise<Calendar[]> {
      authorize(actor, 'calendar.list');
      return (await repo.listCalendars(db, may(actor, 'calendar.read_all') ? null : clientScope(actor))).map(toCalendar);
    },

    /**
     * Edits bump the version. Deadlines already stored on open incidents are not
     * recomputed (they were promised under the old calendar); new clocks use the new one.
     */
    async update(actor: Actor, id: string, patch: { name?: string; document?: unknown }): Promise<Calendar> {
      authorize(actor, 'calendar.update');
      const document = patch.document === undefined ? undefined : validateCalendarDocument(patch.document);
      const now = clock();
      return uow.command(actor, async (w) => {
        const tx = w.tx;
        const before = await repo.findCalendar(tx, id);
        if (!before) throw notFound('calendar');
        const after: repo.CalendarRow = {
          ...before,
          ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
          ...(document ? { document: JSON.stringify(document) } : {}),
          version: before.version + 1,
          updatedAt: now,
        };
        await repo.updateCalendar(tx, id, after);
        w.audit({
          entity: 'calendar', entityId: id, action: 'update', before: toCalendar(before), after: toCalendar(after),
        });
        return toCalendar(after);
      }, { now });
    },
  };
}
export type CalendarService = ReturnType<typeof createCalendarService>;
