/**
 * The admin screens' account routes (issue 17): an admin issues a one-time password
 * (shown once); a signed-in user changes their own name and language.
 */
import { OneTimePassword, ResetBody, ResetCheckBody, ResetLinkSent, UpdateProfileBody } from '../../contract/admin.ts';
import { Ok, toIso } from '../../contract/common.ts';
import { User } from '../../contract/auth.ts';
import { IdParams } from '../../contract/common.ts';
import { AppError } from '../../errors.ts';
import { actorOf } from '../../http/actor.ts';
import type { Api } from '../../http/types.ts';
import { issueOneTimePassword, updateOwnProfile } from './auth.account.ts';
import { checkResetLink, resetWithLink, sendResetLink } from './auth.reset.ts';
import type { AuthDb } from './auth.repository.ts';
import { presentUser } from './auth.presenter.ts';

export function registerAccountRoutes(app: Api, { db, clock, baseUrl }: { db: AuthDb; clock: () => number; baseUrl?: string | undefined }): void {
  app.post('/users/:id/one-time-password', {
    schema: {
      tags: ['users'],
      summary: 'Reset a user\'s password to a generated one, shown once in the answer (admin); ends their sessions and revokes their API tokens',
      params: IdParams, response: { 201: OneTimePassword },
    },
  }, async (req, reply) => reply.status(201).send(await issueOneTimePassword(db, req.params.id, clock(), actorOf(req))));

  app.patch('/auth/profile', {
    schema: { tags: ['auth'], summary: 'Change your own name or language', body: UpdateProfileBody, response: { 200: User } },
  }, async (req) => presentUser(await updateOwnProfile(db, actorOf(req), req.body, clock())));

  app.post('/users/:id/reset-link', {
    schema: {
      tags: ['users'],
      summary: 'E-mail the user a password reset link (admin): it works once, for an hour; an earlier unused link stops working',
      params: IdParams, response: { 201: ResetLinkSent },
    },
  }, async (req, reply) => {
    const actor = actorOf(req);
    if (req.params.id === actor.userId) {
      throw new AppError('auth.current_password_required', 'change your own password with the current one', [
        { path: ['currentPassword'], code: 'required', message: 'needed to change your own password' },
      ]);
    }
    const sent = await sendResetLink(db, req.params.id, { now: clock(), actor, baseUrl: baseUrl ?? `${req.protocol}://${req.host}` });
    return reply.status(201).send({ email: sent.email, expiresAt: toIso(sent.expiresAt) });
  });

  // The token travels in the body, never in a URL the access log would keep.
  app.post('/auth/reset/check', {
    schema: { tags: ['auth'], summary: 'Whether a reset link still works, and for which e-mail', body: ResetCheckBody, response: { 200: ResetLinkSent } },
    config: { public: true },
  }, async (req) => {
    const r = await checkResetLink(db, req.body.token, clock());
    return { email: r.email, expiresAt: toIso(r.expiresAt) };
  });

  app.post('/auth/reset', {
    schema: {
      tags: ['auth'],
      summary: 'Set a new password with an e-mailed reset link (once); ends the user\'s sessions and revokes their API tokens',
      body: ResetBody, response: { 200: Ok },
    },
    config: { public: true },
  }, async (req) => {
    await resetWithLink(db, req.body.token, req.body.password, clock());
    return { ok: true as const };
  });
}
