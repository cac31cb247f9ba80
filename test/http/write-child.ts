/**
 * For test/http/composition.test.ts: a second process that files one incident into the
 * SQLite file HOSHU_TEST_DB_FILE through the services (as `hoshu` CLI commands beside a
 * serving desk do), then prints its number.
 */
import { createDb } from '../../src/db/database.ts';
import { createServices } from '../../src/http/services.ts';
import { SYSTEM_ACTOR } from '../../src/modules/auth/actor.ts';

const database = createDb({ dialect: 'sqlite', file: process.env.HOSHU_TEST_DB_FILE! });
const s = createServices({ db: database.db, clock: Date.now });
const inc = await s.incidents.create(SYSTEM_ACTOR, { contractId: process.env.HOSHU_TEST_CONTRACT!, title: '別プロセスから登録', channel: 'phone', priority: 'minor' });
process.stdout.write(`${inc.number}\n`);
await database.close();
