/**
 * The in-process scheduler: polls the job table and runs due jobs. One sweep at
 * a time (no overlap); `poke()` asks for an early sweep after a commit that
 * enqueued work, so mail goes out without waiting for the next poll.
 */
import type { JobRunner } from './runner.ts';

export class Scheduler {
  readonly #runner: JobRunner;
  readonly #intervalMs: number;
  readonly #onError: (err: unknown) => void;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  #stopped = true;
  readonly #housekeeping: (() => Promise<void>) | null;
  readonly #housekeepingEveryMs: number;
  #lastHousekeeping = 0;

  constructor(
    runner: JobRunner,
    o: {
      intervalMs: number;
      onError?: (err: unknown) => void;
      /** Occasional upkeep run between sweeps (e.g. pruning old jobs). */
      housekeeping?: () => Promise<void>;
      housekeepingEveryMs?: number;
    },
  ) {
    this.#runner = runner;
    this.#intervalMs = o.intervalMs;
    this.#onError = o.onError ?? (() => undefined);
    this.#housekeeping = o.housekeeping ?? null;
    this.#housekeepingEveryMs = o.housekeepingEveryMs ?? 60 * 60_000;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#schedule(0);
  }

  poke(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  #schedule(ms: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#sweep(), ms);
    this.#timer.unref();
  }

  async #sweep(): Promise<void> {
    if (this.#running || this.#stopped) return;
    this.#running = (async () => {
      do {
        this.#again = false;
        try {
          await this.#runner.runDue();
        } catch (e) {
          this.#onError(e);
        }
      } while (this.#again && !this.#stopped);
      if (this.#housekeeping && Date.now() - this.#lastHousekeeping >= this.#housekeepingEveryMs) {
        this.#lastHousekeeping = Date.now();
        await this.#housekeeping().catch((e: unknown) => this.#onError(e));
      }
    })();
    await this.#running;
    this.#running = null;
    if (!this.#stopped) this.#schedule(this.#intervalMs);
  }
}
