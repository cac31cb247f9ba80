/** Who may read the audit log. */
import { ADMIN, definePolicy } from '../auth/access.ts';

export const AUDIT_POLICY = definePolicy({
  'audit.list': ADMIN,
});
