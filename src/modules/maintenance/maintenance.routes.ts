/**
 * /maintenance (windows), /maintenance-series (recurring windows),
 * /contracts/{id}/maintenance-settings|maintenance-notice|publication.
 * Staff schedule, announce, move and cancel; contacts read their own client's.
 */
import { fromIso, IdParams, instantsIn, listOf } from '../../contract/common.ts';
import {
  ActualBody, AnnounceBody, CancelMaintenanceBody, ContractIdParams, CreateMaintenanceBody, CreateSeriesBody, MaintenanceQuery,
  MaintenanceSeries, MaintenanceSettings, MaintenanceWindow, MaintenanceWindowDetail, NoticeAnswer, NoticeQuery, Publication,
  SeriesCreated, TokenParams, UpdateMaintenanceBody, UpdateMaintenanceSettingsBody,
} from '../../contract/maintenance.ts';
import { ClientFilter } from '../../contract/desk.ts';
import { actorOf } from '../../http/actor.ts';
import type { Api } from '../../http/types.ts';
import { publicUrls } from '../../http/public-urls.ts';
import { presentSeries, presentSettings, presentWindow, presentWindowDetail } from './maintenance.presenter.ts';
import type { MaintenanceService } from './maintenance.service.ts';
import { z } from 'zod';
import { toIso } from '../../contract/common.ts';

const tags = ['maintenance'];
const API_PREFIX = '/api/v1';

