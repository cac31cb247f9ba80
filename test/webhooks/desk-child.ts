/**
 * A whole desk (HTTP + job runner, as `hoshu serve` starts it) over the SQLite file
 * HOSHU_TEST_DB_FILE as a separate process, for the webhook kill -9 test: it prints its
 * port on stdout and serves until it is killed. HOSHU_RUN_JOBS=false starts it HTTP-only.
 */
import { loadConfig } from '../../src/config.ts';
import { createLogger, startDesk } from '../../src/main.ts';

const config = loadConfig({
  ...process.env,
  DATABASE_URL: `sqlite:${process.env.HOSHU_TEST_DB_FILE!}`,
  PORT: '0',
  HOSHU_JOB_POLL_MS: '50',
  LOG_LEVEL: 'silent',
});
const desk = await startDesk(config, { log: createLogger(config) });
process.stdout.write(`${new URL(desk.url).port}\n`);
