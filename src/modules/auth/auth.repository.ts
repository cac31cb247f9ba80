/**
 * Queries on users, sessions and API tokens. Columns are named (never selectAll):
 * password hashes only leave through selectPasswordHash.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB, NewRow, Row, RowUpdate } from '../../db/schema.ts';
import type { Role } from './actor.ts';

export type AuthDb = Kysely<DB> | Transaction<DB>;
type AuthTables = Pick<DB, 'users' | 'sessions' | 'apiTokens'>;

/** A user as the app sees it: never with the password hash. */
export type UserRow = Omit<Row<'users'>, 'passwordHash' | 'role'> & { role: Role };

const USER_COLUMNS = ['id', 'email', 'name', 'role', 'clientId', 'locale', 'disabledAt', 'mustChangePassword', 'createdAt', 'updatedAt'] as const;
/** The same columns, qualified, for the session and token lookups that join users. */
const JOINED_USER_COLUMNS = USER_COLUMNS.map((c) => `users.${c}` as const);

function normalizeUser<T extends Record<string, unknown>>(row: T): T & { role: Role } {
  // PostgreSQL bigint may arrive as string if the dialect parser is missing; keep numbers numbers.
  for (const k of ['disabledAt', 'createdAt', 'updatedAt', 'expiresAt', 'lastSeenAt', 'lastUsedAt', 'revokedAt', 'sessionCreatedAt'] as const) {
    const v = row[k];
    if (typeof v === 'string') (row as Record<string, unknown>)[k] = Number(v);
  }
  // The CHECK constraint of the users table guarantees one of the three roles.
  return row as T & { role: Role };
}

export async function insertUser(db: AuthDb, row: NewRow<'users'>): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

export async function findUserById(db: AuthDb, id: string): Promise<UserRow | undefined> {
  const row = await db.selectFrom('users').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst();
  return row && normalizeUser(row);
}

export async function findUserByEmail(db: AuthDb, email: string): Promise<UserRow | undefined> {
  const row = await db.selectFrom('users').select(USER_COLUMNS).where('email', '=', email.toLowerCase()).executeTakeFirst();
  return row && normalizeUser(row);
}

export async function selectPasswordHash(db: AuthDb, email: string): Promise<{ user: UserRow; passwordHash: string | null } | undefined> {
  const row = await db
    .selectFrom('users')
    .select([...USER_COLUMNS, 'passwordHash'])
    .where('email', '=', email.toLowerCase())
    .executeTakeFirst();
  if (!row) return undefined;
  const { passwordHash, ...user } = row;
  return { user: normalizeUser(user), passwordHash };
}

export interface UserFilter {
  role?: string | undefined;
  clientId?: string | undefined;
  limit: number;
  offset: number;
}

export async function listUsers(db: AuthDb, f: UserFilter): Promise<UserRow[]> {
  let q = db.selectFrom('users').select(USER_COLUMNS);
  if (f.role) q = q.where('role', '=', f.role);
  if (f.clientId) q = q.where('clientId', '=', f.clientId);
  const rows = await q.orderBy('email').limit(f.limit).offset(f.offset).execute();
  return rows.map(normalizeUser);
}

