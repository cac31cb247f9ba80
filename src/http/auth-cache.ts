/**
 * A very short-lived cache of "credential hash → who", so a busy integration does not
 * cost one database round trip per request. Entries live `ttlMs` (default 1 s) and
 * the whole cache is dropped whenever this process changes users, sessions or
 * tokens; another process (the CLI revoking a token, a second app server) is seen
 * within ttlMs. Set ttlMs to 0 to always ask the database.
 */
import type { UserRow } from '../modules/auth/auth.repository.ts';

export interface CachedAuth {
  user: UserRow;
  csrfToken: string | null;
  expiresAt: number | null;
}

export class AuthCache {
  readonly #entries = new Map<string, { value: CachedAuth; until: number }>();
  constructor(private readonly ttlMs: number, private readonly maxEntries = 10_000) {}

  get(key: string, now: number): CachedAuth | undefined {
    if (this.ttlMs <= 0) return undefined;
    const e = this.#entries.get(key);
    if (!e) return undefined;
    if (e.until <= now || (e.value.expiresAt !== null && e.value.expiresAt <= now)) {
      this.#entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: string, value: CachedAuth, now: number): void {
    if (this.ttlMs <= 0) return;
    if (this.#entries.size >= this.maxEntries) this.#entries.clear();
    this.#entries.set(key, { value, until: now + this.ttlMs });
  }

  clear(): void {
    this.#entries.clear();
  }
}
