/** Who may do what with webhooks and escalation rules: admins only (contacts and agents: none). Reading a contract's escalation rules is for staff. */
import { ADMIN, STAFF, definePolicy } from '../auth/access.ts';

export const WEBHOOK_POLICY = definePolicy({
  'webhook.list': ADMIN,
  'webhook.read': ADMIN,
  'webhook.create': ADMIN,
  'webhook.update': ADMIN,
  'webhook.delete': ADMIN,
  'webhook.rotate_secret': ADMIN,
  'webhook.test': ADMIN,
  'webhook.redeliver': ADMIN,
  'escalation.read': STAFF,
  'escalation.update': ADMIN,
});
