/**
 * Who may do what with maintenance. A contact reads only their own client's
 * windows, series and settings (anything else is <entity>.not_found), and of the
 * windows only those the client was told about: announced, or cancelled after
 * being announced — a draft is not theirs to see yet. Staff schedule and announce.
 */
import { ADMIN, EVERYONE, STAFF, definePolicy } from '../auth/access.ts';

export const MAINTENANCE_POLICY = definePolicy({
  'maintenance.list': EVERYONE,
  'maintenance.read': EVERYONE,
  /** Drafts (and drafts cancelled before announcement). */
  'maintenance.read_drafts': STAFF,
  // The SMTP server's wording of each notice's delivery (contacts see only the status).
  'maintenance.read_delivery': STAFF,
  'maintenance.create': STAFF,
  'maintenance.update': STAFF,
  'maintenance.announce': STAFF,
  'maintenance.cancel': STAFF,
  'maintenance.record_actual': STAFF,
  /** The notice rule's answer for a start (shown while scheduling). */
  'maintenance.notice': EVERYONE,
  'maintenance.read_settings': EVERYONE,
  'maintenance.update_settings': ADMIN,
  /** The contract's public ICS feed and status page. */
  'maintenance.publish': STAFF,
  'maintenance.unpublish': STAFF,
  'maintenance_series.list': EVERYONE,
  'maintenance_series.read': EVERYONE,
  'maintenance_series.create': STAFF,
  'maintenance_series.cancel': STAFF,
});