export function registerMaintenanceRoutes(app: Api, maintenance: MaintenanceService): void {
  app.get('/maintenance', {
    schema: { tags, summary: 'Maintenance windows by start (a contact sees only their client\'s, once announced)', querystring: MaintenanceQuery, response: { 200: listOf(MaintenanceWindow) } },
  }, async (req) => {
    const q = req.query;
    const items = await maintenance.list(actorOf(req), { ...instantsIn(q, 'from', 'to'), includeCancelled: q.includeCancelled === 'true' });
    return { items: items.map(presentWindow) };
  });

  app.post('/maintenance', {
    schema: { tags, summary: 'Schedule maintenance (draft, or announce at once under the notice rule) (staff)', body: CreateMaintenanceBody, response: { 201: MaintenanceWindowDetail } },
  }, async (req, reply) => {
    const created = await maintenance.create(actorOf(req), instantsIn(req.body, 'startsAt', 'endsAt'));
    return reply.status(201).send(presentWindowDetail(created));
  });

  app.get('/maintenance/:id', {
    schema: { tags, summary: 'One window with the notice rule\'s deadline and the notices sent (a contact: a draft is maintenance.not_found)', params: IdParams, response: { 200: MaintenanceWindowDetail } },
  }, async (req) => presentWindowDetail(await maintenance.get(actorOf(req), req.params.id)));

  app.patch('/maintenance/:id', {
    schema: { tags, summary: 'Edit or reschedule (an announced window is announced again) (staff)', params: IdParams, body: UpdateMaintenanceBody, response: { 200: MaintenanceWindowDetail } },
  }, async (req) => presentWindowDetail(await maintenance.update(actorOf(req), req.params.id, instantsIn(req.body, 'startsAt', 'endsAt'))));

  app.post('/maintenance/:id/announce', {
    schema: {
      tags, summary: 'Announce to the contract\'s contacts; 409 maintenance.notice.conflict when later than the notice rule allows (staff)',
      params: IdParams, body: AnnounceBody, response: { 200: MaintenanceWindowDetail },
    },
  }, async (req) => presentWindowDetail(await maintenance.announce(actorOf(req), req.params.id, req.body ?? {})));

  app.post('/maintenance/:id/cancel', {
    schema: { tags, summary: 'Cancel (contacts are told if it was announced) (staff)', params: IdParams, body: CancelMaintenanceBody, response: { 200: MaintenanceWindowDetail } },
  }, async (req) => presentWindowDetail(await maintenance.cancel(actorOf(req), req.params.id, req.body)));

  app.post('/maintenance/:id/actual', {
    schema: { tags, summary: 'Record when the work really ran (an overrun counts as downtime) (staff)', params: IdParams, body: ActualBody, response: { 200: MaintenanceWindowDetail } },
  }, async (req) => presentWindowDetail(await maintenance.recordActual(actorOf(req), req.params.id, instantsIn(req.body, 'actualStart', 'actualEnd'))));

  app.get('/maintenance-series', {
    schema: { tags, summary: 'Recurring maintenance windows', querystring: z.object({ contractId: ClientFilter.shape.clientId }), response: { 200: listOf(MaintenanceSeries) } },
  }, async (req) => ({ items: (await maintenance.listSeries(actorOf(req), req.query.contractId)).map(presentSeries) }));

  app.post('/maintenance-series', {
    schema: { tags, summary: 'Create and announce a recurring window (e.g. the daily backup window) (staff)', body: CreateSeriesBody, response: { 201: SeriesCreated } },
  }, async (req, reply) => {
    const r = await maintenance.createSeries(actorOf(req), req.body);
    return reply.status(201).send({ series: presentSeries(r.series), occurrences: r.occurrences });
  });

  app.get('/maintenance-series/:id', {
    schema: { tags, summary: 'One recurring window', params: IdParams, response: { 200: MaintenanceSeries } },
  }, async (req) => presentSeries(await maintenance.getSeries(actorOf(req), req.params.id)));

  app.post('/maintenance-series/:id/cancel', {
    schema: { tags, summary: 'End a recurring window: future occurrences are cancelled (staff)', params: IdParams, body: CancelMaintenanceBody, response: { 200: MaintenanceSeries } },
  }, async (req) => presentSeries(await maintenance.cancelSeries(actorOf(req), req.params.id, req.body)));

  app.get('/contracts/:id/maintenance-notice', {
    schema: { tags, summary: 'The notice rule for maintenance starting at startsAt: latest announcement instant', params: ContractIdParams, querystring: NoticeQuery, response: { 200: NoticeAnswer } },
  }, async (req) => {
    const r = await maintenance.noticeFor(actorOf(req), req.params.id, fromIso(req.query.startsAt));
    return { ...r, latestAnnouncementAt: toIso(r.latestAnnouncementAt) };
  });

  app.get('/contracts/:id/maintenance-settings', {
    schema: { tags, summary: 'Notice days and publication of the contract', params: ContractIdParams, response: { 200: MaintenanceSettings } },
  }, async (req) => presentSettings(await maintenance.getSettings(actorOf(req), req.params.id)));

  app.put('/contracts/:id/maintenance-settings', {
    schema: { tags, summary: 'Set the notice period in business days (admin)', params: ContractIdParams, body: UpdateMaintenanceSettingsBody, response: { 200: MaintenanceSettings } },
  }, async (req) => presentSettings(await maintenance.updateSettings(actorOf(req), req.params.id, req.body)));

  app.post('/contracts/:id/publication', {
    schema: { tags, summary: 'Publish the ICS feed and status page under a new token URL (shown once) (staff)', params: ContractIdParams, response: { 201: Publication } },
  }, async (req, reply) => {
    const r = await maintenance.publish(actorOf(req), req.params.id);
    return reply.status(201).send({ token: r.token, ...publicUrls(req, API_PREFIX, r.token), settings: presentSettings(r.settings) });
  });

  app.get('/public/:token/maintenance.ics', {
    schema: {
      tags, summary: 'The contract\'s maintenance as an iCalendar feed (RFC 5545); no login, the token URL is the key',
      params: TokenParams, response: { 200: z.string().describe('text/calendar') },
    },
    config: { public: true },
  }, async (req, reply) => {
    const body = await maintenance.publicFeed(req.params.token);
    // A calendar client polls this; the token is the secret, so shared caches must not keep it.
    return reply.type('text/calendar; charset=utf-8').header('content-disposition', 'inline; filename="maintenance.ics"').send(body);
  });

  app.delete('/contracts/:id/publication', {
    schema: { tags, summary: 'Stop publishing the ICS feed and status page (staff)', params: ContractIdParams, response: { 200: MaintenanceSettings } },
  }, async (req) => presentSettings(await maintenance.unpublish(actorOf(req), req.params.id)));
}
