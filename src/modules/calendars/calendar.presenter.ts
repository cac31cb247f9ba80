import type { z } from 'zod';
import { toIso } from '../../contract/common.ts';
import type { Calendar } from '../../contract/desk.ts';
import type { Calendar as CalendarModel } from './calendar.service.ts';

export const presentCalendar = (c: CalendarModel): z.infer<typeof Calendar> => ({
  id: c.id,
  name: c.name,
  version: c.version,
  // The core's document type is readonly-tupled; the API shape is the same JSON.
  document: c.document as unknown as z.infer<typeof Calendar>['document'],
  createdAt: toIso(c.createdAt),
  updatedAt: toIso(c.updatedAt),
});
