import { defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './test/sequencer.ts';

export default defineConfig({
  test: {
    // Two projects: unit/integration under test/, then the browser tests under e2e/ (web app built once
    // first); groupOrder runs them one after the other so Chromium does not compete with the timing-sensitive suites.
    projects: [
      // Two files at a time even on a 2-CPU machine (vitest's default there is one): many desk files
      // wait on spawned processes, PostgreSQL and sockets. Not isolated: a worker keeps the modules it
      // loaded for the next file instead of importing the desk again (each file still builds its own
      // database, app and services).
      { extends: true, test: { name: 'desk', include: ['test/**/*.test.ts'], globalSetup: ['test/global-setup.ts'], maxWorkers: 2, isolate: false, sequence: { groupOrder: 0 } } },
      // Browser files one at a time (vitest's default on 2 CPUs): two at once doubled each file's
      // time on this machine (e2e sum 377 → 796 s, phase 397 → 462 s on a busier afternoon) and made the
      // 1,000-incident queue test need its retry. One retry: under load a Chromium renderer once
      // stalled 15 s on a click that passes in every other run (CI of 2026-12-05 12:53). A real
      // defect fails its retry as well, and vitest names every retried test in its output.
      { extends: true, test: { name: 'e2e', include: ['e2e/**/*.test.ts'], globalSetup: ['e2e/global-setup.ts'], retry: 1, isolate: false, testTimeout: 90_000, sequence: { groupOrder: 1 } } },
    ],
    // Long files first, whether or not this machine has run the tests before (test/sequencer.ts).
    sequence: { sequencer: LongestFirstSequencer },
    // The SLA core must never lean on the process zone; run everything in UTC to catch it.
    env: { TZ: 'UTC' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
