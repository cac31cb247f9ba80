/**
 * Who may do what with support calendars. A contact reads only the calendars their
 * own client's contracts follow (another client's special hours are its terms);
 * any other is calendar.not_found.
 */
import { ADMIN, EVERYONE, STAFF, definePolicy } from '../auth/access.ts';

export const CALENDAR_POLICY = definePolicy({
  'calendar.list': EVERYONE,
  'calendar.read': EVERYONE,
  /** Every calendar, whichever contracts follow it. */
  'calendar.read_all': STAFF,
  'calendar.create': ADMIN,
  'calendar.update': ADMIN,
});
