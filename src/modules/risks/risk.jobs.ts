/**
 * Review timers of the risk register, durable in the job table. An open risk with a
 * `next_review_at` has two jobs: `risk:review:<id>:due` at that instant (the owner is told the
 * review is due) and `risk:review:<id>:overdue` at the end of the criteria's grace (the owner and
 * the admins are told, and lists show the risk as escalated). Whenever the review instant moves
 * (registered, rescored, reviewed, closed, reopened) the keys are rewritten in the same
 * transaction. The handler fires each event once per review instant: a conditional update of
 * `review_due_fired_at` / `review_overdue_fired_at` decides (risk.repository.ts `markReviewFired`),
 * so a retried or doubled job, or a second process, finds nothing to do.
 */
import { reviewOverdueAt, type RiskCriteria } from '../../core/risk/scoring.ts';
import type { Executor } from '../../db/database.ts';
import { cancelJobs, enqueue, enqueueMany, type EnqueueOptions } from '../../jobs/queue.ts';
import type { JobHandler } from '../../jobs/runner.ts';
import type * as repo from './risk.repository.ts';

export const RISK_REVIEW_JOB = 'risk.review';
/** An accepted residual risk reaching its expiry: the owner and the client are told, once. */
export const RISK_ACCEPTANCE_EXPIRY_JOB = 'risk.acceptance_expiry';
export const acceptanceExpiryKey = (acceptanceId: string) => `risk:acceptance:${acceptanceId}`;
export type ReviewEvent = 'due' | 'overdue';

export interface RiskReviewPayload {
  riskId: string;
  event: ReviewEvent;
  /** The review instant the job was armed for; a job for an older instant does nothing. */
  dueAt: number;
}

export const reviewTimerKey = (riskId: string, event: ReviewEvent) => `risk:review:${riskId}:${event}`;

type TimerRisk = Pick<repo.RiskRow, 'id' | 'status' | 'nextReviewAt' | 'reviewDueFiredAt' | 'reviewOverdueFiredAt'>;

/** The timer jobs a risk calls for now (none once closed or fired). */
export function planReviewTimers(risk: TimerRisk, criteria: RiskCriteria, now: number): EnqueueOptions[] {
  if (risk.status !== 'open' || risk.nextReviewAt === null) return [];
  const dueAt = risk.nextReviewAt;
  const jobs: EnqueueOptions[] = [];
  const add = (event: ReviewEvent, runAt: number) => {
    const payload: RiskReviewPayload = { riskId: risk.id, event, dueAt };
    jobs.push({ kind: RISK_REVIEW_JOB, payload, runAt, dedupeKey: reviewTimerKey(risk.id, event), now });
  };
  if (risk.reviewDueFiredAt === null) add('due', dueAt);
  if (risk.reviewOverdueFiredAt === null) add('overdue', reviewOverdueAt(criteria, dueAt));
  return jobs;
}

/** Rewrites a risk's review jobs; call in the transaction that changed it. */
export async function syncReviewTimers(ex: Executor, risk: TimerRisk, criteria: RiskCriteria, now: number): Promise<void> {
  await cancelJobs(ex, `risk:review:${risk.id}:`);
  await enqueueMany(ex, planReviewTimers(risk, criteria, now));
}

/** Re-arms one timer (its instant moved later than when the job was claimed). */
export const rearm = (ex: Executor, p: RiskReviewPayload, runAt: number, now: number) =>
  enqueue(ex, { kind: RISK_REVIEW_JOB, payload: p, runAt, dedupeKey: reviewTimerKey(p.riskId, p.event), now });

/** The handler table entry; the service does the work in one unit. */
export interface RiskTimers {
  fireReview(p: RiskReviewPayload, baseUrl?: string): Promise<boolean>;
  fireAcceptanceExpiry(p: { acceptanceId: string }, baseUrl?: string): Promise<boolean>;
}

/** The handler table entries; the service does the work, each in one unit. `baseUrl` makes the links in the mail. */
export function createRiskJobHandlers(deps: { risks: RiskTimers; baseUrl?: string }): Record<string, JobHandler> {
  return {
    [RISK_REVIEW_JOB]: async (payload) => {
      await deps.risks.fireReview(payload as RiskReviewPayload, deps.baseUrl);
    },
    [RISK_ACCEPTANCE_EXPIRY_JOB]: async (payload) => {
      await deps.risks.fireAcceptanceExpiry(payload as { acceptanceId: string }, deps.baseUrl);
    },
  };
}
