/**
 * The SLA policy document: per priority, which targets run, on what clock and
 * from which anchor, plus the policy's options. Stored as JSON in
 * sla_policy_versions.document; a revision is a new row, never an edit.
 */
import { z } from 'zod';
import { slaTargetSchema, type SlaTarget } from '../core/sla/index.ts';
import { ANCHORS, TARGET_KINDS, type Anchor, type Priority, type TargetKind } from './vocabulary.ts';

export interface TargetSpec {
  from: Anchor;
  clock: SlaTarget;
}

const targetSpecSchema = z.strictObject({
  from: z.enum(ANCHORS).default('recognized'),
  clock: slaTargetSchema,
});

const prioritySchema = z
  .strictObject({
    start: targetSpecSchema.optional(),
    resolve: targetSpecSchema.optional(),
    propose: targetSpecSchema.optional(),
  })
  .refine((p) => p.start || p.resolve || p.propose, { params: { rule: 'one_target' } })
  // No message: the rule's words come from the ja/en templates (issues.rule.*), in the reader's language.
  .refine((p) => p.start?.from !== 'started', { params: { rule: 'start_not_from_started' }, path: ['start', 'from'] });

export const slaPolicyDocumentSchema = z.strictObject({
  /** Fraction of a target's time after which it is "at risk". */
  atRiskThreshold: z.number().gt(0).max(1).default(0.75),
  /** Waiting for the client pauses the resolution (and solution-proposed) clocks. */
  pauseResolutionWhileWaiting: z.boolean().default(true),
  /** Send warnings about business-hours targets while the calendar is closed (else at the next opening). */
  notifyWhileClosed: z.boolean().default(false),
  /** Security incidents: report to the client within this, counted from discovery (absent: 24 hours on the 24/7 clock). */
  securityReport: slaTargetSchema.optional(),
  priorities: z.strictObject({ urgent: prioritySchema, important: prioritySchema, minor: prioritySchema }),
  /** Change requests (issue 13): the target for the feasibility answer (可否判断), counted from receipt on the contract's calendar. */
  changeRequests: z.strictObject({ feasibility: slaTargetSchema.optional() }).optional(),
});

export type SlaPolicyDocument = z.infer<typeof slaPolicyDocumentSchema>;

/** One standard business day of working time (09:00–18:00) in minutes. */
export const BUSINESS_DAY_MINUTES = 540;

/** The standard policy of the vendor's page (SPEC §2), shipped as the default. */
export const STANDARD_POLICY: SlaPolicyDocument = {
  atRiskThreshold: 0.75,
  pauseResolutionWhileWaiting: true,
  notifyWhileClosed: false,
  priorities: {
    urgent: {
      start: { from: 'recognized', clock: { kind: 'calendar', minutes: 10 } },
      resolve: { from: 'recognized', clock: { kind: 'calendar', minutes: 8 * 60 } },
    },
    important: {
      start: { from: 'recognized', clock: { kind: 'business', minutes: BUSINESS_DAY_MINUTES } },
      resolve: { from: 'started', clock: { kind: 'endOfNthBusinessDay', n: 1 } },
    },
    minor: {
      start: { from: 'recognized', clock: { kind: 'business', minutes: BUSINESS_DAY_MINUTES } },
      propose: { from: 'recognized', clock: { kind: 'calendar', minutes: 7 * 24 * 60 } },
    },
  },
  // Not on the vendor's page: an example target a policy may set (3 business days of receipt).
  changeRequests: { feasibility: { kind: 'business', minutes: 3 * BUSINESS_DAY_MINUTES } },
};

export function targetsFor(doc: SlaPolicyDocument, priority: Priority): [TargetKind, TargetSpec][] {
  const p = doc.priorities[priority];
  return TARGET_KINDS.flatMap((k) => (p[k] ? [[k, p[k]] as [TargetKind, TargetSpec]] : []));
}
