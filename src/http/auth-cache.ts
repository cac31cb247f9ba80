/**
 * A very short-lived cache of "credential hash → who", so a busy integration does not
 * cost one database round trip per request. Entries live `ttlMs` (default 1 s) and
 * the whole cache is dropped whenever this process changes users, sessions or
 * tokens. With table versions (createDb) an entry also ends when any process commits
 * a change of users, sessions or tokens: on PostgreSQL the change arrives by
 * LISTEN/NOTIFY (pg-listener.ts) a moment after it commits, so another process
 * (the CLI revoking a token, a second app server) is seen within milliseconds and
 * at the latest within ttlMs. Set ttlMs to 0 to always ask the database.
 */
import type { TableVersions } from '../db/table-versions.ts';
import type { UserRow } from '../modules/auth/auth.repository.ts';

const AUTH_TABLES = ['users', 'sessions', 'api_tokens'] as const;

export interface CachedAuth {
  user: UserRow;
  csrfToken: string | null;
  expiresAt: number | null;
}

export class AuthCache {
  readonly #entries = new Map<string, { value: CachedAuth; until: number; token: string }>();
  constructor(private readonly ttlMs: number, private readonly maxEntries = 10_000, private readonly versions: TableVersions | null = null) {}

  /** Take before resolving a credential; give to `set` (a change meanwhile voids the entry). */
  token(): string {
    return this.versions?.token(AUTH_TABLES) ?? '';
  }

  get(key: string, now: number): CachedAuth | undefined {
    if (this.ttlMs <= 0) return undefined;
    const e = this.#entries.get(key);
    if (!e) return undefined;
    if (e.until <= now || (e.value.expiresAt !== null && e.value.expiresAt <= now) || e.token !== this.token()) {
      this.#entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: string, value: CachedAuth, now: number, token: string): void {
    if (this.ttlMs <= 0) return;
    if (this.#entries.size >= this.maxEntries) this.#entries.clear();
    this.#entries.set(key, { value, until: now + this.ttlMs, token });
  }

  clear(): void {
    this.#entries.clear();
  }
}
