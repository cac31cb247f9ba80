import type { z } from 'zod';
import { toIso } from '../../contract/common.ts';
import type { Calendar, CalendarVersion } from '../../contract/desk.ts';
import type { Calendar as CalendarModel, CalendarVersion as VersionModel, CalendarVersionSummary } from './calendar.service.ts';

// The core's document type is readonly-tupled; the API shape is the same JSON.
type Doc = z.infer<typeof Calendar>['document'];

const presentSummary = (v: CalendarVersionSummary) => ({
  version: v.version, effectiveFrom: toIso(v.effectiveFrom), note: v.note, createdBy: v.createdBy, createdAt: toIso(v.createdAt),
});

export const presentCalendar = (c: CalendarModel): z.infer<typeof Calendar> => ({
  id: c.id,
  name: c.name,
  version: c.version,
  document: c.document as unknown as Doc,
  effectiveFrom: toIso(c.effectiveFrom),
  versions: c.versions.map(presentSummary),
  createdAt: toIso(c.createdAt),
  updatedAt: toIso(c.updatedAt),
});

export const presentCalendarVersion = (v: VersionModel): z.infer<typeof CalendarVersion> => ({
  ...presentSummary(v),
  calendarId: v.calendarId,
  document: v.document as unknown as Doc,
});
