/**
 * A second process committing as fast as it can into HOSHU_TEST_DB_FILE (one job
 * row per autocommit transaction, as a busy desk commits), for the backup test.
 * It prints the number of committed rows after every 200 so the test knows what
 * was committed before the backup began, and runs until it is killed.
 */
import { openSqlite } from '../../src/db/dialect.ts';

const db = openSqlite(process.env.HOSHU_TEST_DB_FILE!, 'normal');
const insert = db.prepare(
  "insert into jobs (id, kind, payload, run_at, status, max_attempts, created_at, updated_at) values (?, 'test.backup-load', ?, ?, 'done', 1, ?, ?)",
);
const payload = JSON.stringify({ note: 'x'.repeat(200) });
let n = 0;
for (;;) {
  for (let i = 0; i < 200; i++) {
    const now = Date.now();
    insert.run(`load-${n}`, payload, now, now, now);
    n++;
  }
  process.stdout.write(`${n}\n`);
  // Let stdout drain and signals arrive; the loop stays well above 500 commits/s.
  await new Promise((r) => setImmediate(r));
}
