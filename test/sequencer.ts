/**
 * Longest files first. On a fresh clone (CI) vitest has no record of earlier runs and starts
 * the largest files first — but size says little here: `fuzz.test.ts` is 2 KB and runs a
 * minute, and started among the last it left one worker alone at the end of the desk phase.
 * Known long files (seconds measured on the 2-core machine, 2026-12-05; approximate, only
 * the order matters) go first, in that order; the rest follow in vitest's own order.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const KNOWN_SECONDS: Record<string, number> = {
  'test/db/two-processes.test.ts': 150,
  'test/http/access-matrix.test.ts': 70,
  'test/http/fuzz.test.ts': 60,
  'test/db/cli-accounts.test.ts': 40,
  'test/http/queue.test.ts': 40,
  'test/core/property.test.ts': 35,
  'test/http/sla-document.test.ts': 24,
  'test/cli/webhook.test.ts': 24,
  'test/cli/help.test.ts': 24,
  'test/http/report-sections.test.ts': 22,
  'test/http/reports.test.ts': 21,
  'test/db/cli-input.test.ts': 21,
  'test/jobs/sla-timers.test.ts': 20,
  'test/db/serve.test.ts': 20,
  'test/cli/contract-transfer.test.ts': 19,
  'test/db/cli.test.ts': 18,
  'test/cli/change.test.ts': 18,
  'test/db/backup.test.ts': 17,
  'test/monitoring/stop.test.ts': 15,
  'test/webhooks/kill9.test.ts': 14,
  'test/mail/crash.test.ts': 14,
  'test/http/passwords-tokens.test.ts': 14,
};

export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root.replace(/\/$/, '');
    const seconds = (f: TestSpecification) => KNOWN_SECONDS[f.moduleId.slice(root.length + 1)] ?? 0;
    // Stable: projects stay in their groupOrder, and files of no known length keep vitest's order.
    return sorted
      .map((f, i) => ({ f, i }))
      .sort((a, b) => (a.f.project.config.sequence.groupOrder - b.f.project.config.sequence.groupOrder) || seconds(b.f) - seconds(a.f) || a.i - b.i)
      .map(({ f }) => f);
  }
}
