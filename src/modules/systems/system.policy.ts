/** Who may do what with systems. A contact reads only their own client's. */
import { ADMIN, EVERYONE, definePolicy } from '../auth/access.ts';

export const SYSTEM_POLICY = definePolicy({
  'system.list': EVERYONE,
  'system.read': EVERYONE,
  'system.create': ADMIN,
  'system.update': ADMIN,
});
