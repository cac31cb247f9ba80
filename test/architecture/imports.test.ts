import fs from 'node:fs';
import path from 'node:path';
import { cruise, type IConfiguration, type ICruiseResult } from 'dependency-cruiser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `npm run check` runs dependency-cruiser with .dependency-cruiser.mjs over src/ and web/.
 * These prove each of its rules fires on a synthetic violation (and not on the allowed
 * import beside it), and that the real tree passes, as test/core/purity.test.ts does for eslint.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const configUrl = new URL('../../.dependency-cruiser.mjs', import.meta.url).href;
// The config is plain JS (read by the CLI); its shape is the library's IConfiguration.
const { default: config } = (await import(configUrl)) as { default: IConfiguration };

async function violations(baseDir: string): Promise<{ result: ICruiseResult; found: string[] }> {
  const { forbidden } = config;
  const report = await cruise(['src', 'web'], { ...config.options, baseDir, validate: true, ruleSet: { forbidden } });
  const result = report.output as ICruiseResult;
  const found = result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
  return { result, found: found.sort() };
}

/** A small tree with one violation per rule and an allowed import next to each. */
const FIXTURE: Record<string, string> = {
  'src/core/sla/leak.ts': "import { x } from '../../db/ok.ts';\nexport const y = x;\n",
  'src/core/sla/ok.ts': "export const k = 1;\n",
  'src/contract/leak.ts': "import { s } from '../modules/b/b.service.ts';\nexport const y = s;\n",
  'src/contract/ok.ts': "import { k } from '../core/sla/ok.ts';\nexport const c = k;\n",
  'src/db/ok.ts': "import { c } from '../contract/ok.ts';\nexport const x = c;\n",
  'src/db/leak.ts': "import { s } from '../modules/a/a.service.ts';\nexport const y = s;\n",
  'src/modules/a/a.repository.ts': "import { x } from '../../db/ok.ts';\nexport const r = x;\n",
  'src/modules/a/a.service.ts': "import { r } from './a.repository.ts';\nimport { s as b } from '../b/b.service.ts';\nexport const s = r + b;\n",
  'src/modules/a/a.foreign.ts': "import { r } from '../b/b.repository.ts';\nexport const f = r;\n",
  'src/modules/a/a.seeds.ts': "import { d } from '../../seed/demo.ts';\nexport const g = d;\n",
  'src/modules/b/b.repository.ts': "export const r = 2;\n",
  'src/modules/b/b.service.ts': "import { r } from './b.repository.ts';\nexport const s = r;\n",
  // A circle through a type-only import still counts.
  'src/http/app.ts': "import { doc } from './openapi.ts';\nexport type App = { n: number };\nexport const a = doc;\n",
  'src/http/openapi.ts': "import type { App } from './app.ts';\nexport const doc: App = { n: 1 };\n",
  'src/seed/demo.ts': "import { s } from '../modules/a/a.service.ts';\nexport const d = s;\n",
  'web/leak.tsx': "import { s } from '../src/modules/a/a.service.ts';\nexport const w = s;\n",
  'web/ok.tsx': "import { c } from '../src/contract/ok.ts';\nexport const w = c;\n",
};

describe('the import rule (dependency-cruiser)', () => {
  let dir: string;
  beforeAll(() => {
    // Inside the repository so the cruise resolves the way the real one does; tmp/ is ignored by git, tsc and eslint.
    fs.mkdirSync(path.join(ROOT, 'tmp'), { recursive: true });
    dir = fs.mkdtempSync(path.join(ROOT, 'tmp', 'imports-'));
    for (const [file, code] of Object.entries(FIXTURE)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), code);
    }
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reports every kind of violation, and only those', async () => {
    const { found } = await violations(dir);
    expect(found).toEqual([
      'contract-below-db: src/contract/leak.ts → src/modules/b/b.service.ts',
      'core-is-pure: src/core/sla/leak.ts → src/db/ok.ts',
      'db-below-modules: src/db/leak.ts → src/modules/a/a.service.ts',
      'no-circular: src/http/app.ts → src/http/openapi.ts',
      'no-foreign-repository: src/modules/a/a.foreign.ts → src/modules/b/b.repository.ts',
      'nothing-imports-the-top: src/modules/a/a.seeds.ts → src/seed/demo.ts',
      'web-reads-the-contract: web/leak.tsx → src/modules/a/a.service.ts',
    ]);
  });

  it('is part of npm run check, over src and web', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.check).toContain('depcruise src web --config .dependency-cruiser.mjs');
  });

  it('passes on the real tree', async () => {
    const { result, found } = await violations(ROOT);
    expect(found).toEqual([]);
    // It looked at the tree it guards (a wrong baseDir or glob would pass on nothing).
    expect(result.modules.map((m) => m.source)).toEqual(expect.arrayContaining([
      'src/contract/vocabulary.ts', 'src/db/database.ts', 'src/modules/incidents/incident.service.ts',
      'src/seed/demo.ts', 'web/features/incidents/QueuePage.tsx',
    ]));
  });
});
