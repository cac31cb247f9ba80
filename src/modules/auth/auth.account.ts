/**
 * What the admin screens need beyond auth.service.ts: a one-time password an admin
 * reads out to the user once (the reset of a forgotten password), and the user's
 * own profile (name, language). Kept apart from auth.service.ts, whose sessions and
 * token checks move into the database on another branch.
 */
import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { AppError } from '../../errors.ts';
import type { DB } from '../../db/schema.ts';
import { unitOfWork } from '../../db/unit-of-work.ts';
import type { Actor } from './actor.ts';
import { authorize } from './authorize.ts';
import * as repo from './auth.repository.ts';
import type { AuthDb, UserRow } from './auth.repository.ts';
import { getUser, setPassword } from './auth.service.ts';

/** No 0/O, 1/l/I: the password is read off a screen and typed or dictated. */
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Four groups of five (≈ 114 bits): far beyond the policy's 12 characters, and never a common password. */
export function generateOneTimePassword(): string {
  const group = () => Array.from({ length: 5 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return [group(), group(), group(), group()].join('-');
}

/**
 * An admin resets a user's password to a generated one, answered once (only its
 * hash is stored). As with any password set by an admin, the user's sessions end and
 * their API tokens are revoked (auth.service.ts setPassword).
 */
export async function issueOneTimePassword(db: AuthDb, userId: string, now: number, actor: Actor): Promise<{ password: string; revokedTokens: number }> {
  authorize(actor, 'user.set_password');
  if (userId === actor.userId) {
    // One's own password is changed with the current one (PUT /users/{id}/password):
    // an admin session left open must not take the account over for good.
    throw new AppError('auth.current_password_required', 'change your own password with the current one', [
      { path: ['currentPassword'], code: 'required', message: 'needed to change your own password' },
    ]);
  }
  await getUser(db, userId, actor);
  const password = generateOneTimePassword();
  // Read out or pasted by someone else: the user chooses their own at the next sign-in.
  const { revokedTokens } = await setPassword(db, userId, password, now, actor, { mustChange: true });
  return { password, revokedTokens };
}

/** The signed-in user changes their own name or language. */
export async function updateOwnProfile(
  db: AuthDb, actor: Actor, patch: { name?: string | undefined; locale?: 'ja' | 'en' | undefined }, now: number,
): Promise<UserRow> {
  authorize(actor, 'user.update_own_profile');
  return unitOfWork(db as Kysely<DB>, () => now).command(actor, async (w) => {
    const before = await getUser(w.tx, actor.userId);
    const name = patch.name?.trim() ?? before.name;
    const locale = patch.locale ?? before.locale;
    if (name === before.name && locale === before.locale) {
      w.unchanged();
      return before;
    }
    await repo.updateUser(w.tx, actor.userId, { name, locale, updatedAt: now });
    const after = await getUser(w.tx, actor.userId);
    w.audit({ entity: 'user', entityId: actor.userId, action: 'update_profile', before, after });
    return after;
  }, { now, name: 'user.update_own_profile' });
}
