/**
 * /monitors, /outages, /contracts/{id}/availability/{month} and the public
 * status page /public/{token}/status. Staff configure monitors; contacts read
 * their own client's monitors, outages and availability.
 */
import { z } from 'zod';
import { IdParams, listOf } from '../../contract/common.ts';
import { ContractIdParams, TokenParams } from '../../contract/maintenance.ts';
import {
  AvailabilityParams, CloseOutageBody, ContractAvailability, CreateMonitorBody, Monitor, MonitorQuery, Outage, OutageQuery, StatusPageQuery,
  StatusPageSettings, StatusPageSettingsBody, UpdateMonitorBody,
} from '../../contract/monitoring.ts';
import { toIsoOrNull } from '../../contract/common.ts';
import { actorOf } from '../../http/actor.ts';
import type { Api } from '../../http/types.ts';
import { statusPageLocale } from '../../http/locale.ts';
import { presentFigure, presentMonitor, presentOutage } from './monitoring.presenter.ts';
import type { MonitoringService } from './monitoring.service.ts';
import { renderStatusPage } from './monitoring.status-page.ts';

const tags = ['monitoring'];

export function registerMonitoringRoutes(app: Api, monitoring: MonitoringService): void {
  app.get('/monitors', {
    schema: { tags, summary: 'Health checks (a contact sees only their client\'s, by name and state: target fields are null)', querystring: MonitorQuery, response: { 200: listOf(Monitor) } },
  }, async (req) => {
    const q = req.query;
    const items = await monitoring.list(actorOf(req), { ...(q.contractId ? { contractId: q.contractId } : {}), ...(q.systemId ? { systemId: q.systemId } : {}), limit: q.limit, offset: q.offset });
    return { items: items.map(presentMonitor) };
  });

  app.post('/monitors', {
    schema: { tags, summary: 'Add a health check (HTTP(S) or TCP) to a system of a contract (staff)', body: CreateMonitorBody, response: { 201: Monitor } },
  }, async (req, reply) => reply.status(201).send(presentMonitor(await monitoring.create(actorOf(req), req.body))));

  app.get('/monitors/:id', {
    schema: { tags, summary: 'One health check with its live state', params: IdParams, response: { 200: Monitor } },
  }, async (req) => presentMonitor(await monitoring.get(actorOf(req), req.params.id)));

  app.patch('/monitors/:id', {
    schema: { tags, summary: 'Change or disable a health check (staff)', params: IdParams, body: UpdateMonitorBody, response: { 200: Monitor } },
  }, async (req) => presentMonitor(await monitoring.update(actorOf(req), req.params.id, req.body)));

  app.delete('/monitors/:id', {
    schema: {
      tags, summary: 'Delete a health check (staff): never checked again, its open outage ends now ("monitoring stopped"); its history stays in availability',
      params: IdParams, response: { 200: Monitor },
    },
  }, async (req) => presentMonitor(await monitoring.remove(actorOf(req), req.params.id)));

  app.post('/outages/:id/close', {
    schema: {
      tags, summary: 'End an open outage now, by hand, with a reason (staff; audited); an outage that already ended is refused',
      params: IdParams, body: CloseOutageBody, response: { 200: Outage },
    },
  }, async (req) => presentOutage(await monitoring.closeOutage(actorOf(req), req.params.id, req.body.reason)));

  app.get('/contracts/:id/status-page', {
    schema: { tags, summary: 'What the contract\'s public status page lists besides systems and outages', params: ContractIdParams, response: { 200: StatusPageSettings } },
  }, async (req) => {
    const s = await monitoring.statusPageSettings(actorOf(req), req.params.id);
    return { ...s, updatedAt: toIsoOrNull(s.updatedAt) };
  });

  app.put('/contracts/:id/status-page', {
    schema: { tags, summary: 'Choose which incidents the public status page lists (staff)', params: ContractIdParams, body: StatusPageSettingsBody, response: { 200: StatusPageSettings } },
  }, async (req) => {
    const s = await monitoring.setStatusPageSettings(actorOf(req), req.params.id, req.body.incidents);
    return { ...s, updatedAt: toIsoOrNull(s.updatedAt) };
  });

  app.get('/outages', {
    schema: { tags, summary: 'Confirmed outages, newest first', querystring: OutageQuery, response: { 200: listOf(Outage) } },
  }, async (req) => {
    const q = req.query;
    const items = await monitoring.outages(actorOf(req), { ...(q.contractId ? { contractId: q.contractId } : {}), ...(q.monitorId ? { monitorId: q.monitorId } : {}), openOnly: q.open === 'true', limit: q.limit });
    return { items: items.map(presentOutage) };
  });

  app.get('/contracts/:id/availability/:month', {
    schema: {
      tags, summary: 'Availability of a contract month (service time = 24 h × days − planned maintenance), per system, with the intervals behind each figure',
      params: AvailabilityParams, response: { 200: ContractAvailability },
    },
  }, async (req) => {
    const [y, m] = req.params.month.split('-').map(Number) as [number, number];
    const r = await monitoring.availability(actorOf(req), req.params.id, y, m);
    return { ...r, contract: presentFigure(r.contract), systems: r.systems.map((s) => ({ ...s, figure: presentFigure(s.figure) })) };
  });

  app.get('/public/:token/status', {
    schema: {
      tags, summary: 'The contract\'s public status page (HTML, ja/en); no login, the token URL is the key',
      params: TokenParams, querystring: StatusPageQuery, response: { 200: z.string().describe('text/html') },
    },
    config: { public: true },
  }, async (req, reply) => {
    const html = renderStatusPage(await monitoring.publicStatus(req.params.token), statusPageLocale(req, req.query.lang));
    return reply.type('text/html; charset=utf-8').header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'").send(html);
  });
}
