/**
 * Account care from the shell, for the admin who cannot (or can no longer) sign in:
 * list users and tokens, disable or enable a user, reset a password, revoke a token.
 * The same services as the API, so the same rules: a reset or a disabling ends the
 * user's sessions and revokes their API tokens; passwords follow the password rules.
 *
 * Output: lists go to stdout as tab-separated lines (for people and for `cut`); what
 * happened goes to stderr in the reader's language. A generated password is the only
 * thing on stdout and is printed once; no password is ever logged or audited.
 */
import type { Command } from 'commander';
import { notFound } from '../errors.ts';
import { t } from '../i18n/index.ts';
import { cliLocale, context, fail, readStdinSecret, say } from './cli-support.ts';
import { emailOption, openedData, roleOption } from './cli-input.ts';

type Db = Awaited<ReturnType<typeof context>>['database'] & { opened: string };

/** Runs a command body on the configured database; closes it; any error → one translated line, exit 1. */
async function withDatabase(fn: (database: Db) => Promise<void>): Promise<void> {
  const { database, config } = await context();
  try {
    await fn(Object.assign(database, { opened: openedData(config) }));
  } catch (e) {
    await database.close();
    fail(e);
  }
  await database.close();
}

/** The user with this e-mail; not found → which data was searched, since the usual cause is the wrong data directory. */
async function userByEmail(database: Db, email: string) {
  const { findUserByEmail } = await import('../modules/auth/auth.service.ts');
  const u = await findUserByEmail(database.db, email);
  if (!u) {
    await database.close();
    const locale = cliLocale();
    fail(new Error(`${t(locale, 'cli.noUser', { email })} ${t(locale, 'cli.openedData', { where: database.opened })}`));
  }
  return u;
}

/** Refuses a malformed --email or --role before the database is opened (exits); normalises the e-mail in place. */
function checked(o: { email?: string; role?: string }): true {
  if (o.email !== undefined) o.email = emailOption(o.email);
  if (o.role !== undefined) roleOption(o.role);
  return true;
}

const iso = (ms: number | null): string => (ms === null ? t(cliLocale(), 'cli.tokenList.never') : new Date(ms).toISOString());

/** A generated password: 96 random bits as 16 URL-safe characters, above the minimum length. */
async function generatedPassword(): Promise<string> {
  const { randomSecret } = await import('../modules/auth/secrets.ts');
  return randomSecret(12);
}

