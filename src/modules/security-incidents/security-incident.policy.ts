/**
 * Who may do what with security incidents. Staff see every client's; a contact sees only
 * their own client's (anything else is security_incident.not_found) and may file one
 * (a suspicion the desk then recognizes), read the reports and mark them read. Every move of
 * the record, every report and all evidence handling is staff's; evidence is visible to a
 * contact only once shared.
 */
import type { Role } from '../auth/actor.ts';
import { EVERYONE, STAFF, definePolicy } from '../auth/access.ts';

/** The client's own people: reading a report is their acknowledgement. */
const CONTACT: readonly Role[] = ['contact'];

export const SECURITY_INCIDENT_POLICY = definePolicy({
  'security_incident.list': EVERYONE,
  'security_incident.read': EVERYONE,
  /** Internal timeline entries, unshared evidence, chain of custody, links. */
  'security_incident.read_internal': STAFF,
  'security_incident.create': EVERYONE,
  'security_incident.update': STAFF,
  /** recognize, contain, remove-threat, close. */
  'security_incident.lifecycle': STAFF,
  'security_incident.scope': STAFF,
  'security_incident.action': STAFF,
  'security_incident.report': STAFF,
  'security_incident.link': STAFF,
  'security_report.mark_read': CONTACT,
  'security_evidence.upload': STAFF,
  'security_evidence.download': EVERYONE,
  'security_evidence.share': STAFF,
  'security_evidence.custody': STAFF,
  /** Check the stored bytes against their SHA-256 and record the outcome in the chain of custody. */
  'security_evidence.verify': STAFF,
});
