/**
 * The API fuzzer shared by test/http/fuzz.test.ts (bounded, fixed seed, both
 * dialects) and bench/fuzz.bench.ts (longer). Every write operation is taken from
 * the app's own OpenAPI document, so a new route is fuzzed without being listed
 * here. For each request it checks:
 * - no answer ≥ 500;
 * - every error is the documented `{ code, message, issues: [{ path, code, message }] }`
 *   with a catalogued code;
 * - a refused request (4xx) changed no row: a fingerprint of every table (row count
 *   and greatest updated_at) is the same before and after;
 * - a body that must be refused (an unknown field, NUL, a lone surrogate, a huge or
 *   deep value) is not answered with a 2xx.
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { isErrorCode } from '../../../src/contract/errors.ts';
import type { DB } from '../../../src/db/schema.ts';
import { tableColumns } from '../../../src/db/schema.ts';
import type { Caller } from '../helpers.ts';
import { isPick, mutate, mutationArb, MUST_REFUSE, PICK, schemaArb, type JsonSchema, type Mutation } from './schema-arbitrary.ts';

const WRITE_METHODS = ['post', 'put', 'patch', 'delete'] as const;

interface Operation {
  method: string;
  path: string;
  body: JsonSchema | null;
  /** The id pool of each path parameter. */
  params: string[];
}

interface OpenApiDoc {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> }; parameters?: Array<{ in: string; name: string }> }>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

/**
 * A missing id, NUL, a path escape, an over-long id. (Bad percent-escapes — '%', '%zz', '%FF',
 * '%ED%A0%80' — and a parameter over the router's 100 characters belong here too once the HTTP
 * edge answers them in the error shape: the httphard branch.)
 */
// Bad percent-encoding and over-long ids answer in our error shape since the HTTP edge (src/http/edge.ts) handles them.
const BAD_PATH_IDS = ['0190a6e0-0000-7000-8000-000000000000', '%00', 'x%00y', '..%2F..%2Fclients', 'a'.repeat(90), '%', '%zz', '%FF', '%ED%A0%80', 'b'.repeat(150)];

/** The pool of ids a path parameter comes from: the collection it follows ("/mail/incidents/{id}" → incidents). */
function poolOfPath(path: string): string {
  const m = /\/api\/v1\/(?:mail\/)?([a-z-]+)\/\{/.exec(path);
  const p = m?.[1] ?? '*';
  return p === 'messages' ? 'mail-messages' : p;
}

export async function writeOperations(app: FastifyInstance): Promise<{ ops: Operation[]; doc: OpenApiDoc }> {
  const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as OpenApiDoc;
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const method of WRITE_METHODS) {
      const op = methods[method];
      if (!op) continue;
      const body = op.requestBody?.content?.['application/json']?.schema ?? null;
      const params = (op.parameters ?? []).filter((p) => p.in === 'path').map(() => poolOfPath(path));
      ops.push({ method: method.toUpperCase(), path, body, params });
    }
  }
  return { ops, doc };
}

export interface FuzzCase {
  op: number;
  body: unknown;
  mutation: Mutation;
  params: number[];
  /** 0: admin; 1: agent; 2: a contact of client A. */
  caller: number;
}

export interface FuzzResult {
  tried: number;
  byStatus: Record<number, number>;
  accepted: number;
  failures: string[];
}

/**
 * Tables a refused request is meant to write: a failed sign-in is counted (login_failures, shared by
 * every process), which is how the sign-in limit works — not a change the refusal let through.
 */
const WRITTEN_BY_REFUSALS = new Set(['loginFailures']);

/** Row count and the greatest updated_at of every table, in one statement. */
function fingerprintQuery() {
  const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const parts = Object.entries(tableColumns as Record<string, readonly string[]>)
    .filter(([t]) => !WRITTEN_BY_REFUSALS.has(t))
    .map(([t, cols]) => {
      const name = snake(t);
      const u = cols.includes('updatedAt') ? sql`cast(max(updated_at) as text)` : sql`null`;
      return sql`select ${sql.lit(name)} as t, count(*) as n, ${u} as u from ${sql.table(name)}`;
    });
  return sql.join(parts, sql` union all `);
}

export async function fingerprint(db: Kysely<DB>): Promise<string> {
  const r = await sql<{ t: string; n: number | string; u: string | null }>`${fingerprintQuery()}`.execute(db);
  return r.rows.map((x) => `${x.t}:${Number(x.n)}:${x.u ?? ''}`).join('|');
}

function diffFingerprint(a: string, b: string): string {
  const A = a.split('|');
  const B = b.split('|');
  return A.flatMap((x, i) => (x === B[i] ? [] : [`${x} → ${B[i]}`])).join(', ');
}

function isErrorBody(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  if (typeof e.code !== 'string' || !isErrorCode(e.code) || typeof e.message !== 'string' || e.message.length === 0) return false;
  if (!Array.isArray(e.issues)) return false;
  return e.issues.every((i: unknown) => {
    const x = i as Record<string, unknown> | null;
    return x !== null && typeof x === 'object' && Array.isArray(x.path) && x.path.every((p) => typeof p === 'string' || typeof p === 'number')
      && typeof x.code === 'string' && typeof x.message === 'string' && x.message.length > 0;
  });
}

function resolvePicks(v: unknown, pools: Map<string, string[]>): unknown {
  if (isPick(v)) {
    const pool = v[PICK] === '*' ? [...pools.values()].flat() : pools.get(v[PICK]) ?? [];
    return pool.length ? pool[v.n % pool.length] : '0190a6e0-0000-7000-8000-000000000000';
  }
  if (Array.isArray(v)) return v.map((x) => resolvePicks(x, pools));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolvePicks(x, pools)]));
  return v;
}

