/** Who may do what with clients. A contact reads only their own client. */
import { ADMIN, EVERYONE, definePolicy } from '../auth/access.ts';

export const CLIENT_POLICY = definePolicy({
  'client.list': EVERYONE,
  'client.read': EVERYONE,
  'client.create': ADMIN,
  'client.update': ADMIN,
});
