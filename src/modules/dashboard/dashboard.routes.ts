/** /dashboard — the live dashboard; a contact's holds only their own client's contracts. */
import { Dashboard, DashboardQuery } from '../../contract/dashboard.ts';
import { actorOf } from '../../http/actor.ts';
import { requestLocale } from '../../http/locale.ts';
import type { Api } from '../../http/types.ts';
import { presentDashboard } from './dashboard.presenter.ts';
import type { DashboardService } from './dashboard.service.ts';

export function registerDashboardRoutes(app: Api, dashboard: DashboardService): void {
  app.get('/dashboard', {
    schema: {
      tags: ['dashboard'],
      summary: 'Open incidents per SLA state and priority, what breaches next, breaches this month and last, six months of attainment, systems down, maintenance of the next 7 days, notices due, and the charts (a contact: their own contracts)',
      querystring: DashboardQuery, response: { 200: Dashboard },
    },
  }, async (req) => presentDashboard(await dashboard.get(actorOf(req), {
    ...(req.query.contractId ? { contractId: req.query.contractId } : {}),
    lang: req.query.lang ?? requestLocale(req),
  })));
}
