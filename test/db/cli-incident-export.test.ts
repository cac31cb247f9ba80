/**
 * `hoshu incident export` writes every incident to a CSV a spreadsheet opens right:
 * UTF-8 with a BOM, CRLF, one header line, Japanese titles intact, and one row per
 * incident in number order (paged reads). A real CLI process on the demo data.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/database.ts';
import { cliInTempDir } from '../helpers/cli.ts';

const { dir, hoshu, remove } = cliInTempDir('hoshu-incident-export-');

beforeAll(async () => {
  const demo = await hoshu(['demo']);
  expect(demo.code, demo.stderr).toBe(0);
}, 120_000);
afterAll(() => remove());

describe('hoshu incident export', () => {
  it('writes every incident as CSV with a BOM, in number order', async () => {
    const out = path.join(dir, 'incidents.csv');
    const r = await hoshu(['incident', 'export', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const database = createDb({ dialect: 'sqlite', file: path.join(dir, 'hoshu.db') });
    const incidents = await database.db.selectFrom('incidents').select(['number', 'title']).orderBy('number').execute();
    await database.close();
    expect(incidents.length).toBeGreaterThan(0);
    expect(r.stderr).toContain(`Wrote ${incidents.length} incidents to ${out}.`);

    const raw = fs.readFileSync(out);
    expect(raw.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const text = raw.toString('utf8').slice(1);
    expect(text.split('\r\n')[0]).toBe('number,id,client,contract,title,status,priority,channel,category,in_scope,billable,reporter_name,reporter_email,received_at,recognized_at,started_at,proposed_at,resolved_at,closed_at');
    // Demo titles hold no line breaks: one line per incident, the number first.
    const lines = text.split('\r\n').slice(1).filter(Boolean);
    expect(lines.map((l) => Number(l.split(',')[0]))).toEqual(incidents.map((i) => Number(i.number)));
    for (const i of incidents.slice(0, 20)) expect(text).toContain(i.title.includes(',') || i.title.includes('"') ? `"${i.title.replaceAll('"', '""')}"` : i.title);
    expect(lines[0]).toMatch(/,\d{4}-\d\d-\d\dT[\d:.]+Z,/);
  }, 60_000);

  it('refuses an unknown contract and writes nothing', async () => {
    const out = path.join(dir, 'none.csv');
    const r = await hoshu(['incident', 'export', '--out', out, '--contract', 'no such contract']);
    expect([r.code, r.stderr.trim()]).toEqual([1, 'error: No contract "no such contract".']);
    expect(fs.existsSync(out)).toBe(false);
  }, 60_000);
});