export function registerAccountCommands(user: Command, token: Command): void {
  user
    .command('list')
    .description('list users (tab-separated: e-mail, role, name, client, state, id)')
    .option('--role <role>', 'only admin | agent | contact')
    .option('--client <client>', "only this client's contacts (client id)")
    .action((o: { role?: string; client?: string }) => checked(o) && withDatabase(async (database) => {
      const { listUsers } = await import('../modules/auth/auth.service.ts');
      const locale = cliLocale();
      const clients = new Map((await database.db.selectFrom('clients').select(['id', 'name']).execute()).map((c) => [c.id, c.name]));
      const rows = [];
      for (let offset = 0; ; offset += 500) {
        const page = await listUsers(database.db, { role: o.role, clientId: o.client, limit: 500, offset });
        rows.push(...page);
        if (page.length < 500) break;
      }
      if (rows.length === 0) {
        say('cli.userList.none');
        return;
      }
      console.log(t(locale, 'cli.userList.header'));
      for (const u of rows) {
        const state = t(locale, u.disabledAt === null ? 'cli.userList.enabled' : 'cli.userList.disabled');
        console.log([u.email, u.role, u.name, u.clientId ? (clients.get(u.clientId) ?? u.clientId) : '-', state, u.id].join('\t'));
      }
    }));

  user
    .command('disable')
    .description('disable a user: ends their sessions and revokes their API tokens for good')
    .requiredOption('--email <email>', "the user's e-mail")
    .action((o: { email: string }) => checked(o) && withDatabase(async (database) => {
      const { listApiTokens, updateUser } = await import('../modules/auth/auth.service.ts');
      const u = await userByEmail(database, o.email);
      const live = (await listApiTokens(database.db, u.id)).filter((x) => x.revokedAt === null).length;
      await updateUser(database.db, u.id, { disabled: true });
      say('cli.userDisabled', { email: u.email, tokens: u.disabledAt === null ? live : 0 });
    }));

  user
    .command('enable')
    .description('enable a disabled user again (their old tokens stay revoked)')
    .requiredOption('--email <email>', "the user's e-mail")
    .action((o: { email: string }) => checked(o) && withDatabase(async (database) => {
      const { updateUser } = await import('../modules/auth/auth.service.ts');
      const u = await userByEmail(database, o.email);
      await updateUser(database.db, u.id, { disabled: false });
      say('cli.userEnabled', { email: u.email });
    }));

  user
    .command('reset-password')
    .alias('passwd')
    .description('set a new password; ends the user\'s sessions and revokes their API tokens. Prints a generated password once on stdout, or reads one from stdin with --stdin')
    .requiredOption('--email <email>', "the user's e-mail")
    .option('--stdin', 'read the new password from stdin instead of generating one')
    .action((o: { email: string; stdin?: boolean }) => checked(o) && withDatabase(async (database) => {
      const { setPassword } = await import('../modules/auth/auth.service.ts');
      const u = await userByEmail(database, o.email);
      const chosen = o.stdin ? await readStdinSecret(t(cliLocale(), 'cli.desk.newPasswordPrompt')) : null;
      const password = chosen ?? (await generatedPassword());
      // A generated password is read off a terminal by someone else: the user must replace it at the next sign-in.
      const { revokedTokens } = await setPassword(database.db, u.id, password, Date.now(), undefined, { mustChange: chosen === null });
      if (chosen !== null) {
        say('cli.passwordSet', { email: u.email, tokens: revokedTokens });
        return;
      }
      say('cli.passwordGenerated', { email: u.email, tokens: revokedTokens });
      process.stdout.write(`${password}\n`);
    }));

  token
    .command('list')
    .description("list API tokens (all, or one user's): id, user, name, prefix, created, last used, expires, state")
    .option('--email <email>', "only this user's tokens")
    .action((o: { email?: string }) => checked(o) && withDatabase(async (database) => {
      const { listApiTokens, getUser } = await import('../modules/auth/auth.service.ts');
      const locale = cliLocale();
      const only = o.email ? await userByEmail(database, o.email) : null;
      const tokens = await listApiTokens(database.db, only?.id);
      if (tokens.length === 0) {
        say('cli.tokenList.none');
        return;
      }
      const emails = new Map<string, string>();
      for (const id of new Set(tokens.map((x) => x.userId))) emails.set(id, (await getUser(database.db, id)).email);
      const now = Date.now();
      console.log(t(locale, 'cli.tokenList.header'));
      for (const x of tokens) {
        const state = x.revokedAt !== null ? 'revoked' : x.expiresAt !== null && x.expiresAt <= now ? 'expired' : 'live';
        console.log([x.id, emails.get(x.userId), x.name, `${x.prefix}…`, iso(x.createdAt), iso(x.lastUsedAt), iso(x.expiresAt), t(locale, `cli.tokenList.${state}`)].join('\t'));
      }
    }));

  token
    .command('revoke <id>')
    .description('revoke an API token at once (its id from `hoshu token list`)')
    .action((id: string) => withDatabase(async (database) => {
      const { getApiToken, getUser, revokeApiToken } = await import('../modules/auth/auth.service.ts');
      // Not an id at all (a typo, a pasted prefix): answered like an unknown id, not as a database error.
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw notFound('token');
      const x = await getApiToken(database.db, id);
      if (x.revokedAt !== null) {
        say('cli.tokenAlreadyRevoked', { id: x.id });
        return;
      }
      await revokeApiToken(database.db, x.id);
      say('cli.tokenRevoked', { id: x.id, prefix: x.prefix, email: (await getUser(database.db, x.userId)).email });
    }));
}
