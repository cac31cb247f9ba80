import type { z } from 'zod';
import type { ApiToken, User } from '../../contract/auth.ts';
import { toIso, toIsoOrNull } from '../../contract/common.ts';
import type { TokenRow, UserRow } from './auth.repository.ts';

export function presentUser(u: UserRow): z.infer<typeof User> {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    clientId: u.clientId,
    locale: u.locale === 'en' ? 'en' : 'ja',
    disabled: u.disabledAt !== null,
    mustChangePassword: u.mustChangePassword === 1,
    createdAt: toIso(u.createdAt),
    updatedAt: toIso(u.updatedAt),
  };
}

export function presentToken(t: TokenRow): z.infer<typeof ApiToken> {
  return {
    id: t.id,
    userId: t.userId,
    name: t.name,
    prefix: t.prefix,
    createdAt: toIso(t.createdAt),
    lastUsedAt: toIsoOrNull(t.lastUsedAt),
    expiresAt: toIsoOrNull(t.expiresAt),
    revokedAt: toIsoOrNull(t.revokedAt),
  };
}
