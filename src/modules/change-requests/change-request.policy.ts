/**
 * Who may do what with change requests. A contact files, reads and comments on their
 * own client's requests only (anything else is change_request.not_found), answers a
 * clarification, withdraws, approves or rejects a proposal version (the service also
 * requires them to be the contract's designated contact, or an allowed deputy) and
 * confirms the finished work (検収). Only staff judge feasibility, write and send
 * proposals, schedule and carry out the work.
 */
import type { Role } from '../auth/actor.ts';
import { ADMIN, EVERYONE, STAFF, definePolicy } from '../auth/access.ts';

const CONTACT: readonly Role[] = ['contact'];

export const CHANGE_REQUEST_POLICY = definePolicy({
  'change_request.list': EVERYONE,
  'change_request.read': EVERYONE,
  /** Internal timeline entries (the feasibility timers), draft proposal versions, draft maintenance in the conflicts. */
  'change_request.read_internal': STAFF,
  'change_request.create': EVERYONE,
  /** Filing on behalf of someone: a phone call, a receipt time, a named requester. */
  'change_request.create_for': STAFF,
  /** An incident of category "change request" becomes a change request. */
  'change_request.convert': STAFF,
  /** 可否判断: feasible, not feasible, needs clarification. */
  'change_request.judge': STAFF,
  'change_request.clarify': EVERYONE,
  'change_request.comment': EVERYONE,
  'change_request.withdraw': EVERYONE,
  /** Approve or reject a proposal version (in the portal). */
  'change_request.decide': CONTACT,
  'change_request.schedule': STAFF,
  /** Start and finish the work. */
  'change_request.implement': STAFF,
  /** 検収: the client confirms the finished work. */
  'change_request.confirm': CONTACT,
  'change_request.close': STAFF,
  'change_request.read_settings': EVERYONE,
  'change_request.update_settings': ADMIN,
  'change_proposal.create': STAFF,
  'change_proposal.update': STAFF,
  'change_proposal.send': STAFF,
});
