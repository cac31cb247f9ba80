/** /calendars — staff read all, a contact the calendars their contracts follow; admins write. */
import { IdParams, listOf } from '../../contract/common.ts';
import { Calendar, CalendarVersion, CalendarVersionParams, CreateCalendarBody, UpdateCalendarBody } from '../../contract/desk.ts';
import { actorOf } from '../../http/actor.ts';
import type { Api } from '../../http/types.ts';
import type { CalendarService } from './calendar.service.ts';
import { presentCalendar, presentCalendarVersion } from './calendar.presenter.ts';

export function registerCalendarRoutes(app: Api, calendars: CalendarService): void {
  app.get('/calendars', {
    schema: { tags: ['calendars'], summary: 'List support calendars (a contact: only those their contracts follow)', response: { 200: listOf(Calendar) } },
  }, async (req) => ({ items: (await calendars.list(actorOf(req))).map(presentCalendar) }));

  app.post('/calendars', {
    schema: { tags: ['calendars'], summary: 'Create a calendar (admin); its version 1 applies always', body: CreateCalendarBody, response: { 201: Calendar } },
  }, async (req, reply) => reply.status(201).send(presentCalendar(await calendars.create(actorOf(req), req.body))));

  app.get('/calendars/:id', {
    schema: { tags: ['calendars'], summary: 'One calendar (a contact: only one their contracts follow, else calendar.not_found)', params: IdParams, response: { 200: Calendar } },
  }, async (req) => presentCalendar(await calendars.get(actorOf(req), req.params.id)));

  app.patch('/calendars/:id', {
    schema: {
      tags: ['calendars'],
      summary: 'Change a calendar (admin): a new document is a new version from effectiveFrom (never before now); open incidents\' deadlines past it are re-derived',
      params: IdParams, body: UpdateCalendarBody, response: { 200: Calendar },
    },
  }, async (req) => presentCalendar(await calendars.update(actorOf(req), req.params.id, req.body)));

  app.get('/calendars/:id/versions', {
    schema: { tags: ['calendars'], summary: 'Every version of a calendar with its document, oldest first', params: IdParams, response: { 200: listOf(CalendarVersion) } },
  }, async (req) => ({ items: (await calendars.versions(actorOf(req), req.params.id)).map(presentCalendarVersion) }));

  app.get('/calendars/:id/versions/:version', {
    schema: { tags: ['calendars'], summary: 'One version of a calendar', params: CalendarVersionParams, response: { 200: CalendarVersion } },
  }, async (req) => presentCalendarVersion(await calendars.getVersion(actorOf(req), req.params.id, req.params.version)));
}
