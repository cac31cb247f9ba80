/**
 * Who may do what with SLA policies. A contact reads only the policies their own
 * client's contracts follow, and of those only the versions the contracts follow
 * (another client's special terms, other versions' documents and revision notes
 * are not theirs); anything else is sla_policy.not_found.
 */
import { ADMIN, EVERYONE, STAFF, definePolicy } from '../auth/access.ts';

export const SLA_POLICY_POLICY = definePolicy({
  'sla_policy.list': EVERYONE,
  'sla_policy.read': EVERYONE,
  'sla_policy.read_version': EVERYONE,
  /** Every policy and every version, whichever contracts follow them. */
  'sla_policy.read_all': STAFF,
  'sla_policy.create': ADMIN,
  'sla_policy.revise': ADMIN,
  'sla_policy.set_default': ADMIN,
  /** The SLA document's templates (ja, en) of a policy version. */
  'sla_policy.read_templates': STAFF,
  /** A new template is a new version of the policy. */
  'sla_policy.edit_template': ADMIN,
  /** A contract's SLA document (a contact: their own client's contracts, in the version each follows). */
  'contract.sla_document': EVERYONE,
});
