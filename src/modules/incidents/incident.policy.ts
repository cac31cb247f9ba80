/**
 * Who may do what with incidents. A contact acts only on their own client's
 * incidents (anything else is incident.not_found): they file, read, and write
 * messages; every move of the lifecycle and every change of the record is staff's.
 */
import { EVERYONE, STAFF, definePolicy } from '../auth/access.ts';

export const INCIDENT_POLICY = definePolicy({
  'incident.list': EVERYONE,
  'incident.read': EVERYONE,
  /** Internal notes, internal timeline entries and the SLA timer instant. */
  'incident.read_internal': STAFF,
  'incident.create': EVERYONE,
  /** Opening the incident page; for those who may move the lifecycle it recognizes a new incident. */
  'incident.open': EVERYONE,
  /** Any command of the lifecycle (src/contract/incident-lifecycle.ts): recognize, start, wait, resolve, … */
  'incident.lifecycle': STAFF,
  'incident.priority': STAFF,
  'incident.scope': STAFF,
  'incident.assign': STAFF,
  'incident.update': STAFF,
  /** A public message (the client sees it). */
  'incident.comment': EVERYONE,
  /** An internal note. */
  'incident.note': STAFF,
  /** How a deadline was counted. */
  'incident.explain': EVERYONE,
});