export async function updateUser(db: AuthDb, id: string, patch: RowUpdate<'users'>): Promise<number> {
  const r = await db.updateTable('users').set(patch).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

// ---- sessions ----

export async function insertSession(db: AuthDb, row: AuthTables['sessions']): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

export async function findSessionWithUser(db: AuthDb, idHash: string) {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.userId')
    .select([
      'sessions.csrfToken',
      'sessions.expiresAt',
      'sessions.lastSeenAt',
      'sessions.createdAt as sessionCreatedAt',
      ...JOINED_USER_COLUMNS,
    ])
    .where('sessions.idHash', '=', idHash)
    .executeTakeFirst();
  return row && normalizeUser(row);
}

export async function touchSession(db: AuthDb, idHash: string, lastSeenAt: number, expiresAt: number): Promise<void> {
  await db.updateTable('sessions').set({ lastSeenAt, expiresAt }).where('idHash', '=', idHash).execute();
}

export async function deleteSession(db: AuthDb, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('idHash', '=', idHash).execute();
}

/** Every session of the user, except the one whose id hash is `keepIdHash`. */
export async function deleteSessionsOfUser(db: AuthDb, userId: string, keepIdHash?: string): Promise<void> {
  let q = db.deleteFrom('sessions').where('userId', '=', userId);
  if (keepIdHash !== undefined) q = q.where('idHash', '!=', keepIdHash);
  await q.execute();
}

export async function deleteExpiredSessions(db: AuthDb, now: number): Promise<number> {
  const r = await db.deleteFrom('sessions').where('expiresAt', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}

// ---- API tokens ----

export async function insertApiToken(db: AuthDb, row: AuthTables['apiTokens']): Promise<void> {
  await db.insertInto('apiTokens').values(row).execute();
}

export async function findTokenWithUser(db: AuthDb, tokenHash: string) {
  const row = await db
    .selectFrom('apiTokens')
    .innerJoin('users', 'users.id', 'apiTokens.userId')
    .select([
      'apiTokens.id as tokenId',
      'apiTokens.expiresAt',
      'apiTokens.revokedAt',
      'apiTokens.lastUsedAt',
      ...JOINED_USER_COLUMNS,
    ])
    .where('apiTokens.tokenHash', '=', tokenHash)
    .executeTakeFirst();
  return row && normalizeUser(row);
}

export async function touchToken(db: AuthDb, id: string, lastUsedAt: number): Promise<void> {
  await db.updateTable('apiTokens').set({ lastUsedAt }).where('id', '=', id).execute();
}

const TOKEN_COLUMNS = ['id', 'userId', 'name', 'prefix', 'createdAt', 'lastUsedAt', 'expiresAt', 'revokedAt'] as const;
export type TokenRow = Pick<AuthTables['apiTokens'], (typeof TOKEN_COLUMNS)[number]>;

function normalizeToken(row: TokenRow): TokenRow {
  for (const k of ['createdAt', 'lastUsedAt', 'expiresAt', 'revokedAt'] as const) {
    const v: unknown = row[k];
    if (typeof v === 'string') (row as Record<string, unknown>)[k] = Number(v);
  }
  return row;
}

export async function listTokens(db: AuthDb, userId?: string): Promise<TokenRow[]> {
  let q = db.selectFrom('apiTokens').select(TOKEN_COLUMNS);
  if (userId) q = q.where('userId', '=', userId);
  const rows = await q.orderBy('createdAt', 'desc').execute();
  return rows.map(normalizeToken);
}

export async function findToken(db: AuthDb, id: string): Promise<TokenRow | undefined> {
  const row = await db.selectFrom('apiTokens').select(TOKEN_COLUMNS).where('id', '=', id).executeTakeFirst();
  return row && normalizeToken(row);
}

/** Revokes every live token of the user; returns how many. */
export async function revokeTokensOfUser(db: AuthDb, userId: string, now: number): Promise<number> {
  const r = await db.updateTable('apiTokens').set({ revokedAt: now }).where('userId', '=', userId).where('revokedAt', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function revokeToken(db: AuthDb, id: string, now: number): Promise<void> {
  await db.updateTable('apiTokens').set({ revokedAt: now }).where('id', '=', id).where('revokedAt', 'is', null).execute();
}

// ---- Failed sign-ins (login-throttle.ts), shared by every app process ----

export async function addLoginFailures(db: AuthDb, rows: readonly { id: string; key: string; at: number }[]): Promise<void> {
  await db.insertInto('loginFailures').values([...rows]).execute();
}

/** The failures of some keys since an instant, newest first. */
export async function loginFailuresSince(db: AuthDb, keys: readonly string[], since: number): Promise<{ id: string; key: string; at: number }[]> {
  return db.selectFrom('loginFailures').select(['id', 'key', 'at']).where('key', 'in', keys).where('at', '>', since)
    .orderBy('at', 'desc').orderBy('id', 'desc').execute();
}

export async function deleteLoginFailures(db: AuthDb, o: { ids?: readonly string[]; key?: string; before?: number }): Promise<void> {
  let q = db.deleteFrom('loginFailures');
  if (o.ids) {
    if (o.ids.length === 0) return;
    q = q.where('id', 'in', o.ids);
  }
  if (o.key !== undefined) q = q.where('key', '=', o.key);
  if (o.before !== undefined) q = q.where('at', '<', o.before);
  await q.execute();
}
