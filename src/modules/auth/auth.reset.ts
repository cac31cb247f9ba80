/**
 * Password reset by an e-mailed link (issue 17). An admin sends a user a link whose
 * token is a 256-bit secret: only its SHA-256 is stored, it works once and for an hour.
 * Following it, the user chooses a password that meets the password rules; as with any
 * password change, their sessions end and their API tokens are revoked. A new link
 * voids the user's earlier unused ones, so only the latest mail works.
 *
 * The mail goes through the one outbound path (mail.outbound.ts) in the user's language,
 * enqueued in the transaction that stored the token.
 */
import type { Kysely } from 'kysely';
import { AppError } from '../../errors.ts';
import type { DB } from '../../db/schema.ts';
import { unitOfWork } from '../../db/unit-of-work.ts';
import { t } from '../../i18n/index.ts';
import { enqueueMail } from '../mail/mail.outbound.ts';
import { SYSTEM_ACTOR, type Actor } from './actor.ts';
import { authorize } from './authorize.ts';
import type { AuthDb } from './auth.repository.ts';
import { getUser, setPassword } from './auth.service.ts';
import { assertAcceptablePassword } from './password-policy.ts';
import { randomSecret, sha256 } from './secrets.ts';

/** Long enough to read the mail and choose a password; short enough that an old mailbox is no key. */
export const RESET_LINK_TTL_MS = 60 * 60 * 1000;

/** The reset page of the web app for a token (the link in the mail). */
export const resetUrl = (baseUrl: string, token: string): string => `${baseUrl.replace(/\/$/, '')}/reset/${token}`;

/**
 * An admin e-mails a user a reset link. The token never leaves this function but in
 * the mail; the answer says when the link expires and to which address it went.
 */
export async function sendResetLink(
  db: AuthDb, userId: string, o: { now: number; actor: Actor; baseUrl: string },
): Promise<{ email: string; expiresAt: number }> {
  authorize(o.actor, 'user.set_password');
  const user = await getUser(db, userId, o.actor);
  if (user.disabledAt !== null) throw new AppError('auth.user_disabled', 'user is disabled');
  const token = randomSecret(32);
  const expiresAt = o.now + RESET_LINK_TTL_MS;
  const locale = user.locale === 'en' ? 'en' : 'ja';
  const params = { name: user.name, url: resetUrl(o.baseUrl, token), minutes: RESET_LINK_TTL_MS / 60_000 };
  await unitOfWork(db as Kysely<DB>, () => o.now).command(o.actor, async (w) => {
    // Only the latest link works: an earlier mail forwarded or left open is void.
    await w.tx.updateTable('passwordResets').set({ usedAt: o.now }).where('userId', '=', user.id).where('usedAt', 'is', null).execute();
    await w.tx.insertInto('passwordResets').values({
      tokenHash: sha256(token), userId: user.id, createdBy: o.actor.userId, createdAt: o.now, expiresAt, usedAt: null,
    }).execute();
    await enqueueMail(w.tx, {
      to: user.email,
      subject: t(locale, 'mail.password_reset.subject', params),
      text: t(locale, 'mail.password_reset.body', params),
    }, { runAt: o.now, dedupeKey: `mail:password-reset:${sha256(token).slice(0, 32)}`, now: o.now });
    // The audit row says a link was sent and until when; never the token.
    w.audit({ entity: 'user', entityId: user.id, action: 'send_reset_link', after: { expiresAt } });
  }, { now: o.now, name: 'user.send_reset_link' });
  return { email: user.email, expiresAt };
}

/** The user a live token belongs to; a used or unknown token and an expired one are told apart. */
async function liveReset(db: AuthDb, token: string, now: number) {
  const row = await db.selectFrom('passwordResets').select(['tokenHash', 'userId', 'expiresAt', 'usedAt'])
    .where('tokenHash', '=', sha256(token)).executeTakeFirst();
  if (!row || row.usedAt !== null) throw new AppError('auth.reset_link_invalid', 'reset link unknown or already used');
  if (Number(row.expiresAt) <= now) throw new AppError('auth.reset_link_expired', 'reset link expired');
  const user = await getUser(db, row.userId);
  if (user.disabledAt !== null) throw new AppError('auth.reset_link_invalid', 'user is disabled');
  return { row, user };
}

/** Whether a link still works, and for whom (the reset page greets the user by e-mail). */
export async function checkResetLink(db: AuthDb, token: string, now: number): Promise<{ email: string; expiresAt: number }> {
  const { row, user } = await liveReset(db, token, now);
  return { email: user.email, expiresAt: Number(row.expiresAt) };
}

/** The user sets a new password with the link; the link is spent even if two requests race. */
export async function resetWithLink(db: AuthDb, token: string, password: string, now: number): Promise<{ email: string }> {
  // The rules first: a weak password must not spend the link.
  await assertAcceptablePassword(password);
  const { user } = await liveReset(db, token, now);
  const spent = await db.updateTable('passwordResets').set({ usedAt: now })
    .where('tokenHash', '=', sha256(token)).where('usedAt', 'is', null).executeTakeFirst();
  if (Number(spent.numUpdatedRows) !== 1) throw new AppError('auth.reset_link_invalid', 'reset link already used');
  // The user acts on their own account, proven by the mailbox: the system writes it for them.
  await setPassword(db, user.id, password, now, { ...SYSTEM_ACTOR, userId: `system:reset:${user.id}` });
  return { email: user.email };
}
