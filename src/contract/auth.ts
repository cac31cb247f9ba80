import { z } from 'zod';
import { crossFieldWhen, Email, Id, Instant, Locale, Text } from './common.ts';
import { rule } from './errors.ts';

export const Role = z.enum(['admin', 'agent', 'contact']);

export const User = z
  .object({
    id: Id,
    email: z.string(),
    name: z.string(),
    role: Role,
    clientId: Id.nullable(),
    locale: Locale,
    disabled: z.boolean(),
    mustChangePassword: z.boolean().describe('signed in with a one-time password: every call but the password change answers auth.password_change_required'),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .meta({ id: 'User' });

export const LoginBody = z.strictObject({
  email: Email,
  password: Text.min(1).max(1024),
});

export const Session = z
  .object({
    user: User,
    /** Send back in X-CSRF-Token on every cookie-authenticated write. */
    csrfToken: z.string().nullable().describe('for cookie sessions: send in the X-CSRF-Token header on writes; null with a bearer token'),
    expiresAt: Instant.nullable(),
  })
  .meta({ id: 'Session' });

/**
 * A new password's shape only; its rules (length in characters, not blank, not a
 * common password) are checked by the auth service, which the CLI shares, and
 * answered with their own error codes (auth.weak_password, auth.blank_password,
 * auth.common_password).
 */
const NewPassword = Text.min(1).max(1024).describe('at least 12 characters, not only spaces, not a common password');

export const CreateUserBody = z
  .strictObject({
    email: Email,
    name: Text.trim().min(1).max(200),
    role: Role,
    clientId: Id.nullable().optional(),
    password: NewPassword.optional(),
    locale: Locale.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.role === 'contact' && !v.clientId) ctx.addIssue({ code: 'custom', path: ['clientId'], params: rule('required_for_contact') });
    if (v.role !== 'contact' && v.clientId) ctx.addIssue({ code: 'custom', path: ['clientId'], params: rule('only_contact_has_client') });
  }, crossFieldWhen);

export const UpdateUserBody = z.strictObject({
  name: Text.trim().min(1).max(200).optional(),
  locale: Locale.optional(),
  disabled: z.boolean().optional(),
});

export const SetPasswordBody = z.strictObject({
  password: NewPassword,
  /** Required when users change their own password; an admin setting someone else's leaves it out. */
  currentPassword: Text.min(1).max(1024).optional().describe('your current password: required to change your own'),
});

export const UserQuery = z.object({
  role: Role.optional(),
  clientId: Id.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export const ApiToken = z
  .object({
    id: Id,
    userId: Id,
    name: z.string(),
    prefix: z.string().describe('first characters of the token, to recognise it'),
    createdAt: Instant,
    lastUsedAt: Instant.nullable(),
    expiresAt: Instant.nullable(),
    revokedAt: Instant.nullable(),
  })
  .meta({ id: 'ApiToken' });

export const CreateTokenBody = z.strictObject({
  name: Text.trim().min(1).max(100),
  /** Admins may create a token for another user (e.g. an integration account). */
  userId: Id.optional(),
  expiresAt: Instant.nullable().optional(),
});

export const CreatedToken = z.object({
  token: z.string().describe('the secret; shown once, only its SHA-256 is stored'),
  info: ApiToken,
});
