/**
 * API tokens: 256-bit random secrets with a recognisable prefix, shown once and stored as
 * SHA-256, looked up by that hash in one indexed query; last use written at most once a
 * minute; revocation audited.
 */
import { uuidv7 } from 'uuidv7';
import { AppError } from '../../errors.ts';
import { SYSTEM_ACTOR, type Actor } from './actor.ts';
import { authorize, may } from './authorize.ts';
import { command, TOUCH_EVERY_MS } from './auth.command.ts';
import * as repo from './auth.repository.ts';
import type { AuthDb, TokenRow, UserRow } from './auth.repository.ts';
import { newApiToken, sha256, TOKEN_PREFIX } from './secrets.ts';

export interface CreatedToken {
  /** The secret. Shown once; only its SHA-256 is stored. */
  token: string;
  info: TokenRow;
}

export async function createApiToken(
  db: AuthDb,
  input: { userId?: string; email?: string; name?: string; expiresAt?: number | null },
  now: number = Date.now(),
  actor: Actor = SYSTEM_ACTOR,
): Promise<CreatedToken> {
  authorize(actor, input.userId === actor.userId ? 'token.create' : 'token.create_for_other');
  const user = input.userId
    ? await repo.findUserById(db, input.userId)
    : input.email
      ? await repo.findUserByEmail(db, input.email)
      : undefined;
  if (!user) throw new AppError('user.not_found', 'user not found');
  // A token that is dead on arrival is a mistake (a wrong year, a time zone), not a wish.
  if (input.expiresAt != null && input.expiresAt <= now) {
    throw new AppError('token.expiry_in_past', 'expiry is not in the future', [
      { path: ['expiresAt'], code: 'in_past', message: 'must be in the future' },
    ]);
  }
  const token = newApiToken();
  const info: TokenRow = {
    id: uuidv7(),
    userId: user.id,
    name: input.name?.trim() || 'api',
    prefix: token.slice(0, TOKEN_PREFIX.length + 6),
    createdAt: now,
    lastUsedAt: null,
    expiresAt: input.expiresAt ?? null,
    revokedAt: null,
  };
  await command(db, actor, now, async (w) => {
    await repo.insertApiToken(w.tx, { ...info, tokenHash: sha256(token) });
    // The secret never reaches the audit log; its prefix identifies it.
    w.audit({ entity: 'api_token', entityId: info.id, action: 'create', after: info });
  }, 'token.create');
  return { token, info };
}

export async function resolveApiToken(db: AuthDb, token: string, now: number = Date.now()): Promise<UserRow | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await repo.findTokenWithUser(db, sha256(token));
  if (!row || row.revokedAt !== null || row.disabledAt !== null) return null;
  if (row.expiresAt !== null && row.expiresAt <= now) return null;
  if (row.lastUsedAt === null || now - row.lastUsedAt >= TOUCH_EVERY_MS) await repo.touchToken(db, row.tokenId, now);
  const { tokenId: _t, expiresAt: _e, revokedAt: _r, lastUsedAt: _l, ...user } = row;
  return user;
}

/** The actor's own tokens; those who may see anyone's get `userId`'s, or all when it is not given. */
export async function listApiTokens(db: AuthDb, userId?: string, actor: Actor = SYSTEM_ACTOR): Promise<TokenRow[]> {
  authorize(actor, 'token.list');
  return repo.listTokens(db, may(actor, 'token.list_any') ? userId : actor.userId);
}

export async function getApiToken(db: AuthDb, id: string): Promise<TokenRow> {
  const t = await repo.findToken(db, id);
  if (!t) throw new AppError('token.not_found', 'token not found');
  return t;
}

/** A token of someone else is token.not_found for anyone who may not revoke anyone's. */
export async function revokeApiToken(db: AuthDb, id: string, now: number = Date.now(), actor: Actor = SYSTEM_ACTOR): Promise<void> {
  authorize(actor, 'token.revoke');
  await command(db, actor, now, async (w) => {
    const t = await getApiToken(w.tx, id);
    if (t.userId !== actor.userId && !may(actor, 'token.revoke_any')) throw new AppError('token.not_found', 'token not found');
    await repo.revokeToken(w.tx, id, now);
    w.audit({ entity: 'api_token', entityId: id, action: 'revoke' });
  }, 'token.revoke');
}
