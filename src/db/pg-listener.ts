/**
 * Hears the commits of other processes on one PostgreSQL database: a connection of its
 * own LISTENs on the channel the driver notifies at commit (pg-driver.ts) and counts each
 * announced table as changed (table-versions.ts), so the exact caches of every process
 * stay exact.
 *
 * - Nothing may be missed: while the connection is not listening (not yet connected,
 *   dropped, reconnecting), `epoch()` answers a new number on every call, so no cache
 *   entry is served or kept; on every (re)connection every table counts as changed.
 * - Read-your-writes across processes: `sync()` resolves after a round trip on the
 *   listening connection that started after the call. PostgreSQL signals the listening
 *   backends before the committing client gets its COMMIT answer, and delivers a
 *   notification ahead of the answer to the next query on the listening connection, so
 *   every change committed before `sync()` was called has been counted when it resolves.
 *   Concurrent callers share round trips (one in flight, at most one more queued).
 * - Started on first use (a process that never reads through a cache opens no extra
 *   connection).
 */
import pg from 'pg';
import type { TableVersions } from './table-versions.ts';

export const TABLES_CHANNEL = 'hoshu_tables';
const RECONNECT_MS = 1000;

export class PgListener {
  #client: pg.Client | null = null;
  #listening = false;
  #epoch = 0;
  #closed = false;
  #starting: Promise<void> | null = null;
  #inflight: Promise<void> | null = null;
  #queued: Promise<void> | null = null;
  #versions: TableVersions | null = null;

  constructor(private readonly url: string, private readonly channel = TABLES_CHANNEL) {}

  /** The versions to bump (set once, by createDb). */
  attach(versions: TableVersions): void {
    this.#versions = versions;
  }

  get listening(): boolean {
    return this.#listening;
  }

  /** Stable while listening; a new value on every call otherwise (nothing is cached then). */
  epoch(): number {
    if (!this.#listening) {
      this.#start();
      return ++this.#epoch;
    }
    return this.#epoch;
  }

  #lost(): void {
    const was = this.#listening;
    this.#listening = false;
    this.#epoch++;
    this.#versions?.bump(null);
    const c = this.#client;
    this.#client = null;
    if (c) void c.end().catch(() => undefined);
    if (was && !this.#closed) setTimeout(() => this.#start(), RECONNECT_MS).unref();
  }

  #start(): void {
    if (this.#starting || this.#listening || this.#closed) return;
    this.#starting = (async () => {
      // Named, so an operator sees what the extra connection is (pg_stat_activity.application_name).
      const client = new pg.Client({ connectionString: this.url, application_name: 'hoshu-listener' });
      client.on('error', () => this.#client === client && this.#lost());
      client.on('end', () => this.#client === client && this.#lost());
      client.on('notification', (m) => {
        if (m.channel !== this.channel) return;
        const payload = m.payload ?? '*';
        this.#versions?.bump(payload === '*' ? null : payload.split(','));
      });
      try {
        await client.connect();
        await client.query(`listen "${this.channel}"`);
        if (this.#closed) {
          await client.end();
          return;
        }
        this.#client = client;
        // Whatever committed while nobody listened is unknown: everything counts as changed.
        this.#versions?.bump(null);
        this.#epoch++;
        this.#listening = true;
      } catch {
        await client.end().catch(() => undefined);
        if (!this.#closed) setTimeout(() => this.#start(), RECONNECT_MS).unref();
      }
    })().finally(() => {
      this.#starting = null;
    });
  }

  async #roundTrip(): Promise<void> {
    const c = this.#client;
    if (!c || !this.#listening) return;
    try {
      await c.query('select 1');
    } catch {
      if (this.#client === c) this.#lost();
    }
  }

  /** Resolves once every change committed before this call has been counted (see the module comment). */
  sync(): Promise<void> {
    if (!this.#listening) {
      this.#start();
      return Promise.resolve();
    }
    if (!this.#inflight) {
      const p: Promise<void> = this.#roundTrip().finally(() => {
        if (this.#inflight === p) this.#inflight = null;
      });
      this.#inflight = p;
      return p;
    }
    // The one in flight may have started before this call: wait for the next.
    if (!this.#queued) {
      const q: Promise<void> = this.#inflight.then(() => {
        this.#queued = null;
        return this.sync();
      });
      this.#queued = q;
    }
    return this.#queued;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#listening = false;
    await this.#starting;
    const c = this.#client;
    this.#client = null;
    if (c) await c.end().catch(() => undefined);
  }
}
