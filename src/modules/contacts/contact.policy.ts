/** Who may do what with contact persons. A contact reads only their own client's. */
import { EVERYONE, STAFF, definePolicy } from '../auth/access.ts';

export const CONTACT_POLICY = definePolicy({
  'contact.list': EVERYONE,
  'contact.read': EVERYONE,
  'contact.create': STAFF,
  'contact.update': STAFF,
});
