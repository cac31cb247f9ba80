/**
 * The desk's HTTP app over the SQLite file HOSHU_TEST_DB_FILE as a separate
 * process, for the kill -9 test: it prints its port on stdout and serves until it
 * is killed. The WAL checkpointer runs as in `hoshu serve`.
 */
import { startCheckpointer } from '../../src/db/checkpointer.ts';
import { createDb } from '../../src/db/database.ts';
import { buildApp } from '../../src/http/app.ts';

const file = process.env.HOSHU_TEST_DB_FILE!;
const database = createDb({ dialect: 'sqlite', file });
startCheckpointer(database.sqlite!, file);
const app = await buildApp({ db: database.db, clock: Date.now });
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${new URL(address).port}\n`);
