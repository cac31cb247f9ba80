/**
 * Users, passwords and sessions; API tokens in auth.tokens.ts (re-exported). The HTTP hooks and the CLI
 * (`hoshu user add`, `hoshu token create`, `hoshu demo`) both call these.
 *
 * Passwords: argon2id (@node-rs/argon2 defaults: 19 MiB, t=2, p=1 — OWASP's
 * recommendation). Session ids and API tokens: 256-bit random secrets stored as
 * SHA-256, looked up by that hash in one indexed query.
 */
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { uuidv7 } from 'uuidv7';
import { AppError } from '../../errors.ts';
import { assertClientExists } from '../clients/client.service.ts';
import { SYSTEM_ACTOR, type Actor, type Role } from './actor.ts';
import { authorize } from './authorize.ts';
import * as repo from './auth.repository.ts';
import type { AuthDb, TokenRow, UserRow } from './auth.repository.ts';
import { assertAcceptablePassword } from './password-policy.ts';
import { command, TOUCH_EVERY_MS } from './auth.command.ts';
import { randomSecret, sha256 } from './secrets.ts';

export type { UserRow, TokenRow, AuthDb };

export * from './auth.tokens.ts';

export { MIN_PASSWORD_LENGTH } from './password-policy.ts';
/** Sessions slide: each use extends them up to this idle lifetime. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
/** …but never beyond this age: a stolen cookie kept busy still dies (OWASP absolute timeout). */
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;

/** A hash of a random password, verified when the e-mail is unknown so timing does not reveal accounts. */
let dummyHash: Promise<string> | null = null;
const getDummyHash = (): Promise<string> => (dummyHash ??= argonHash(randomSecret(16)));

export function hashPassword(password: string): Promise<string> {
  return argonHash(password);
}

export function toActor(user: Pick<UserRow, 'id' | 'role' | 'clientId'>): Actor {
  return { userId: user.id, role: user.role, clientId: user.role === 'contact' ? user.clientId : null };
}

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  clientId?: string | null;
  /** Omit for a user who only uses API tokens (or signs in later after an admin sets one). */
  password?: string | null;
  locale?: 'ja' | 'en';
}

export async function createUser(db: AuthDb, input: NewUser, now: number = Date.now(), actor: Actor = SYSTEM_ACTOR): Promise<UserRow> {
  authorize(actor, 'user.create');
  const email = input.email.trim().toLowerCase();
  if (input.role === 'contact' && !input.clientId) throw new AppError('auth.client_required', 'a contact needs a client');
  if (input.role !== 'contact' && input.clientId) throw new AppError('auth.client_not_allowed', 'only contacts have a client');
  if (input.password != null) await assertAcceptablePassword(input.password);
  if (await repo.findUserByEmail(db, email)) throw new AppError('auth.email_taken', 'e-mail already in use');
  const row = {
    id: uuidv7(),
    email,
    name: input.name.trim(),
    role: input.role,
    clientId: input.role === 'contact' ? (input.clientId ?? null) : null,
    passwordHash: input.password != null ? await hashPassword(input.password) : null,
    locale: input.locale ?? 'ja',
    disabledAt: null,
    mustChangePassword: 0,
    createdAt: now,
    updatedAt: now,
  };
  const { passwordHash: _omit, ...user } = row;
  try {
    await command(db, actor, now, async (w) => {
      const tx = w.tx;
      if (row.clientId !== null) {
        await assertClientExists(tx, row.clientId).catch(() => {
          throw new AppError('user.invalid', 'no such client', [{ path: ['clientId'], code: 'not_found', message: 'no such client' }]);
        });
      }
      await repo.insertUser(tx, row);
      w.audit({ entity: 'user', entityId: row.id, action: 'create', after: user });
    }, 'user.create');
  } catch (e) {
    if (e instanceof AppError) throw e;
    // Two concurrent creates of one address: the unique index decides.
    if (await repo.findUserByEmail(db, email)) throw new AppError('auth.email_taken', 'e-mail already in use');
    throw e;
  }
  return user;
}

export interface SetPasswordOptions {
  /**
   * The session (its raw id) that made the change, kept signed in: its user just
   * proved the current password, and being signed out in the middle of one's own
   * settings would only teach people to avoid changing passwords.
   */
  keepSessionId?: string | null;
  /**
   * A password someone else chose for the user (a one-time password an admin read out):
   * the user must choose their own at the next sign-in. Any other change clears it.
   */
  mustChange?: boolean;
}

/**
 * Sets a password and ends everything that signed in with the old state: every
 * session of the user (but the one that made the change, if named) and every API
 * token. A changed password is what people do when they fear someone else got in;
 * a token that someone else created must not outlive it.
 */
export async function setPassword(
  db: AuthDb, userId: string, password: string, now: number = Date.now(), actor: Actor = SYSTEM_ACTOR, opts: SetPasswordOptions = {},
): Promise<{ revokedTokens: number }> {
  authorize(actor, userId === actor.userId ? 'user.change_own_password' : 'user.set_password');
  await assertAcceptablePassword(password);
  const passwordHash = await hashPassword(password);
  return command(db, actor, now, async (w) => {
    const tx = w.tx;
    const n = await repo.updateUser(tx, userId, { passwordHash, mustChangePassword: opts.mustChange ? 1 : 0, updatedAt: now });
    if (n === 0) throw new AppError('user.not_found', 'user not found');
    await repo.deleteSessionsOfUser(tx, userId, opts.keepSessionId ? sha256(opts.keepSessionId) : undefined);
    const revoked = await repo.revokeTokensOfUser(tx, userId, now);
    // The audit row says that it changed, never the hash.
    w.audit({ entity: 'user', entityId: userId, action: 'set_password', after: { revokedTokens: revoked, mustChange: opts.mustChange === true } });
    return { revokedTokens: revoked };
  }, 'user.set_password');
}

