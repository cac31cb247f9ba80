/**
 * The migrations compiled into the CLI bundle (scripts/build-cli.mjs replaces this module
 * with one that imports every file of src/db/migrations). From source it is null and
 * migrate.ts reads the directory, so a new migration file needs no entry anywhere.
 */
import type { Migration } from 'kysely';

export const BUNDLED_MIGRATIONS: Record<string, Migration> | null = null;
