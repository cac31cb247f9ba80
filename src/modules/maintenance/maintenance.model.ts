/**
 * The maintenance slice's types, job names and small helpers, shared by its parts
 * (windows, series, publication, queries) and re-exported by maintenance.service.ts.
 * A leaf of the slice: it imports none of the parts.
 */
import crypto from 'node:crypto';
import type { z } from 'zod';
import type { WithInstants } from '../../contract/common.ts';
import type {
  ActualBody, AnnounceBody, CancelMaintenanceBody, CreateMaintenanceBody, CreateSeriesBody, UpdateMaintenanceBody,
  UpdateMaintenanceSettingsBody,
} from '../../contract/maintenance.ts';
import type { Repeat } from '../../core/maintenance/index.ts';
import { AppError, type ErrorIssue, type IssueCode, type IssueParams } from '../../errors.ts';
import type { Delivery } from '../mail/mail.outbound.ts';
import type * as repo from './maintenance.repository.ts';

export const REMINDER_JOB = 'maintenance.reminder';
export const MATERIALIZE_JOB = 'maintenance.materialize';
/** Occurrences of series are stored this far ahead (the ICS feed and status page show them). */
export const HORIZON_MS = 90 * 86_400_000;
export const DAY = 86_400_000;
export const reminderKey = (windowId: string) => `maintenance:reminder:${windowId}`;

export type Window = repo.WindowRow;
export type Series = repo.SeriesRow;
/** A notice row with what the outbound job recorded for its mail (null: recorded before deliveries were). */
export type Notice = repo.NoticeRow & { delivery: Delivery | null };

/**
 * A new window: POST /maintenance's body with its instants as ms. `emergencyReason` is
 * required for emergency maintenance and recorded with the announcement; `announce`
 * announces at once (same rules as POST …/announce).
 */
export type WindowInput = WithInstants<z.infer<typeof CreateMaintenanceBody>, 'startsAt' | 'endsAt'>;
/** Edit or reschedule (PATCH /maintenance/{id}). */
export type WindowPatch = WithInstants<z.infer<typeof UpdateMaintenanceBody>, 'startsAt' | 'endsAt'>;
export type AnnounceInput = z.infer<typeof AnnounceBody>;
export type CancelInput = z.infer<typeof CancelMaintenanceBody>;
export type ActualInput = WithInstants<z.infer<typeof ActualBody>, 'actualStart' | 'actualEnd'>;
export type SettingsInput = z.infer<typeof UpdateMaintenanceSettingsBody>;

/**
 * A recurring window (POST /maintenance-series). startTime/endTime are local "HH:MM" in
 * the contract calendar's zone; default: the contract's backup window.
 */
export type SeriesInput = z.infer<typeof CreateSeriesBody>;

export interface WindowDetail extends Window {
  timeZone: string;
  noticeBusinessDays: number;
  /** The latest instant an announcement of this window is (or was) in time. */
  latestAnnouncementAt: number;
  notices: Notice[];
}

export interface Settings {
  contractId: string;
  noticeBusinessDays: number;
  published: boolean;
  publicTokenPrefix: string | null;
  publishedAt: number | null;
}

export const issue = (path: (string | number)[], code: IssueCode, message: string, params?: IssueParams): ErrorIssue => ({ path, code, message, ...(params ? { params } : {}) });
export const invalid = (issues: ErrorIssue[]) => new AppError('maintenance.invalid', 'invalid maintenance input', issues);
export const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

export function describeSchedule(s: Pick<Series, 'startTime' | 'endTime' | 'repeat' | 'firstDate' | 'until'>): string {
  const r = JSON.parse(s.repeat) as Repeat;
  const days = r.kind === 'daily' ? (r.every && r.every > 1 ? `every ${r.every} days` : 'daily') : `weekly ${r.weekdays.join(',')}`;
  return `${days} ${s.startTime}–${s.endTime}, from ${s.firstDate}${s.until ? ` until ${s.until}` : ''}`;
}
