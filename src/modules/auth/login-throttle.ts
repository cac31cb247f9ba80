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
 * The failures live in the database (`login_failures`), so every app process on one
 * database shares the limits and a restart forgets nothing. An attempt is recorded
 * first and counted after, each its own committed statement: of any two concurrent
 * attempts the later-recorded one sees both, so no burst across processes gets more
 * than the limit through; a refused attempt removes its own record (it does not count).
 */
import { uuidv7 } from 'uuidv7';
import * as repo from './auth.repository.ts';

export interface ThrottleLimits {
  perAccount: number;
  perAddress: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_LIMITS: ThrottleLimits = { perAccount: 10, perAddress: 50, windowMs: 15 * 60 * 1000 };

/** Expired failures are deleted at most this often per process. */
const PRUNE_EVERY_MS = 60_000;

export type Attempt =
  | { ok: true; accountKey: string; addressKey: string; accountId: string; addressId: string }
  | { ok: false; retryAfterMs: number };

const accountKeyOf = (account: string) => `account:${account.trim().toLowerCase()}`;

export class LoginThrottle {
  #prunedAt = -Infinity;

  constructor(private readonly db: repo.AuthDb, readonly limits: ThrottleLimits = DEFAULT_LOGIN_LIMITS) {}

  /** Starts an attempt: refused (with the wait) when the account or the address is over its limit. */
  async begin(account: string, address: string, now: number): Promise<Attempt> {
    await this.#prune(now);
    const accountKey = accountKeyOf(account);
    const addressKey = `address:${address}`;
    const accountId = uuidv7();
    const addressId = uuidv7();
    await repo.addLoginFailures(this.db, [{ id: accountId, key: accountKey, at: now }, { id: addressId, key: addressKey, at: now }]);
    const rows = await repo.loginFailuresSince(this.db, [accountKey, addressKey], now - this.limits.windowMs);
    // Counted without this attempt's own records: over the limit, it does not count at all.
    const others = (key: string) => rows.filter((r) => r.key === key && r.id !== accountId && r.id !== addressId);
    const wait = Math.max(this.#wait(others(accountKey), this.limits.perAccount, now), this.#wait(others(addressKey), this.limits.perAddress, now));
    if (wait > 0) {
      await repo.deleteLoginFailures(this.db, { ids: [accountId, addressId] });
      return { ok: false, retryAfterMs: wait };
    }
    return { ok: true, accountKey, addressKey, accountId, addressId };
  }

  /** The attempt succeeded: it does not count, and the account starts afresh. */
  async succeeded(attempt: Attempt): Promise<void> {
    if (!attempt.ok) return;
    await repo.deleteLoginFailures(this.db, { key: attempt.accountKey });
    await repo.deleteLoginFailures(this.db, { ids: [attempt.addressId] });
  }

  /** Counts a failure of an account alone (e.g. a wrong current password on a password change). */
  async accountFailed(account: string, now: number): Promise<void> {
    await repo.addLoginFailures(this.db, [{ id: uuidv7(), key: accountKeyOf(account), at: now }]);
  }

  /** How long the account must wait (0 = may try now). */
  async accountWaitMs(account: string, now: number): Promise<number> {
    const rows = await repo.loginFailuresSince(this.db, [accountKeyOf(account)], now - this.limits.windowMs);
    return this.#wait(rows, this.limits.perAccount, now);
  }

  /** `newestFirst`: the key's failures in the window; the `limit`-th newest leaving the window frees a slot. */
  #wait(newestFirst: readonly { at: number }[], limit: number, now: number): number {
    if (newestFirst.length < limit) return 0;
    return Math.max(1, newestFirst[limit - 1]!.at + this.limits.windowMs - now);
  }

  async #prune(now: number): Promise<void> {
    if (now - this.#prunedAt < PRUNE_EVERY_MS && now >= this.#prunedAt) return;
    this.#prunedAt = now;
    await repo.deleteLoginFailures(this.db, { before: now - this.limits.windowMs });
  }
}
