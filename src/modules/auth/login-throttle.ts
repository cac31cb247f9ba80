/**
 * Failed sign-ins, counted per account and per client address (two separate limits).
 * A successful sign-in never counts: an office behind one NAT can sign in all at once.
 *
 * Every attempt is counted when it starts, before the (slow) password check, and
 * forgiven when it succeeds: otherwise a burst of parallel guesses would all pass the
 * check before the first failure is recorded.
 *
 * A success also clears its account's failures: the owner has just proven the
 * password, and a user who mistyped nine times should not stay one typo away from a
 * lockout for the rest of the window. It does not clear the address's failures — else
 * one valid account would let an address reset its own count between guesses.
 *
 * While an account is over its limit every attempt on it is refused, even with the
 * right password (else the refusal itself would tell a guesser when to stop). So a
 * stranger can lock an account for one window; the per-address limit slows that down.
 *
 * In-process memory, like any per-process rate limit: several app processes each
 * allow the limit, and a restart forgets.
 */
export interface ThrottleLimits {
  perAccount: number;
  perAddress: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_LIMITS: ThrottleLimits = { perAccount: 10, perAddress: 50, windowMs: 15 * 60 * 1000 };

/** Beyond this many keys, forgotten failures are dropped first, then the least recently failed. */
const MAX_KEYS = 100_000;

export type Attempt =
  | { ok: true; accountKey: string; addressKey: string; at: number }
  | { ok: false; retryAfterMs: number };

export class LoginThrottle {
  /** key → instants of failures (and attempts in flight), oldest first, at most the key's limit. */
  readonly #failures = new Map<string, number[]>();

  constructor(readonly limits: ThrottleLimits = DEFAULT_LOGIN_LIMITS) {}

  /** Starts an attempt: refused (with the wait) when the account or the address is over its limit. */
  begin(account: string, address: string, now: number): Attempt {
    const accountKey = `account:${account.trim().toLowerCase()}`;
    const addressKey = `address:${address}`;
    const wait = Math.max(this.#waitMs(accountKey, this.limits.perAccount, now), this.#waitMs(addressKey, this.limits.perAddress, now));
    if (wait > 0) return { ok: false, retryAfterMs: wait };
    this.#add(accountKey, this.limits.perAccount, now);
    this.#add(addressKey, this.limits.perAddress, now);
    return { ok: true, accountKey, addressKey, at: now };
  }

  /** The attempt succeeded: it does not count, and the account starts afresh. */
  succeeded(attempt: Attempt): void {
    if (!attempt.ok) return;
    this.#failures.delete(attempt.accountKey);
    const list = this.#failures.get(attempt.addressKey);
    const i = list?.lastIndexOf(attempt.at) ?? -1;
    if (list && i >= 0) list.splice(i, 1);
  }

  /** Counts a failure of an account alone (e.g. a wrong current password on a password change). */
  accountFailed(account: string, now: number): void {
    this.#add(`account:${account.trim().toLowerCase()}`, this.limits.perAccount, now);
  }

  /** How long the account must wait (0 = may try now). */
  accountWaitMs(account: string, now: number): number {
    return this.#waitMs(`account:${account.trim().toLowerCase()}`, this.limits.perAccount, now);
  }

  #waitMs(key: string, limit: number, now: number): number {
    const list = this.#failures.get(key);
    if (!list || list.length < limit) return 0;
    // The list holds at most `limit` instants: the oldest one leaving the window frees a slot.
    return Math.max(0, list[list.length - limit]! + this.limits.windowMs - now);
  }

  #add(key: string, limit: number, now: number): void {
    const list = (this.#failures.get(key) ?? []).filter((t) => t > now - this.limits.windowMs);
    list.push(now);
    if (list.length > limit) list.splice(0, list.length - limit);
    // Re-inserted so the Map's order is "least recently failed first" for eviction.
    this.#failures.delete(key);
    this.#failures.set(key, list);
    if (this.#failures.size > MAX_KEYS) this.#evict(now);
  }

  #evict(now: number): void {
    for (const [key, list] of this.#failures) {
      if (list.at(-1)! <= now - this.limits.windowMs) this.#failures.delete(key);
    }
    for (const key of this.#failures.keys()) {
      if (this.#failures.size <= MAX_KEYS * 0.9) break;
      this.#failures.delete(key);
    }
  }
}
