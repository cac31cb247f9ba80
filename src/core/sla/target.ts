import { z } from 'zod';

/**
 * An SLA target: how long the clock may run.
 * - calendar: minutes on a 24/7 clock, whatever the calendar;
 * - business: minutes of working time on the calendar;
 * - endOfNthBusinessDay: the closing time of the nth business day after the start's local date.
 */
export type SlaTarget =
  | { kind: 'calendar'; minutes: number }
  | { kind: 'business'; minutes: number }
  | { kind: 'endOfNthBusinessDay'; n: number };

const minutes = z.number().finite().nonnegative().max(60 * 24 * 366 * 10, 'must be at most ten years');

export const slaTargetSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('calendar'), minutes }),
  z.strictObject({ kind: z.literal('business'), minutes }),
  z.strictObject({ kind: z.literal('endOfNthBusinessDay'), n: z.number().int().min(1).max(3660) }),
], { error: 'kind must be "calendar", "business" or "endOfNthBusinessDay"' });
