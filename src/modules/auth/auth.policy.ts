/** Who may do what with users and API tokens. */
import { ADMIN, EVERYONE, STAFF, definePolicy } from './access.ts';

export const AUTH_POLICY = definePolicy({
  /** Listing users and reading one (to pick an assignee or engineer). */
  'user.list': STAFF,
  'user.read': STAFF,
  'user.create': ADMIN,
  /** Rename, change language, disable or enable. */
  'user.update': ADMIN,
  /** Setting someone else's password. */
  'user.set_password': ADMIN,
  /** One's own name and language (the profile screen). */
  'user.update_own_profile': EVERYONE,
  /** Changing one's own password (with the current one). */
  'user.change_own_password': EVERYONE,
  /** One's own tokens. */
  'token.list': EVERYONE,
  'token.create': EVERYONE,
  'token.revoke': EVERYONE,
  /** Anyone's tokens: a token of someone else is token.not_found for anyone else. */
  'token.list_any': ADMIN,
  'token.create_for_other': ADMIN,
  'token.revoke_any': ADMIN,
});
