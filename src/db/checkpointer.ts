/**
 * WAL checkpoints mostly off the request path. SQLite's automatic checkpoint runs
 * inside the COMMIT that crosses its threshold, on the writing connection — the
 * server's only JavaScript thread — and copying pages and syncing the file stalled
 * that commit by several milliseconds every thousand pages. A serving desk lets a
 * worker thread with its own connection run PASSIVE checkpoints a few times a
 * second on the other core; PASSIVE never waits for or blocks readers and writers.
 * A PASSIVE checkpoint from another connection cannot catch up with a busy writer,
 * though, and only a complete checkpoint lets the WAL start over, so the writer
 * keeps its own automatic checkpoint at a higher threshold: by then the worker has
 * copied most pages and little is left. Durability is unchanged: a commit is in the
 * WAL before it is acknowledged either way. Should the worker stop, the writer's
 * threshold goes back to SQLite's default.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

export interface Checkpointer {
  stop(): Promise<void>;
}

/** SQLite's default threshold (pages), restored if the worker goes away. */
const DEFAULT_AUTO_CHECKPOINT = 1000;
/** The writer's own threshold while the worker runs (pages of 4 KiB: 40 MiB). */
const WRITER_AUTO_CHECKPOINT = 10_000;
/** The WAL file is cut back to this size after it starts over (by default it never shrinks). */
const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

// Plain JavaScript evaluated in the worker, so it loads the same way under tsx, vitest and node.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
const checkpoint = () => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (e) { parentPort.postMessage({ error: String((e && e.message) || e) }); }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export function startCheckpointer(
  raw: BetterSqlite3.Database, file: string, o: { intervalMs?: number; onError?: (message: string) => void } = {},
): Checkpointer {
  raw.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
  raw.pragma(`wal_autocheckpoint = ${WRITER_AUTO_CHECKPOINT}`);
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file, intervalMs: o.intervalMs ?? 200 } });
  const restoreDefault = () => {
    if (raw.open) raw.pragma(`wal_autocheckpoint = ${DEFAULT_AUTO_CHECKPOINT}`);
  };
  worker.on('message', (m: { error?: string }) => {
    if (m.error) o.onError?.(m.error);
  });
  worker.on('error', (e) => o.onError?.(e.message));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => {
    restoreDefault();
    resolve();
  }));
  // A background helper must not keep the process alive on its own.
  worker.unref();
  let stopping: Promise<void> | null = null;
  return {
    stop() {
      stopping ??= (async () => {
        worker.ref(); // until it has closed its connection
        worker.postMessage('stop');
        await exited;
      })();
      return stopping;
    },
  };
}