export interface FuzzSetup {
  app: FastifyInstance;
  db: Kysely<DB>;
  callers: [Caller, Caller, Caller];
  /** The desk's ids to start from, by pool (the collection names of the API). */
  pools: Map<string, string[]>;
  seed: number;
  runs: number;
  /** Stop early when the budget is spent (CI bound). */
  budgetMs?: number;
  onProgress?: (r: FuzzResult) => void;
  /** Moves the desk's clock on before each request, so an update shows in max(updated_at). */
  tick?: () => void;
}

/** A short description of a failing request, enough to replay it. */
function describeCase(op: Operation, url: string, m: Mutation, payload: unknown): string {
  let text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? `<bytes ${payload.toString('hex')}>` : JSON.stringify(payload);
  if (text && text.length > 300) text = `${text.slice(0, 300)}… (${text.length} chars)`;
  return `${op.method} ${url} [${m.kind}] ${text ?? ''}`;
}

export async function runFuzz(s: FuzzSetup): Promise<FuzzResult> {
  const { ops, doc } = await writeOperations(s.app);
  const resolve = (ref: string): JsonSchema => {
    const name = ref.replace('#/components/schemas/', '');
    const found = doc.components?.schemas?.[name];
    if (!found) throw new Error(`unresolved ${ref}`);
    return found;
  };
  const bodyArbs = ops.map((op) => (op.body ? schemaArb(op.body, { resolve }) : fc.constant(undefined)));
  const caseArb: fc.Arbitrary<FuzzCase> = fc.nat({ max: ops.length - 1 }).chain((i) =>
    fc.record({
      op: fc.constant(i),
      body: bodyArbs[i]!,
      mutation: mutationArb,
      params: fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
      caller: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.constant(1) }, { weight: 2, arbitrary: fc.constant(2) }),
    }));
  // Generated up front from the seed; ids are resolved against the pools as they grow.
  const cases = fc.sample(caseArb, { seed: s.seed, numRuns: s.runs });

  const result: FuzzResult = { tried: 0, byStatus: {}, accepted: 0, failures: [] };
  const started = Date.now();
  let before = await fingerprint(s.db);
  for (const c of cases) {
    if (s.budgetMs !== undefined && Date.now() - started > s.budgetMs) break;
    const op = ops[c.op]!;
    let k = 0;
    const url = op.path.replace(/\{[^}]+\}/g, () => {
      const pool = s.pools.get(op.params[k] ?? '*') ?? [];
      const n = c.params[k++] ?? 0;
      // One in ten: an id of another kind or none at all.
      if (n % 10 === 9) return BAD_PATH_IDS[Math.floor(n / 10) % BAD_PATH_IDS.length]!;
      return pool.length ? pool[n % pool.length]! : '0190a6e0-0000-7000-8000-000000000000';
    });
    const resolved = resolvePicks(c.body, s.pools);
    const m = mutate(structuredClone(resolved), c.mutation);
    const caller = s.callers[c.caller]!;
    const payload = m.raw ?? (m.body === undefined ? undefined : JSON.stringify(m.body));
    s.tick?.();
    const res = await s.app.inject({
      method: op.method as 'POST',
      url,
      headers: { ...caller.headers, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(payload !== undefined ? { payload } : {}),
    });
    result.tried += 1;
    result.byStatus[res.statusCode] = (result.byStatus[res.statusCode] ?? 0) + 1;
    const what = () => describeCase(op, url, c.mutation, payload);
    if (process.env.FUZZ_DEBUG && res.statusCode === Number(process.env.FUZZ_DEBUG)) console.log(what(), res.body.slice(0, 200));
    if (res.statusCode >= 500) result.failures.push(`${res.statusCode} ${what()} → ${res.body.slice(0, 300)}`);
    if (res.statusCode >= 400) {
      let parsed: unknown;
      try {
        parsed = res.json();
      } catch {
        parsed = null;
      }
      if (!isErrorBody(parsed)) result.failures.push(`error not in the documented shape: ${res.statusCode} ${what()} → ${res.body.slice(0, 300)}`);
      const after = await fingerprint(s.db);
      if (after !== before) result.failures.push(`refused (${res.statusCode}) but rows changed: ${what()}: ${diffFingerprint(before, after)}`);
      before = after;
    } else {
      result.accepted += 1;
      // A route without a body ignores one (nothing of it is kept).
      if (op.body && m.applied && MUST_REFUSE.has(c.mutation.kind)) result.failures.push(`silently accepted (${res.statusCode}): ${what()}`);
      learnIds(s.pools, op, res.body);
      before = await fingerprint(s.db);
    }
    if (result.tried % 200 === 0) s.onProgress?.(result);
  }
  return result;
}

/** A created record's id joins the pool of its collection, so later requests can touch it. */
function learnIds(pools: Map<string, string[]>, op: Operation, body: string): void {
  if (op.method !== 'POST') return;
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    return;
  }
  const m = /^\/api\/v1\/([a-z-]+)$/.exec(op.path);
  const id = (v as { id?: unknown; series?: { id?: unknown } } | null)?.id ?? (v as { series?: { id?: unknown } } | null)?.series?.id;
  if (m && typeof id === 'string') {
    const list = pools.get(m[1]!) ?? [];
    list.push(id);
    pools.set(m[1]!, list);
  }
}
