/**
 * Desk commands: serve, start, migrate, demo, user add, token create, backup (and,
 * from accounts.ts, user list/disable/enable/reset-password, token list/revoke).
 * Thin: each opens the configured database and calls the same services as the
 * API. Heavy modules are imported inside the actions so `hoshu --help` and the
 * `sla` commands start fast.
 */
import type { Command } from 'commander';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { registerAccountCommands } from './accounts.ts';
import { t } from '../i18n/index.ts';
import { cliLocale, context, fail, readStdinSecret, say } from './cli-support.ts';
import { emailOption, localeOption, openedData, roleOption, textOption } from './cli-input.ts';

/** "Port in use" deserves a sentence, not a stack trace. */
function listenError(e: unknown, port: number): unknown {
  if ((e as { code?: string }).code === 'EADDRINUSE') return new Error(t(cliLocale(), 'cli.desk.portInUse', { port }));
  return e;
}

function printCredentials(creds: { role: string; email: string; password: string; client?: string }[]): void {
  console.log(`\n${t(cliLocale(), 'cli.desk.demoUsers')}`);
  for (const c of creds) console.log(`  ${c.role.padEnd(8)} ${c.email.padEnd(32)} ${c.password}${c.client ? `  (${c.client})` : ''}`);
  console.log('');
}

/**
 * Builds the web app when missing (or always with `rebuild`), serves, says where, and
 * stops cleanly on SIGINT/SIGTERM. The desk is this one node process, so a signal
 * sent to `npm start` (which execs it) reaches it.
 */
