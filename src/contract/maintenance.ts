/**
 * Planned maintenance (保守日程): windows, recurring series, the notice rule,
 * notices sent, per-contract settings and publication of the ICS feed/status page.
 */
import { z } from 'zod';
import { WEEKDAY_NAMES } from '../core/maintenance/index.ts';
import { crossFieldWhen, HourMinute, Id, Instant, IsoDate } from './common.ts';
import { rule } from './errors.ts';
import { MailDelivery } from './delivery.ts';

export const MaintenanceKind = z.enum(['planned', 'emergency', 'recurring'])
  .describe('planned = announced ahead under the notice rule; emergency = urgent bug fix, exempt with a recorded reason; recurring = an occurrence of a series');
export const MaintenanceStatus = z.enum(['draft', 'announced', 'cancelled']);

export const MaintenanceNotice = z
  .object({
    id: Id,
    kind: z.enum(['announce', 'reschedule', 'cancel', 'reminder']),
    contactId: Id.nullable(),
    email: z.string(),
    notifiedAt: Instant.describe('when the notice was committed and its e-mail queued'),
    actorId: z.string(),
    delivery: MailDelivery.nullable().describe(
      'what became of the e-mail to this recipient: queued, sent (with the SMTP server\'s reply) or failed (with the error); '
      + 'null for notices recorded before deliveries were',
    ),
  })
  .meta({ id: 'MaintenanceNotice' });

