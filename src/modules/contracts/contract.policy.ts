/** Who may do what with contracts. A contact reads only their own client's. */
import { ADMIN, EVERYONE, definePolicy } from '../auth/access.ts';

export const CONTRACT_POLICY = definePolicy({
  'contract.list': EVERYONE,
  'contract.read': EVERYONE,
  'contract.create': ADMIN,
  'contract.update': ADMIN,
});