/**
 * A user changing their own password: the current one first, so a session or token
 * left open on someone else's screen cannot take the account over for good.
 */
export async function changeOwnPassword(
  db: AuthDb, userId: string, currentPassword: string | undefined, password: string, now: number = Date.now(), actor: Actor = SYSTEM_ACTOR, opts: SetPasswordOptions = {},
): Promise<{ revokedTokens: number }> {
  if (currentPassword === undefined) {
    throw new AppError('auth.current_password_required', 'current password required', [
      { path: ['currentPassword'], code: 'required', message: 'needed to change your own password' },
    ]);
  }
  const user = await getUser(db, userId);
  if (!(await verifyPassword(db, user.email, currentPassword))) {
    throw new AppError('auth.current_password_wrong', 'current password is wrong', [
      { path: ['currentPassword'], code: 'wrong', message: 'is not your current password' },
    ]);
  }
  return setPassword(db, userId, password, now, actor, opts);
}

/** Returns the user when e-mail and password match an enabled user, else null (same timing either way). */
export async function verifyPassword(db: AuthDb, email: string, password: string): Promise<UserRow | null> {
  const found = await repo.selectPasswordHash(db, email.trim());
  if (!found || !found.passwordHash) {
    await argonVerify(await getDummyHash(), password).catch(() => false);
    return null;
  }
  const ok = await argonVerify(found.passwordHash, password).catch(() => false);
  if (!ok || found.user.disabledAt !== null) return null;
  return found.user;
}

export async function getUser(db: AuthDb, id: string, actor: Actor = SYSTEM_ACTOR): Promise<UserRow> {
  authorize(actor, 'user.read');
  const u = await repo.findUserById(db, id);
  if (!u) throw new AppError('user.not_found', 'user not found');
  return u;
}

export function findUserByEmail(db: AuthDb, email: string): Promise<UserRow | undefined> {
  return repo.findUserByEmail(db, email);
}

export async function listUsers(db: AuthDb, filter: repo.UserFilter, actor: Actor = SYSTEM_ACTOR): Promise<UserRow[]> {
  authorize(actor, 'user.list');
  return repo.listUsers(db, filter);
}

export interface UserPatch {
  name?: string | undefined;
  locale?: 'ja' | 'en' | undefined;
  disabled?: boolean | undefined;
}

export async function updateUser(db: AuthDb, id: string, patch: UserPatch, now: number = Date.now(), actor: Actor = SYSTEM_ACTOR): Promise<UserRow> {
  authorize(actor, 'user.update');
  return command(db, actor, now, async (w) => {
    const tx = w.tx;
    const before = await getUser(tx, id);
    const set: Parameters<typeof repo.updateUser>[2] = { updatedAt: now };
    if (patch.name !== undefined) set.name = patch.name.trim();
    if (patch.locale !== undefined) set.locale = patch.locale;
    if (patch.disabled !== undefined) set.disabledAt = patch.disabled ? (before.disabledAt ?? now) : null;
    await repo.updateUser(tx, id, set);
    // Disabling signs the user out everywhere and revokes their tokens for good: enabling
    // the user again later must not bring back tokens that were out of anyone's sight.
    if (patch.disabled && before.disabledAt === null) {
      await repo.deleteSessionsOfUser(tx, id);
      await repo.revokeTokensOfUser(tx, id, now);
    }
    const after = await getUser(tx, id);
    w.audit({ entity: 'user', entityId: id, action: 'update', before, after });
    return after;
  }, 'user.update');
}

// ---- sessions ----

export interface SessionInfo {
  user: UserRow;
  csrfToken: string;
  expiresAt: number;
}

export async function createSession(
  db: AuthDb,
  userId: string,
  opts: { now?: number; idleMs?: number; userAgent?: string | null } = {},
): Promise<{ sessionId: string; csrfToken: string; expiresAt: number }> {
  const now = opts.now ?? Date.now();
  const sessionId = randomSecret(32);
  const csrfToken = randomSecret(32);
  const expiresAt = Math.min(now + (opts.idleMs ?? SESSION_IDLE_MS), now + SESSION_ABSOLUTE_MS);
  await repo.insertSession(db, {
    idHash: sha256(sessionId),
    userId,
    csrfToken,
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
    userAgent: opts.userAgent?.slice(0, 300) ?? null,
  });
  return { sessionId, csrfToken, expiresAt };
}

export async function resolveSession(
  db: AuthDb,
  sessionId: string,
  opts: { now?: number; idleMs?: number } = {},
): Promise<SessionInfo | null> {
  const now = opts.now ?? Date.now();
  const idHash = sha256(sessionId);
  const row = await repo.findSessionWithUser(db, idHash);
  if (!row) return null;
  if (row.expiresAt <= now || row.disabledAt !== null) {
    await repo.deleteSession(db, idHash);
    return null;
  }
  let expiresAt = row.expiresAt;
  if (now - row.lastSeenAt >= TOUCH_EVERY_MS) {
    expiresAt = Math.min(now + (opts.idleMs ?? SESSION_IDLE_MS), row.sessionCreatedAt + SESSION_ABSOLUTE_MS);
    await repo.touchSession(db, idHash, now, expiresAt);
  }
  const { csrfToken, expiresAt: _e, lastSeenAt: _l, sessionCreatedAt: _c, ...user } = row;
  return { user, csrfToken, expiresAt };
}

export async function deleteSession(db: AuthDb, sessionId: string): Promise<void> {
  await repo.deleteSession(db, sha256(sessionId));
}

export function deleteExpiredSessions(db: AuthDb, now: number = Date.now()): Promise<number> {
  return repo.deleteExpiredSessions(db, now);
}
