import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** `npm run check` runs ESLint; these prove its rule fences src/core (and only src/core). */
const eslint = new ESLint({ cwd: process.cwd() });

async function problems(code: string, filePath = 'src/core/sla/example.ts'): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('the pure-core import rule', () => {
  it.each([
    ["import { readFileSync } from 'node:fs';\nexport const x = readFileSync;", /src\/core is pure/],
    ["import { Kysely } from 'kysely';\nexport const x = Kysely;", /src\/core is pure/],
    ["import Database from 'better-sqlite3';\nexport const x = Database;", /src\/core is pure/],
    ["import { createDb } from '../../db/database.ts';\nexport const x = createDb;", /outer layers/],
    ['export const now = (): number => Date.now();', /reads no clock/],
    ['export const now = (): Date => new Date();', /reads no clock/],
    ['export const zone = (): string | undefined => process.env.TZ;', /reads no environment/],
    ['export const r = (): number => Math.random();', /deterministic/],
  ])('rejects %s', async (code, message) => {
    const found = await problems(code);
    expect(found.join('\n')).toMatch(message);
  });

  it('accepts pure code, including Date with an argument', async () => {
    expect(await problems('export const iso = (ms: number): string => new Date(ms).toISOString();')).toEqual([]);
  });

  it('does not apply outside src/core', async () => {
    expect(await problems("import { readFileSync } from 'node:fs';\nexport const x = readFileSync;", 'src/cli/example.ts')).toEqual([]);
  });
});