async function serve(config: Config, database: Database, webRoot: string | undefined, rebuild = false): Promise<void> {
  const { ensureWebBundle } = await import('./web-build.ts');
  await ensureWebBundle(webRoot, { rebuild });
  const { startDesk } = await import('../main.ts');
  const desk = await startDesk(config, { database, webRoot }).catch(async (e: unknown) => {
    await database.close();
    fail(listenError(e, config.port));
  });
  console.log(t(cliLocale(), 'cli.desk.running', {
    url: desk.url, data: config.database.dialect === 'sqlite' ? config.database.file : 'PostgreSQL', listening: desk.listening.join(', '),
  }));
  const stop = () => void desk.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export function registerDeskCommands(program: Command): void {
  program
    .command('serve')
    .description('run the desk (HTTP API, web app and job scheduler) on the configured database; builds the web app first when it is missing')
    .option('-p, --port <port>', 'port to listen on (default: $PORT or 8080)')
    .option('--web-dir <dir>', 'the built web app to serve (default: $HOSHU_WEB_DIR or web/dist, built when missing)')
    .action(async (o: { port?: string; webDir?: string }) => {
      if (o.port) process.env.PORT = o.port;
      const { config, database } = await context();
      await serve(config, database, o.webDir ?? process.env.HOSHU_WEB_DIR);
    });

  program
    .command('start')
    .description('migrate, load demo data into an empty desk (printing the demo credentials), and serve (building the web app when it is missing)')
    .option('-p, --port <port>', 'port to listen on (default: $PORT or 8080)')
    .option('--web-dir <dir>', 'the built web app to serve (default: $HOSHU_WEB_DIR or web/dist, built when missing)')
    .option('--build', 'rebuild the web app (web/dist) even when it exists')
    .action(async (o: { port?: string; webDir?: string; build?: boolean }) => {
      if (o.port) process.env.PORT = o.port;
      const { config, database } = await context();
      const { sql } = await import('kysely');
      const r = await sql<{ n: number }>`select count(*) as n from clients`.execute(database.db);
      if (Number(r.rows[0]?.n ?? 0) === 0) {
        console.log(t(cliLocale(), 'cli.desk.loadingDemo'));
        const { loadDemoData } = await import('../seed/demo.ts');
        printCredentials(await loadDemoData(database));
      } else {
        console.log(t(cliLocale(), 'cli.desk.hasData'));
      }
      await serve(config, database, o.webDir ?? process.env.HOSHU_WEB_DIR, o.build);
    });

  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(async () => {
      const { database, applied } = await context();
      console.log(applied.length ? t(cliLocale(), 'cli.desk.applied', { migrations: applied.join(', ') }) : t(cliLocale(), 'cli.desk.upToDate'));
      await database.close();
    });

  program
    .command('demo')
    .description('load demo data: 3 clients, 5 contracts, incidents over the last 3 months, users admin/agent/contact')
    .option('--force', 'load even if the desk already has clients')
    .action(async (o: { force?: boolean }) => {
      const { database } = await context();
      try {
        const { sql } = await import('kysely');
        const r = await sql<{ n: number }>`select count(*) as n from clients`.execute(database.db);
        if (Number(r.rows[0]?.n ?? 0) > 0 && !o.force) throw new Error(t(cliLocale(), 'cli.desk.demoRefused'));
        const { loadDemoData } = await import('../seed/demo.ts');
        printCredentials(await loadDemoData(database));
      } catch (e) {
        await database.close();
        fail(e);
      }
      await database.close();
    });

  const user = program.command('user').description('manage users');
  user
    .command('add')
    .description('add a user; the password is read from stdin (empty = token-only user)')
    .requiredOption('--email <email>', 'e-mail address (sign-in name)')
    .requiredOption('--role <role>', 'admin | agent | contact')
    .option('--client <client>', "the contact's client (id or exact name)")
    .option('--name <name>', 'display name (default: the e-mail)')
    .option('--locale <locale>', 'ja | en', 'ja')
    .action(async (o: { email: string; role: string; client?: string; name?: string; locale: string }) => {
      // Every option is checked before the password is read or the database opened.
      const email = emailOption(o.email);
      const role = roleOption(o.role);
      const locale = localeOption(o.locale);
      const name = textOption('--name', o.name);
      const client = textOption('--client', o.client);
      const pw = await readStdinSecret(t(cliLocale(), 'cli.desk.passwordPrompt'));
      const { database } = await context();
      try {
        let clientId: string | null = null;
        if (client) {
          const c = await database.db.selectFrom('clients').select('id')
            .where((eb) => eb.or([eb('id', '=', client), eb('name', '=', client)])).execute();
          if (c.length !== 1) throw new Error(t(cliLocale(), c.length ? 'cli.desk.clientAmbiguous' : 'cli.desk.noClient', { client }));
          clientId = c[0]!.id;
        }
        const { createUser } = await import('../modules/auth/auth.service.ts');
        const u = await createUser(database.db, {
          email, name: name ?? email, role, clientId,
          password: pw === '' ? null : pw, locale,
        });
        say('cli.userAdded', { role: u.role, email: u.email, id: u.id });
      } catch (e) {
        await database.close();
        fail(e);
      }
      await database.close();
    });

  const token = program.command('token').description('API tokens');
  token
    .command('create')
    .description('create an API token for a user; prints only the bearer token on stdout')
    .requiredOption('--email <email>', "the user's e-mail")
    .option('--name <name>', 'label of the token', 'cli')
    .action(async (o: { email: string; name: string }) => {
      const email = emailOption(o.email).toLowerCase();
      const name = textOption('--name', o.name)!;
      const { database, config } = await context();
      try {
        const { findUserByEmail, createApiToken } = await import('../modules/auth/auth.service.ts');
        if (!(await findUserByEmail(database.db, email))) {
          const locale = cliLocale();
          throw new Error(`${t(locale, 'cli.noUser', { email })} ${t(locale, 'cli.openedData', { where: openedData(config) })}`);
        }
        const { token: secret } = await createApiToken(database.db, { email, name });
        process.stdout.write(`${secret}\n`);
      } catch (e) {
        await database.close();
        fail(e);
      }
      await database.close();
    });

  registerAccountCommands(user, token);

  program
    .command('backup <file>')
    .description('verified online backup of the SQLite database, safe while the desk writes (PostgreSQL: use pg_dump)')
    .action(async (file: string) => {
      const { loadConfig } = await import('../config.ts');
      const config = loadConfig();
      // Exit 2: nothing was tried (wrong database kind, wrong destination); exit 1: the copy failed.
      if (config.database.dialect === 'postgres') {
        say('cli.backup.postgres');
        process.exit(2);
      }
      const { backupSqlite, BackupError } = await import('../db/backup.ts');
      try {
        const r = await backupSqlite(config.database.file, file);
        say('cli.backup.done', { source: config.database.file, file: r.file, mb: (r.bytes / 1024 / 1024).toFixed(1), seconds: (r.ms / 1000).toFixed(1) });
      } catch (e) {
        if (!(e instanceof BackupError)) fail(e);
        say('cli.error', { message: t(cliLocale(), `cli.backup.${e.reason}`, e.params) });
        process.exit(e.reason === 'verifyFailed' || e.reason === 'noDatabase' ? 1 : 2);
      }
    });
}
