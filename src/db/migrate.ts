/**
 * Runs the migrations in src/db/migrations (files `YYYYMMDDHHMM_intent.ts`, in
 * name order). The directory is read at run time so each module's migration file
 * is picked up without a central list that every change would have to touch (the CLI
 * bundle has the list written into it when it is built: migrations-index.ts).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Migrator, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import { BUNDLED_MIGRATIONS } from './migrations-index.ts';

const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

class DirectoryProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    if (BUNDLED_MIGRATIONS) return BUNDLED_MIGRATIONS;
    const files = (await fs.readdir(migrationsDir)).filter((f) => /^\d{12}_[\w-]+\.ts$/.test(f)).sort();
    const out: Record<string, Migration> = {};
    for (const f of files) {
      out[f.replace(/\.ts$/, '')] = (await import(pathToFileURL(path.join(migrationsDir, f)).href)) as Migration;
    }
    return out;
  }
}

// Migrations are untyped on purpose (they must not depend on today's schema).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function migrator(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: new DirectoryProvider() });
}

/** Migrates to the latest version; throws with the failing migration's name. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const result: MigrationResultSet = await migrator(db).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const err = result.error instanceof Error ? result.error : new Error(String(result.error));
    throw new Error(`Migration ${failed?.migrationName ?? '?'} failed: ${err.message}`, { cause: err });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