export const MaintenanceWindow = z
  .object({
    id: Id,
    contractId: Id,
    clientId: Id,
    systemId: Id.nullable().describe('null = every system of the contract'),
    seriesId: Id.nullable(),
    kind: MaintenanceKind,
    title: z.string(),
    description: z.string(),
    startsAt: Instant,
    endsAt: Instant,
    status: MaintenanceStatus,
    announcedAt: Instant.nullable(),
    noticeInTime: z.boolean().nullable().describe('announced within the notice rule (false only for emergencies announced late)'),
    emergencyReason: z.string().nullable(),
    cancelReason: z.string().nullable(),
    actualStart: Instant.nullable(),
    actualEnd: Instant.nullable(),
    sequence: z.number().int().describe('RFC 5545 SEQUENCE: bumped on every change the client was told about'),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .meta({ id: 'MaintenanceWindow' });

export const MaintenanceWindowDetail = MaintenanceWindow.extend({
  timeZone: z.string().describe('the contract calendar\'s zone'),
  noticeBusinessDays: z.number().int(),
  latestAnnouncementAt: Instant.describe('the latest instant an announcement is in time (N営業日前まで)'),
  notices: z.array(MaintenanceNotice),
}).meta({ id: 'MaintenanceWindowDetail' });

const windowFields = {
  title: z.string().trim().min(1).max(200),
  description: z.string().max(10_000).optional(),
  startsAt: Instant,
  endsAt: Instant,
};
const endAfterStart = (v: Record<string, unknown>, ctx: z.RefinementCtx) => {
  if (typeof v.startsAt === 'string' && typeof v.endsAt === 'string' && !(Date.parse(v.endsAt) > Date.parse(v.startsAt))) {
    ctx.addIssue({ code: 'custom', path: ['endsAt'], params: rule('after_start') });
  }
};
export const CreateMaintenanceBody = z
  .object({
    contractId: Id,
    systemId: Id.nullable().optional(),
    kind: z.enum(['planned', 'emergency']).default('planned'),
    ...windowFields,
    emergencyReason: z.string().trim().max(2000).nullable().optional().describe('required for emergency'),
    announce: z.boolean().optional().describe('announce at once (notice rule applies)'),
  })
  .superRefine((v, ctx) => {
    endAfterStart(v, ctx);
    if (v.kind === 'emergency' && !(typeof v.emergencyReason === 'string' && v.emergencyReason.trim())) {
      ctx.addIssue({ code: 'custom', path: ['emergencyReason'], params: rule('required_emergency') });
    }
  }, crossFieldWhen);
export const UpdateMaintenanceBody = z
  .object({
    title: windowFields.title.optional(),
    description: windowFields.description,
    startsAt: Instant.optional(),
    endsAt: Instant.optional(),
    emergencyReason: z.string().trim().max(2000).nullable().optional().describe('makes a late reschedule an emergency'),
  })
  .superRefine(endAfterStart, crossFieldWhen);
export const AnnounceBody = z.object({
  emergencyReason: z.string().trim().max(2000).nullable().optional().describe('announce late as emergency maintenance (an urgent bug fix), with the reason recorded'),
});
export const CancelMaintenanceBody = z.object({ reason: z.string().trim().min(1).max(2000) });
export const ActualBody = z.object({ actualStart: Instant.nullable(), actualEnd: Instant.nullable() });
export const MaintenanceQuery = z.object({
  contractId: Id.optional(),
  from: Instant.optional().describe('windows ending after this instant'),
  to: Instant.optional().describe('windows starting before this instant'),
  includeCancelled: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const Repeat = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('daily'), every: z.number().int().min(1).max(366).optional() }),
  z.object({ kind: z.literal('weekly'), weekdays: z.array(z.enum(WEEKDAY_NAMES)).min(1).max(7) }),
]);
export const MaintenanceSeries = z
  .object({
    id: Id,
    contractId: Id,
    clientId: Id,
    systemId: Id.nullable(),
    title: z.string(),
    description: z.string(),
    timeZone: z.string(),
    startTime: z.string(),
    endTime: z.string().describe('at or before startTime = the next day'),
    repeat: Repeat,
    firstDate: IsoDate,
    until: IsoDate.nullable(),
    count: z.number().int().nullable(),
    status: z.enum(['active', 'cancelled']),
    announcedAt: Instant,
    materializedUntil: Instant.describe('occurrences are stored as windows up to here (90 days ahead)'),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .meta({ id: 'MaintenanceSeries' });
export const CreateSeriesBody = z.object({
  contractId: Id,
  systemId: Id.nullable().optional(),
  title: z.string().trim().min(1).max(200),
  description: z.string().max(10_000).optional(),
  startTime: HourMinute.optional().describe('default: the contract\'s backup window'),
  endTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be "HH:MM"').optional(),
  repeat: Repeat,
  firstDate: IsoDate,
  until: IsoDate.nullable().optional(),
  count: z.number().int().min(1).max(100_000).nullable().optional(),
});
export const SeriesCreated = z.object({ series: MaintenanceSeries, occurrences: z.number().int().describe('occurrences stored now') });

export const NoticeQuery = z.object({ startsAt: Instant });
export const NoticeAnswer = z
  .object({
    latestAnnouncementAt: Instant,
    noticeBusinessDays: z.number().int(),
    inTimeNow: z.boolean(),
    timeZone: z.string(),
  })
  .meta({ id: 'MaintenanceNoticeRule' });

export const MaintenanceSettings = z
  .object({
    contractId: Id,
    noticeBusinessDays: z.number().int().describe('N of "announce N business days before" (default 2)'),
    published: z.boolean().describe('the ICS feed and status page are reachable by their token URL'),
    publicTokenPrefix: z.string().nullable(),
    publishedAt: Instant.nullable(),
  })
  .meta({ id: 'MaintenanceSettings' });
export const UpdateMaintenanceSettingsBody = z.object({ noticeBusinessDays: z.number().int().min(0).max(30) });
export const Publication = z
  .object({
    token: z.string().describe('shown once; only its SHA-256 is stored'),
    icsUrl: z.string(),
    statusUrl: z.string(),
    settings: MaintenanceSettings,
  })
  .meta({ id: 'MaintenancePublication' });
export const ContractIdParams = z.object({ id: Id });
export const TokenParams = z.object({ token: z.string().min(1).max(200) });
