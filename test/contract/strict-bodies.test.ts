/**
 * Every request body refuses unknown fields: each object with named fields in any
 * write operation's body schema (as published in docs/openapi.json, generated from
 * the contract's zod schemas) is closed (`additionalProperties: false`, i.e.
 * z.strictObject). A misspelt field must be reported, never silently dropped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

type Schema = Record<string, unknown>;
const doc = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../docs/openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
  components: { schemas: Record<string, Schema> };
};

function openObjects(s: unknown, at: string, out: string[], seen = new Set<string>()): void {
  if (Array.isArray(s)) return s.forEach((x, i) => openObjects(x, `${at}[${i}]`, out, seen));
  if (typeof s !== 'object' || s === null) return;
  const o = s as Schema;
  if (typeof o.$ref === 'string') {
    const name = o.$ref.replace('#/components/schemas/', '');
    if (seen.has(name)) return;
    seen.add(name);
    return openObjects(doc.components.schemas[name], `${at}→${name}`, out, seen);
  }
  if (o.properties && o.additionalProperties !== false) out.push(at);
  for (const [k, v] of Object.entries(o)) if (k !== 'examples' && k !== 'default') openObjects(v, `${at}.${k}`, out, seen);
}

describe('request bodies', () => {
  it('every object in every write body is strict (unknown fields are refused)', () => {
    const open: string[] = [];
    let bodies = 0;
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const schema = op.requestBody?.content?.['application/json']?.schema;
        if (!schema) continue;
        bodies += 1;
        openObjects(schema, `${method.toUpperCase()} ${p}`, open);
      }
    }
    expect(bodies).toBeGreaterThan(30);
    expect(open).toEqual([]);
  });
});
