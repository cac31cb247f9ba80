/** GET /monitors/{id}/runs — a monitor's latest results (stretches of equal results) with their latency, for the monitoring screen. */
import { toIso, IdParams } from '../../contract/common.ts';
import { MonitorRunList, MonitorRunQuery } from '../../contract/admin.ts';
import { actorOf } from '../../http/actor.ts';
import type { Api } from '../../http/types.ts';
import type { MonitoringService } from './monitoring.service.ts';

export function registerMonitorRunRoutes(app: Api, monitoring: MonitoringService): void {
  app.get('/monitors/:id/runs', {
    schema: {
      tags: ['monitoring'], summary: 'A monitor\'s latest results, newest first: each stretch of equal results with its checks and average/worst latency',
      params: IdParams, querystring: MonitorRunQuery, response: { 200: MonitorRunList },
    },
  }, async (req) => ({
    items: (await monitoring.recentRuns(actorOf(req), req.params.id, req.query.limit)).map((r) => ({ ...r, startedAt: toIso(r.startedAt), lastAt: toIso(r.lastAt) })),
  }));
}
