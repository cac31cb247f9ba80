/**
 * Group commit for SQLite. One SQLite file has one writer, and on this class of
 * machine a write transaction's COMMIT (its pages appended to the WAL) costs more
 * than all its statements together. Concurrent write transactions are therefore
 * queued and run one after the other inside ONE transaction, each in its own
 * savepoint: a unit that throws is rolled back to its savepoint alone and gets its
 * error; the others commit together. Every caller's promise settles only after the
 * shared COMMIT has returned (or failed), so nothing is acknowledged before it is
 * written. PostgreSQL runs each unit in its own transaction (it has real
 * concurrency and groups WAL flushes itself).
 */
import { CompiledQuery, SqliteAdapter, type Kysely, type Transaction } from 'kysely';
import type { DB } from './schema.ts';

export type WriteUnit<T> = (tx: Transaction<DB>) => Promise<T>;
export type WriteTransaction = <T>(fn: WriteUnit<T>) => Promise<T>;

interface Pending {
  fn: WriteUnit<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

interface Outcome {
  p: Pending;
  ok: boolean;
  value: unknown;
}

// Compiled once: Kysely's savepoint builders cost more than the commands themselves.
const SAVEPOINT = CompiledQuery.raw('savepoint unit');
const RELEASE = CompiledQuery.raw('release unit');
const ROLLBACK_TO = CompiledQuery.raw('rollback to unit');

/** Enough to amortise a commit; small enough that one batch stays a few milliseconds. */
const MAX_BATCH = 64;

const perDatabase = new WeakMap<Kysely<DB>, WriteTransaction>();
/** Whether the SQLite connection is inside a transaction (better-sqlite3's `inTransaction`), per database. */
const probes = new WeakMap<Kysely<DB>, () => boolean>();

/** createDb tells how to ask SQLite whether a transaction is still open (some errors end it outright). */
export function registerTransactionProbe(db: Kysely<DB>, inTransaction: () => boolean): void {
  probes.set(db, inTransaction);
}

/** The write-transaction runner of a database (one per Kysely instance, so every service shares the queue). */
export function writeTransaction(db: Kysely<DB>): WriteTransaction {
  // Already inside a transaction (a service joined to a caller's, e.g. mail intake): run inline, commit with it.
  if (db.isTransaction) return (fn) => fn(db as Transaction<DB>);
  let run = perDatabase.get(db);
  if (!run) {
    run = db.getExecutor().adapter instanceof SqliteAdapter ? groupCommit(db, probes.get(db) ?? null) : (fn) => db.transaction().execute(fn);
    perDatabase.set(db, run);
  }
  return run;
}

/**
 * Some SQLite errors end the whole transaction, not just the statement (ON CONFLICT
 * ROLLBACK, a full disk, an I/O error): the failing unit gets its error, and every
 * other unit of the batch — whose work went with the transaction — runs again in the
 * next batch. Nothing had been acknowledged, so nothing is lost or doubled.
 */
class TransactionEnded extends Error {}

function groupCommit(db: Kysely<DB>, inTransaction: (() => boolean) | null): WriteTransaction {
  let queue: Pending[] = [];
  let running = false;
  const ended = () => inTransaction !== null && !inTransaction();

  async function runBatch(batch: Pending[]): Promise<void> {
    const outcomes: Outcome[] = [];
    let trx;
    try {
      trx = await db.startTransaction().execute();
    } catch (e) {
      for (const p of batch) p.reject(e);
      return;
    }
    const abandon = async (failed: Pending, error: unknown) => {
      // Releases Kysely's connection; SQLite itself may already have rolled back.
      await trx.rollback().execute().catch(() => undefined);
      failed.reject(error);
      queue = [...batch.filter((p) => p !== failed), ...queue];
    };
    try {
      if (batch.length === 1) {
        // Alone in its batch: the transaction is the unit, its failure a plain rollback.
        const p = batch[0]!;
        try {
          const value = await p.fn(trx);
          if (ended()) throw new TransactionEnded('the transaction ended inside the unit');
          outcomes.push({ p, ok: true, value });
        } catch (e) {
          await trx.rollback().execute().catch(() => undefined);
          p.reject(e);
          return;
        }
      } else {
        for (const p of batch) {
          await trx.executeQuery(SAVEPOINT);
          let value: unknown;
          try {
            value = await p.fn(trx);
          } catch (e) {
            if (ended()) return await abandon(p, e);
            try {
              await trx.executeQuery(ROLLBACK_TO);
              await trx.executeQuery(RELEASE);
            } catch {
              // No probe, and the savepoint went with the transaction.
              return await abandon(p, e);
            }
            outcomes.push({ p, ok: false, value: e });
            continue;
          }
          if (ended()) return await abandon(p, new TransactionEnded('the transaction ended inside the unit'));
          await trx.executeQuery(RELEASE);
          outcomes.push({ p, ok: true, value });
        }
      }
      await trx.commit().execute();
    } catch (e) {
      // The commit (or a savepoint command) failed: nothing of this batch is written.
      if (!trx.isCommitted && !trx.isRolledBack) await trx.rollback().execute().catch(() => undefined);
      for (const p of batch) p.reject(e);
      return;
    }
    for (const o of outcomes) {
      if (o.ok) o.p.resolve(o.value);
      else o.p.reject(o.value);
    }
  }

  async function drain(): Promise<void> {
    running = true;
    try {
      while (queue.length > 0) {
        // better-sqlite3 answers synchronously, so a batch runs start to finish in
        // microtasks; one turn of the event loop lets the requests that have arrived
        // meanwhile join the next batch.
        await new Promise((r) => setImmediate(r));
        const batch = queue.slice(0, MAX_BATCH);
        queue = queue.slice(batch.length);
        await runBatch(batch);
      }
    } finally {
      running = false;
    }
  }

  return <T>(fn: WriteUnit<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push({ fn: fn as WriteUnit<unknown>, resolve: resolve as (v: unknown) => void, reject });
      if (!running) void drain();
    });
}
