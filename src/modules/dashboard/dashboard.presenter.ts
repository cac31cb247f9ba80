import type { z } from 'zod';
import { toIso } from '../../contract/common.ts';
import type { Dashboard } from '../../contract/dashboard.ts';
import type { DashboardData } from './dashboard.service.ts';

export const presentDashboard = (d: DashboardData): z.infer<typeof Dashboard> => ({
  ...d,
  asOf: toIso(d.asOf),
  atRisk: d.atRisk.map((x) => ({ ...x, dueAt: toIso(x.dueAt) })),
  systemsDown: d.systemsDown.map((x) => ({ ...x, startedAt: toIso(x.startedAt) })),
  maintenance: d.maintenance.map((x) => ({ ...x, startsAt: toIso(x.startsAt), endsAt: toIso(x.endsAt) })),
  noticesDue: d.noticesDue.map((x) => ({ ...x, startsAt: toIso(x.startsAt), latestAnnouncementAt: toIso(x.latestAnnouncementAt) })),
});
