/** /calendars — staff read all, a contact the calendars their contracts follow; admins write. */
import { IdParams, listOf } from '../../contract/common.ts';
import { Calendar, CreateCalendarBody, UpdateCalendarBody } from '../../contract/desk.ts';
import { actorOf } from '../../http/actor.ts';
import type { Api } from '../../http/types.ts';
import type { CalendarService } from './calendar.service.ts';
import { presentCalendar } from './calendar.presenter.ts';

export function registerCalendarRoutes(app: Api, calendars: CalendarService): void {
  app.get('/calendars', {
    schema: { tags: ['calendars'], summary: 'List support calendars (a contact: only those their contracts follow)', response: { 200: listOf(Calendar) } },
  }, async (req) => ({ items: (await calendars.list(actorOf(req))).map(presentCalendar) }));

  app.post('/calendars', {
    schema: { tags: ['calendars'], summary: 'Create a calendar (admin)', body: CreateCalendarBody, response: { 201: Calendar } },
  }, async (req, reply) => reply.status(201).send(presentCalendar(await calendars.create(actorOf(req), req.body))));

  app.get('/calendars/:id', {
    schema: { tags: ['calendars'], summary: 'One calendar (a contact: only one their contracts follow, else calendar.not_found)', params: IdParams, response: { 200: Calendar } },
  }, async (req) => presentCalendar(await calendars.get(actorOf(req), req.params.id)));

  app.patch('/calendars/:id', {
    schema: {
      tags: ['calendars'], summary: 'Change a calendar (admin); bumps its version, stored deadlines are kept',
      params: IdParams, body: UpdateCalendarBody, response: { 200: Calendar },
    },
  }, async (req) => {
    const b = req.body;
    const patch: { name?: string; document?: unknown } = {};
    if (b.name !== undefined) patch.name = b.name;
    if (b.document !== undefined) patch.document = b.document;
    return presentCalendar(await calendars.update(actorOf(req), req.params.id, patch));
  });
}
