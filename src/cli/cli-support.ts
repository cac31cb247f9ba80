/**
 * What the desk commands share: the configured database, secrets from stdin, the
 * reader's language, and errors as one translated line (never a stack trace).
 */
import { AppError } from '../errors.ts';
import { errorBody } from '../http/error-handler.ts';
import { t } from '../i18n/index.ts';
import { cliLocale } from './cli-locale.ts';

export { cliLocale };

export async function context() {
  const { loadConfig } = await import('../config.ts');
  const { openDatabase } = await import('../open-database.ts');
  const config = loadConfig();
  const { database, applied } = await openDatabase(config);
  return { config, database, applied };
}

/** A translated line for people, on stderr so stdout stays for what scripts read. */
export function say(key: string, params: Record<string, string | number> = {}): void {
  console.error(t(cliLocale(), key, params));
}

/** Reads a secret from stdin: one line on a terminal, everything until EOF from a pipe. */
export async function readStdinSecret(prompt: string): Promise<string> {
  if (process.stdin.isTTY) {
    const readline = await import('node:readline/promises');
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    try {
      return (await rl.question(prompt)).trim();
    } finally {
      rl.close();
    }
  }
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export function fail(e: unknown): never {
  const locale = cliLocale();
  // A coded error reads as the API would answer it, its issues included, in the reader's language.
  if (e instanceof AppError) {
    const body = errorBody(locale, e);
    console.error(t(locale, 'cli.error', { message: body.message }));
    for (const i of body.issues) console.error(`  ${i.path.join('.')}: ${i.message}`);
    process.exit(1);
  }
  const msg = e instanceof Error ? e.message : String(e);
  const issues = (e as { issues?: { path: unknown[]; message: string }[] }).issues ?? [];
  console.error(t(locale, 'cli.error', { message: msg }));
  // Other issue messages are English; a Japanese reader gets the field and the machine code.
  for (const i of issues) console.error(locale === 'en' ? `  ${i.path.join('.')}: ${i.message}` : `  ${i.path.join('.')} (${(i as { code?: string }).code ?? 'invalid'})`);
  process.exit(1);
}
