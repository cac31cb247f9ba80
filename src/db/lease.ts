/**
 * "Exactly one process at a time does this" (e.g. polls one IMAP mailbox), over the
 * database every process shares. PostgreSQL: a session-level advisory lock held on a
 * connection of its own; it ends with that connection, so when the holding process dies
 * (or loses the database) the lock is free at once and another process's next `held()`
 * takes it. Callers ask `held()` before each round of work and retry every standby
 * interval while another holds it, so takeover comes within that interval. SQLite: one
 * serving process per database file, so the lease is always held.
 */
import crypto from 'node:crypto';
import pg from 'pg';
import type { DatabaseConfig } from '../config.ts';

export interface Lease {
  /** Whether this process holds the lease now (taking it if free). Checks the holding connection is alive. */
  held(): Promise<boolean>;
  /** Gives the lease up. */
  close(): Promise<void>;
}

/** The advisory-lock key of a name: 64 bits of its SHA-256, as PostgreSQL's signed bigint. */
export function leaseKey(name: string): string {
  return crypto.createHash('sha256').update(`hoshu:${name}`).digest().readBigInt64BE(0).toString();
}

class PgAdvisoryLease implements Lease {
  #client: pg.Client | null = null;
  #holding = false;
  #closed = false;

  constructor(private readonly url: string, private readonly key: string) {}

  #drop(c: pg.Client): void {
    if (this.#client !== c) return;
    this.#client = null;
    this.#holding = false;
    void c.end().catch(() => undefined);
  }

  async held(): Promise<boolean> {
    if (this.#closed) return false;
    try {
      if (!this.#client) {
        const c = new pg.Client({ connectionString: this.url, application_name: 'hoshu-lease' });
        c.on('error', () => this.#drop(c));
        c.on('end', () => this.#drop(c));
        await c.connect();
        this.#client = c;
      }
      const c = this.#client;
      if (this.#holding) {
        // A round trip proves the connection (and with it the lock) is still there.
        await c.query('select 1');
        return this.#holding;
      }
      const r = await c.query<{ ok: boolean }>('select pg_try_advisory_lock($1::bigint) as ok', [this.key]);
      this.#holding = r.rows[0]?.ok === true;
      return this.#holding;
    } catch {
      if (this.#client) this.#drop(this.#client);
      return false;
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    const c = this.#client;
    this.#client = null;
    this.#holding = false;
    // Ending the session releases the lock.
    if (c) await c.end().catch(() => undefined);
  }
}

/** The lease `name` on a database (see the module comment). */
export function leaseOn(config: DatabaseConfig, name: string): Lease {
  if (config.dialect === 'postgres') return new PgAdvisoryLease(config.url, leaseKey(name));
  return { held: async () => true, close: async () => undefined };
}
