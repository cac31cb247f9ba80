/**
 * The admin screens' account routes (issue 17): an admin issues a one-time password
 * (shown once); a signed-in user changes their own name and language.
 */
import { OneTimePassword, UpdateProfileBody } from '../../contract/admin.ts';
import { User } from '../../contract/auth.ts';
import { IdParams } from '../../contract/common.ts';
import { actorOf } from '../../http/actor.ts';
import type { Api } from '../../http/types.ts';
import { issueOneTimePassword, updateOwnProfile } from './auth.account.ts';
import type { AuthDb } from './auth.repository.ts';
import { presentUser } from './auth.presenter.ts';

export function registerAccountRoutes(app: Api, { db, clock }: { db: AuthDb; clock: () => number }): void {
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
}
