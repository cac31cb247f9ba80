/**
 * One unit of work: every write of the desk runs through `UnitOfWork`, which owns the
 * transaction (group commit on SQLite, one transaction per unit on PostgreSQL — see
 * write-batch.ts) and writes the unit's audit rows in it, so a change and its audit
 * row commit together or not at all.
 *
 * - `command(actor, fn)`: a change made by someone. `fn` receives a `Work` — the
 *   transaction, the actor, "now" and `audit()` — and must record at least one audit
 *   entry or say `unchanged()`; a command that does neither is a programming error and
 *   rolls back (so a new command cannot forget its audit row: docs/design.md).
 * - `internal(fn)`: desk bookkeeping that is not a domain change by anyone (job claims,
 *   stored raw mail, check results); it may still audit.
 * - A write that spans modules passes its `Work` on (`incidents.createIn(work, …)`).
 *   A unit opened inside a unit would wait behind its parent in the group-commit queue
 *   forever; a unit that has waited `queueTimeoutMs` (10 s) for its turn is refused
 *   instead, so the mistake surfaces as an error naming the unit, never as a hang.
 *   (An AsyncLocalStorage flag refused it at once, but on Node 20 it puts a hook on
 *   every promise of the process: incident creates lost ~15 %.)
 *
 * The db layer is a leaf: the actor is structural here (src/modules/auth/actor.ts fits).
 */
import type { Kysely, Transaction } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { insertRows } from './insert-rows.ts';
import type { DB } from './schema.ts';
import { writeTransaction, type WriteTransaction } from './write-batch.ts';

export interface WorkActor {
  userId: string;
  role: string;
}

export interface AuditRecord {
  /** Who, when it is not the unit's actor (see asActor). */
  actor?: WorkActor;
  entity: string;
  entityId: string;
  action: string;
  before?: unknown;
  after?: unknown;
}

export interface Work<A extends WorkActor = WorkActor> {
  readonly tx: Transaction<DB>;
  readonly actor: A;
  /** The unit's instant: every row and audit entry of the unit carries it. */
  readonly now: number;
  /** Records an audit entry, written in this transaction when the unit's function returns. */
  audit(record: AuditRecord): void;
  /** Says that this command changed no domain row (an idempotent no-op), so it needs no audit entry. */
  unchanged(): void;
  /** The entries recorded so far (read-only view, for tests and callers that report them). */
  readonly audited: readonly AuditRecord[];
}

export class UnauditedChangeError extends Error {
  constructor(where: string) {
    super(`a command finished without an audit entry or unchanged(): ${where}`);
    this.name = 'UnauditedChangeError';
  }
}

class WorkImpl<A extends WorkActor> implements Work<A> {
  readonly audited: AuditRecord[] = [];
  declaredUnchanged = false;
  constructor(readonly tx: Transaction<DB>, readonly actor: A, readonly now: number) {}
  audit(record: AuditRecord): void {
    this.audited.push(record);
  }
  unchanged(): void {
    this.declaredUnchanged = true;
  }
}

export class UnitQueueTimeoutError extends Error {
  constructor(name: string, ms: number) {
    super(`a unit of work (${name}) waited ${ms} ms for its turn: opened inside another unit? Pass the Work on (xIn(work, …)) instead`);
    this.name = 'UnitQueueTimeoutError';
  }
}

/** Longer than any unit of the desk runs (a few ms; a calendar change with 400 open incidents, seconds). */
const DEFAULT_QUEUE_TIMEOUT_MS = 10_000;

export interface UnitOfWork {
  command<T, A extends WorkActor>(actor: A, fn: (w: Work<A>) => Promise<T>, o?: { now?: number; name?: string }): Promise<T>;
  internal<T, A extends WorkActor>(actor: A, fn: (w: Work<A>) => Promise<T>, o?: { now?: number }): Promise<T>;
  /** The clock the units read "now" from. */
  readonly clock: () => number;
}

async function writeAudit(tx: Transaction<DB>, actor: WorkActor, at: number, records: readonly AuditRecord[]): Promise<void> {
  if (records.length === 0) return;
  await insertRows(tx, 'auditLog', records.map((c) => ({
    id: uuidv7(),
    at,
    actorId: (c.actor ?? actor).userId,
    actorRole: (c.actor ?? actor).role,
    entity: c.entity,
    entityId: c.entityId,
    action: c.action,
    before: c.before === undefined ? null : JSON.stringify(c.before),
    after: c.after === undefined ? null : JSON.stringify(c.after),
  })), undefined, { deferrable: true });
}

