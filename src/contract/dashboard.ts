/**
 * The live dashboard (issue 12): what is open and how it stands on its SLA now, what
 * breaches next, breaches this month against last, attainment over six months, systems
 * down now, maintenance in the next seven days and the notices that must go out. Staff
 * see every client; a contact only their own client's contracts. The web polls it.
 */
import { z } from 'zod';
import { Id, Instant, Locale } from './common.ts';
import { PRIORITIES, TARGET_KINDS } from './vocabulary.ts';

/** An open incident's SLA state now: the worst of its running targets. */
export const DASHBOARD_STATES = ['breached', 'atRisk', 'ok', 'paused', 'outOfScope'] as const;
export type DashboardState = (typeof DASHBOARD_STATES)[number];

export const DashboardQuery = z.object({
  contractId: Id.optional().describe('only this contract (a contact: one of their own, else contract.not_found)'),
  lang: Locale.optional().describe('language of the charts; default: the request\'s'),
});

const StateCounts = z.object(Object.fromEntries(DASHBOARD_STATES.map((s) => [s, z.number().int()])) as Record<DashboardState, z.ZodNumber>);
const PriorityCounts = z.object(Object.fromEntries(PRIORITIES.map((p) => [p, z.number().int()])) as Record<(typeof PRIORITIES)[number], z.ZodNumber>);

export const Dashboard = z
  .object({
    asOf: Instant,
    timeZone: z.string().describe('the zone months are counted in'),
    contractId: Id.nullable(),
    open: z.object({
      total: z.number().int(),
      byState: StateCounts,
      byPriority: z.object(Object.fromEntries(PRIORITIES.map((p) => [p, StateCounts])) as Record<(typeof PRIORITIES)[number], typeof StateCounts>),
    }),
    atRisk: z.array(z.object({
      incidentId: Id,
      number: z.number().int(),
      title: z.string(),
      contractId: Id,
      priority: z.enum(PRIORITIES),
      kind: z.enum(TARGET_KINDS),
      state: z.enum(['ok', 'atRisk']),
      dueAt: Instant,
      msLeft: z.number().int().describe('until the target is due, at asOf'),
    })).describe('running targets not yet breached, the least time left first (at most 10)'),
    breaches: z.object({
      thisMonth: z.object({ month: z.string(), total: z.number().int(), byPriority: PriorityCounts }),
      lastMonth: z.object({ month: z.string(), total: z.number().int(), byPriority: PriorityCounts }),
    }).describe('targets that went late in the month (breached, or met late), counted as the monthly report counts them'),
    trend: z.array(z.object({
      month: z.string().describe('YYYY-MM'),
      met: z.number().int(),
      metLate: z.number().int(),
      breached: z.number().int(),
      rate: z.number().nullable().describe('met / ended, null when nothing ended'),
    })).describe('the last six months, oldest first'),
    systemsDown: z.array(z.object({
      outageId: Id, systemId: Id, systemName: z.string(), contractId: Id, startedAt: Instant, incidentId: Id.nullable(),
    })),
    maintenance: z.array(z.object({
      id: Id, title: z.string(), contractId: Id, kind: z.string(), status: z.string(), startsAt: Instant, endsAt: Instant,
    })).describe('windows starting in the next 7 days (a contact: announced ones)'),
    noticesDue: z.array(z.object({
      windowId: Id, title: z.string(), contractId: Id, startsAt: Instant, latestAnnouncementAt: Instant, late: z.boolean(),
    })).describe('drafts of the next 30 days whose notice has not gone out, the latest allowed announcement first (staff only; empty for a contact)'),
    charts: z.object({
      open: z.string().describe('SVG: open incidents per priority and SLA state'),
      breaches: z.string().describe('SVG: breaches per priority, this month and last'),
      trend: z.string().describe('SVG: attainment per month (%)'),
    }).describe('the same server-side ECharts SVG as the monthly report'),
  })
  .meta({ id: 'Dashboard' });
