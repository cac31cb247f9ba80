/**
 * The in-process scheduler: one loop that claims due jobs for every lane of the
 * runner and runs them in the background. Each lane has `slots` batches in
 * flight at most (the job lane one, so its sweeps never overlap; a batch lane
 * such as the health checks a few); a slot whose claim came back full claims
 * again at once, one that came back short sleeps its lane's idle time (the job
 * lane: `intervalMs`). Claims are made one after another by the loop; the work
 * runs beside it, so a slow mail never delays a check batch nor the reverse.
 * `poke()` asks for an early claim after a commit that enqueued work, so mail
 * goes out without waiting for the next poll. `stop()` ends the loop and waits
 * for the work in flight.
 */
import type { JobRunner, Lane } from './runner.ts';

interface Slot {
  lane: Lane;
  /** The batch in flight, if any. */
  busy: Promise<void> | null;
  /** When (performance.now()) this slot may claim again. */
  nextAt: number;
  /** A poke arrived while the slot was claiming or busy: claim again when done. */
  poked: boolean;
}

export class Scheduler {
  readonly #runner: JobRunner;
  readonly #intervalMs: number;
  readonly #onError: (err: unknown) => void;
  #slots: Slot[] = [];
  #loop: Promise<void> | null = null;
  #wake: (() => void) | null = null;
  #stopped = true;
  readonly #housekeeping: (() => Promise<void>) | null;
  readonly #housekeepingEveryMs: number;
  #lastHousekeeping = 0;
  #housekeepingRun: Promise<void> | null = null;

  constructor(
    runner: JobRunner,
    o: {
      /** Idle time of the job lane (batch lanes have their own, see `BatchLaneOptions`). */
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
    this.#slots = this.#runner.lanes.flatMap((lane) => Array.from({ length: lane.slots }, (): Slot => ({ lane, busy: null, nextAt: 0, poked: false })));
    this.#loop = this.#run();
  }

  poke(): void {
    if (this.#stopped) return;
    for (const s of this.#slots) {
      s.poked = true;
      if (!s.busy) s.nextAt = 0;
    }
    this.#wakeUp();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wakeUp();
    await this.#loop;
    this.#loop = null;
    await Promise.all(this.#slots.map((s) => s.busy));
    await this.#housekeepingRun;
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  #idle(lane: Lane): number {
    return lane.idleMs ?? this.#intervalMs;
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      for (const slot of this.#slots) {
        if (this.#stopped) break;
        if (slot.busy || slot.nextAt > performance.now()) continue;
        await this.#claim(slot);
      }
      this.#maybeHousekeep();
      if (this.#stopped) break;
      const free = this.#slots.filter((s) => !s.busy);
      const wait = free.length ? Math.min(...free.map((s) => s.nextAt)) - performance.now() : Infinity;
      if (wait > 0) await this.#sleep(wait);
    }
  }

  async #claim(slot: Slot): Promise<void> {
    const { lane } = slot;
    // This claim sees everything committed before it; a poke arriving while it runs sets the flag again.
    slot.poked = false;
    let jobs;
    try {
      jobs = await this.#runner.claim(lane);
    } catch (e) {
      this.#onError(e);
      slot.nextAt = performance.now() + this.#idle(lane);
      return;
    }
    if (jobs.length === 0) {
      slot.nextAt = slot.poked ? 0 : performance.now() + this.#idle(lane);
      return;
    }
    const full = jobs.length >= lane.batchSize;
    slot.busy = this.#runner
      .run(lane, jobs)
      .catch((e: unknown) => this.#onError(e))
      .finally(() => {
        slot.busy = null;
        // A full batch suggests more is due; a poke says something was enqueued meanwhile.
        slot.nextAt = full || slot.poked ? 0 : performance.now() + this.#idle(lane);
        this.#wakeUp();
      });
  }

  #maybeHousekeep(): void {
    if (!this.#housekeeping || this.#housekeepingRun || Date.now() - this.#lastHousekeeping < this.#housekeepingEveryMs) return;
    this.#lastHousekeeping = Date.now();
    this.#housekeepingRun = this.#housekeeping()
      .catch((e: unknown) => this.#onError(e))
      .finally(() => { this.#housekeepingRun = null; });
  }

  /** Sleeps until `ms` passed or something wakes the loop (a slot freed, a poke, stop). */
  #sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        if (timer) clearTimeout(timer);
        if (this.#wake === done) this.#wake = null;
        resolve();
      };
      // Infinity (every slot busy): only a wake-up ends the sleep.
      const timer = Number.isFinite(ms) ? setTimeout(done, ms) : null;
      timer?.unref();
      this.#wake = done;
    });
  }
}
