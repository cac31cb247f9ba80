/**
 * Who may do what with the risk register. Staff run it; a contact reads their own client's
 * risks (presented controls only, no internal notes), writes in the discussion thread,
 * acknowledges a presented control and formally accepts a residual risk — the two things
 * only the client can do, so staff may not do them on the client's behalf.
 */
import type { Role } from '../auth/actor.ts';
import { ADMIN, EVERYONE, STAFF, definePolicy } from '../auth/access.ts';

const CONTACT: readonly Role[] = ['contact'];

export const RISK_POLICY = definePolicy({
  'risk.list': EVERYONE,
  'risk.read': EVERYONE,
  'risk.export': EVERYONE,
  'risk.create': STAFF,
  'risk.update': STAFF,
  'risk.rescore': STAFF,
  'risk.close': STAFF,
  'risk.reopen': STAFF,
  'risk.review': STAFF,
  'risk.comment': EVERYONE,
  'risk.note': STAFF,
  'risk.read_internal': STAFF,
  'risk.link': STAFF,
  'risk.unlink': STAFF,
  'risk.control_create': STAFF,
  'risk.control_update': STAFF,
  'risk.control_present': STAFF,
  'risk.acknowledge': CONTACT,
  'risk.accept': CONTACT,
  'risk_criteria.read': EVERYONE,
  'risk_criteria.create': ADMIN,
});