/**
 * A unit's audit entries, seen in its transaction after they are written: who, when and
 * what. An audit sink (one per database, set by the composition root) derives follow-up
 * work from them in the same transaction — the outbound webhooks' events (an outbox), so
 * a domain change and the deliveries it calls for commit or roll back together, and no
 * module has to remember to announce its changes.
 */
export interface AuditedUnit {
  readonly tx: Transaction<DB>;
  readonly actor: WorkActor;
  readonly at: number;
  readonly records: readonly AuditRecord[];
}
export type AuditSink = (unit: AuditedUnit) => Promise<void>;

const sinks = new WeakMap<Kysely<DB>, AuditSink>();

/** Sets (or with null clears) the audit sink of a database: every unit of work over it calls the sink. */
export function setAuditSink(db: Kysely<DB>, sink: AuditSink | null): void {
  if (sink) sinks.set(db, sink);
  else sinks.delete(db);
}

const perDatabase = new WeakMap<Kysely<DB>, WeakMap<() => number, UnitOfWork>>();

/** The unit of work of a database and clock (one per pair, so every service shares the write queue). */
export function unitOfWork(db: Kysely<DB>, clock: () => number): UnitOfWork {
  let byClock = perDatabase.get(db);
  if (!byClock) perDatabase.set(db, (byClock = new WeakMap()));
  let uow = byClock.get(clock);
  if (!uow) byClock.set(clock, (uow = createUnitOfWork(db, clock)));
  return uow;
}

/** A unit of work with its own options (tests); it shares the database's write queue. */
export function createUnitOfWork(db: Kysely<DB>, clock: () => number, o: { queueTimeoutMs?: number } = {}): UnitOfWork {
  const write: WriteTransaction = writeTransaction(db);
  const queueTimeoutMs = o.queueTimeoutMs ?? DEFAULT_QUEUE_TIMEOUT_MS;
  function run<T, A extends WorkActor>(actor: A, fn: (w: Work<A>) => Promise<T>, requireAudit: boolean, now: number | undefined, name: string | undefined): Promise<T> {
    const at = now ?? clock();
    let started = false;
    let abandoned = false;
    const unit = write(async (tx) => {
      // Refused while it waited: it must not run when its turn finally comes.
      if (abandoned) throw new UnitQueueTimeoutError(name ?? 'unnamed', queueTimeoutMs);
      started = true;
      const w = new WorkImpl(tx, actor, at);
      const value = await fn(w);
      if (requireAudit && w.audited.length === 0 && !w.declaredUnchanged) throw new UnauditedChangeError(name ?? (fn.name || 'anonymous'));
      await writeAudit(tx, actor, at, w.audited);
      const sink = sinks.get(db);
      if (sink && w.audited.length > 0) await sink({ tx, actor, at, records: w.audited });
      return value;
    });
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        if (started) return;
        abandoned = true;
        reject(new UnitQueueTimeoutError(name ?? 'unnamed', queueTimeoutMs));
      }, queueTimeoutMs);
      timer.unref();
    });
    // The unit's own outcome wins once it has started; the timer only ever refuses a unit still waiting.
    unit.then(() => clearTimeout(timer), () => clearTimeout(timer));
    return Promise.race([unit, waited]);
  }
  return {
    clock,
    command: (actor, fn, o) => run(actor, fn, true, o?.now, o?.name),
    internal: (actor, fn, o) => run(actor, fn, false, o?.now, undefined),
  };
}

/**
 * The same unit seen by another actor (a cross-module write such as the mail intake filing an
 * incident as the desk): same transaction and instant; its audit entries join the unit's,
 * written under that actor.
 */
export function asActor<B extends WorkActor>(w: Work, actor: B): Work<B> {
  if ((w.actor as WorkActor) === actor) return w as unknown as Work<B>;
  return {
    tx: w.tx,
    actor,
    now: w.now,
    get audited() { return w.audited; },
    audit: (r) => w.audit({ ...r, actor }),
    unchanged: () => w.unchanged(),
  };
}
