/**
 * Opens the configured database, migrates it and makes sure the standard calendar and
 * policy exist. Its own module, apart from main.ts, so a CLI command that only needs the
 * database does not load the HTTP server, the mail transport and the job handlers with it.
 */
import type { Config } from './config.ts';
import { seedBaseData } from './seed/base.ts';
import { createDb, type Database } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';

export async function openDatabase(config: Config, clock: () => number = Date.now): Promise<{ database: Database; applied: string[] }> {
  const database = createDb(config.database);
  try {
    const applied = await migrateToLatest(database.db);
    await seedBaseData(database.db, clock(), database.dialect);
    return { database, applied };
  } catch (e) {
    await database.close();
    throw e;
  }
}
