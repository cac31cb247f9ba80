import type { z } from 'zod';
import { toIso, toIsoOrNull } from '../../contract/common.ts';
import type { MaintenanceNotice, MaintenanceSeries, MaintenanceSettings, MaintenanceWindow, MaintenanceWindowDetail, Repeat } from '../../contract/maintenance.ts';
import { presentDelivery } from '../mail/mail.presenter.ts';
import type { Notice, Series, Settings, Window, WindowDetail } from './maintenance.service.ts';

export const presentWindow = (w: Window): z.infer<typeof MaintenanceWindow> => ({
  id: w.id,
  contractId: w.contractId,
  clientId: w.clientId,
  systemId: w.systemId,
  seriesId: w.seriesId,
  kind: w.kind as z.infer<typeof MaintenanceWindow>['kind'],
  title: w.title,
  description: w.description,
  startsAt: toIso(w.startsAt),
  endsAt: toIso(w.endsAt),
  status: w.status as z.infer<typeof MaintenanceWindow>['status'],
  announcedAt: toIsoOrNull(w.announcedAt),
  noticeInTime: w.noticeInTime === null ? null : w.noticeInTime === 1,
  emergencyReason: w.emergencyReason,
  cancelReason: w.cancelReason,
  actualStart: toIsoOrNull(w.actualStart),
  actualEnd: toIsoOrNull(w.actualEnd),
  sequence: w.sequence,
  createdAt: toIso(w.createdAt),
  updatedAt: toIso(w.updatedAt),
});

export const presentNotice = (n: Notice): z.infer<typeof MaintenanceNotice> => ({
  id: n.id, kind: n.kind as z.infer<typeof MaintenanceNotice>['kind'], contactId: n.contactId, email: n.email, notifiedAt: toIso(n.notifiedAt), actorId: n.actorId,
  delivery: n.delivery ? presentDelivery(n.delivery) : null,
});

export const presentWindowDetail = (w: WindowDetail): z.infer<typeof MaintenanceWindowDetail> => ({
  ...presentWindow(w),
  timeZone: w.timeZone,
  noticeBusinessDays: w.noticeBusinessDays,
  latestAnnouncementAt: toIso(w.latestAnnouncementAt),
  notices: w.notices.map(presentNotice),
});

export const presentSeries = (s: Series): z.infer<typeof MaintenanceSeries> => ({
  id: s.id,
  contractId: s.contractId,
  clientId: s.clientId,
  systemId: s.systemId,
  title: s.title,
  description: s.description,
  timeZone: s.timeZone,
  startTime: s.startTime,
  endTime: s.endTime,
  repeat: JSON.parse(s.repeat) as z.infer<typeof Repeat>,
  firstDate: s.firstDate,
  until: s.until,
  count: s.count,
  status: s.status as 'active' | 'cancelled',
  announcedAt: toIso(s.announcedAt),
  materializedUntil: toIso(s.materializedUntil),
  createdAt: toIso(s.createdAt),
  updatedAt: toIso(s.updatedAt),
});

export const presentSettings = (s: Settings): z.infer<typeof MaintenanceSettings> => ({
  contractId: s.contractId, noticeBusinessDays: s.noticeBusinessDays, published: s.published, publicTokenPrefix: s.publicTokenPrefix, publishedAt: toIsoOrNull(s.publishedAt),
});
