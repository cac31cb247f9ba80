/**
 * The settled split of a month's report (core: SettledMonth): the queries over the incident
 * facts copied onto each target, and the split they give — the incidents to read whole
 * (report.repository.ts reads them) and the counted rest. docs/design/reports.md, "Settled
 * incidents counted in the database".
 */
import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { REPORT_CATEGORIES, REPORT_PRIORITIES, REPORT_TARGET_KINDS, type SettledFacts, type SettledMonth } from '../../core/report/compute.ts';
import { STATUSES } from '../../contract/vocabulary.ts';
import type { Executor } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';

/**
 * The month split for counting (core: SettledMonth), read from the incident facts that
 * triggers copy onto each target (migration 202612070900) through one covering index, and
 * from the incidents received in the month. The process reads whole an incident that is out
 * of scope and received in the month, of a priority, category or target kind the report does
 * not know, or that has a started target neither met on time within the month (`fast`) nor
 * settled before it (`quiet`); the rest it only counts. No comparison here is ever NULL: a
 * target with a missing instant is never taken for settled.
 */
export function settledQueries(contractId: string, from: number, to: number, asOf: number, o: { facts?: boolean } = {}) {
  // The month's incidents (monthQueries), by the copies on the target.
  const inMonth = sql`t.incident_contract_id = ${contractId} and t.incident_received_at < ${to} and (t.incident_resolved_at is null or t.incident_resolved_at >= ${from})`;
  const fast = sql`(t.due_at is not null and t.met_at is not null and t.met_at <= ${asOf} and t.met_at <= t.due_at and t.met_at >= ${from} and t.met_at < ${to})`;
  // Ended before the month: met by asOf, and its end (met, or due when late) before `from`; a target ends at or before it is met.
  const quiet = sql`(t.met_at is not null and t.met_at <= ${asOf} and (t.met_at < ${from} or (t.due_at is not null and t.met_at > t.due_at and t.due_at < ${from})))`;
  return {
    // One row per started target of the month's in-scope incidents that did not end before it: a target met on time
    // in the month with a policy version under 16, as one integer (number × 256 + version × 16 + kind × 4 + priority;
    // a kind or priority the report does not know comes as 3, and monthSplit reads its incident whole); any other as
    // −1 − its incident's number: read whole. Under 2³¹ (numbers up to 8 million) the JSON gives each as a small
    // integer. The unknown words are left to the process: two `in` lists per row cost SQLite a quarter of this scan.
    // The condition on met_at follows from `not quiet` (a target met before both the month and asOf is quiet); it lets
    // the index skip the past.
    targets: sql<{ code: number }>`select case when ${fast} and t.incident_policy_version >= 0 and t.incident_policy_version < 16
          then cast(t.incident_number as bigint) * 256 + t.incident_policy_version * 16 + ${codeOf(sql`t.kind`, REPORT_TARGET_KINDS)} * 4
            + ${codeOf(sql`t.incident_priority`, REPORT_PRIORITIES)}
          else -1 - cast(t.incident_number as bigint) end as code
      from incident_targets t
      where ${inMonth} and (t.met_at is null or t.met_at >= ${Math.min(from, asOf + 1)}) and t.incident_in_scope = 1 and t.clock_start is not null
        and not ${quiet}`,
    // One integer per row where a row is a number and a few words: the month's 100,000 incidents and 160,000 met
    // targets come through the driver as one value (or three) each, not as arrays of strings (docs/benchmarks.md).
    // The instants as offsets (from the month's start, then from receipt): small integers for the driver as well.
    received: sql<{ code: number; sinceFrom: number; lag: number | null }>`select
        cast(i.number as bigint) * 64 + (case when i.in_scope = 1 then 32 else 0 end)
          + ${codeOf(sql`i.priority`, REPORT_PRIORITIES)} * 8 + ${codeOf(sql`i.category`, REPORT_CATEGORIES)} as code,
        i.received_at - ${from} as "sinceFrom", i.recognized_at - i.received_at as "lag"${o.facts
          // The row's facts: the title, and one integer (policy version × 16 + status × 2 + billable).
          ? sql`, i.title, cast(i.sla_policy_version as bigint) * 16 + ${codeOf(sql`i.status`, STATUSES)} * 2 + (case when i.billable = 1 then 1 else 0 end) as "facts"`
          : sql``}
      from incidents i where i.contract_id = ${contractId} and i.received_at >= ${from} and i.received_at < ${to} and (i.resolved_at is null or i.resolved_at >= ${from})`,
  };
}

// A target code keeps kind and priority in two bits each, an unknown word (the list's length) included.
if (REPORT_TARGET_KINDS.length > 3 || REPORT_PRIORITIES.length > 3) throw new Error('report.settled: target codes hold three kinds and three priorities');

/** A word's index in the report's vocabulary (the list's length for a word it does not know). */
function codeOf(column: RawBuilder<unknown>, words: readonly string[]): RawBuilder<number> {
  return sql<number>`(case ${column} ${sql.join(words.map((w, k) => sql`when ${sql.lit(w)} then ${sql.lit(k)}`), sql` `)} else ${sql.lit(words.length)} end)`;
}

/** The settled split of a month: the numbers to read whole (ascending) and the counted rest. */
export interface MonthSplit {
  whole: number[];
  settled: SettledMonth;
}

/**
 * Runs a query and hands back its result by column: one array per selected column, in
 * select order, the rows in the same order in each.
 */
export interface MonthReader {
  columns(query: RawBuilder<unknown>): Promise<unknown[][]>;
}

/**
 * A MonthReader on SQLite's own handle (inside `db.connection().execute`). SQLite folds each
 * column into one JSON array (json_group_array, every column in the same pass, so the rows
 * line up) and V8 parses it: better-sqlite3 makes a JS array per row through the engine's
 * API, ~1.2 µs a row, where the JSON costs a fraction of that and leaves flat arrays of
 * numbers instead of 100,000 small arrays for the GC (docs/benchmarks.md, "2026-12-06").
 */
export function rawMonthReader(db: Kysely<DB>, handle: BetterSqlite3.Database): MonthReader {
  return {
    columns: async (query) => {
      const c = query.compile(db.withoutPlugins());
      const names = handle.prepare(c.sql).columns().map((col) => `"${col.name.replaceAll('"', '""')}"`);
      const folded = handle.prepare(`select ${names.map((n) => `json_group_array(${n})`).join(', ')} from (${c.sql})`);
      return (folded.raw(true).get(...c.parameters) as string[]).map((text) => JSON.parse(text) as unknown[]);
    },
  };
}

/** A MonthReader through Kysely (PostgreSQL; the tests on both dialects). */
export function kyselyMonthReader(ex: Executor): MonthReader {
  const plain = ex.withoutPlugins();
  return {
    columns: async (query) => {
      const c = query.compile(plain);
      const result = await plain.executeQuery<Record<string, unknown>>(c);
      const names = Object.keys(result.rows[0] ?? {});
      return names.map((name) => result.rows.map((r) => r[name]));
    },
  };
}

/**
 * Reads the split (settledQueries) and moves the first `pad` settled incidents that the
 * month lists (by number) to the ones read whole, so the appendix — breaches, open and
 * out-of-scope first, then the others by number, at most `pad` — finds every row it shows.
 * With `facts` (the CSV, whose tables list every incident), the settled incidents received
 * in the month come with what their rows show (core SettledFacts), and those received before
 * it — listed for a target met in it — are read whole for their rows.
 */
export async function monthSplit(read: MonthReader, contractId: string, from: number, to: number, asOf: number, pad: number, o: { facts?: boolean } = {}): Promise<MonthSplit> {
  const q = settledQueries(contractId, from, to, asOf, o);
  const complex = new NumberSet();
  // Targets met on time in the month, as codes sorted number-major (so by incident); the others name an incident to read whole.
  const [targetCodes = []] = await read.columns(q.targets);
  const onTime = new Float64Array(targetCodes.length);
  let metCount = 0;
  for (const value of targetCodes) {
    const code = Number(value);
    if (code < 0) complex.add(-1 - code);
    // A kind or priority the report does not know (code 3): its cell is the core's to find.
    else if (((code >> 2) & 3) >= REPORT_TARGET_KINDS.length || (code & 3) >= REPORT_PRIORITIES.length) complex.add(Math.floor(code / 256));
    else onTime[metCount++] = code;
  }
  const met = byNumber(onTime.subarray(0, metCount));
  const metNumber = (k: number) => Math.floor(met[k]! / 256);
  // Received in the month and settled, straight into the core's columns (typed, written in place: no object per
  // incident, and no array growing by push for 100,000 of them). Out of scope, or of a priority or category the
  // report does not know → read whole, like those the targets named.
  const [codes = [], sinceFrom = [], lags = [], titles = [], packedFacts = []] = await read.columns(q.received);
  const size = codes.length;
  const rr = {
    number: new Float64Array(size), priority: new Uint8Array(size), category: new Uint8Array(size),
    receivedAt: new Float64Array(size), recognizedAt: new Float64Array(size),
  };
  const facts: SettledFacts | null = o.facts ? { title: [], status: [], billable: [], policyVersion: [] } : null;
  let count = 0;
  let ordered = true;
  for (let k = 0; k < size; k++) {
    const code = Number(codes[k]);
    const n = Math.floor(code / 64);
    // Bit operations see the low 32 bits of the code, which hold these fields exactly.
    if (!(code & 32) || ((code >> 3) & 3) >= REPORT_PRIORITIES.length || (code & 7) >= REPORT_CATEGORIES.length) {
      complex.add(n);
      continue;
    }
    // With facts, a status the report does not know → read whole as well.
    const packed = facts ? Number(packedFacts[k]) : 0;
    if (facts && (packed < 0 || ((packed >> 1) & 7) >= STATUSES.length)) {
      complex.add(n);
      continue;
    }
    if (complex.has(n)) continue;
    if (count > 0 && rr.number[count - 1]! > n) ordered = false;
    rr.number[count] = n;
    rr.priority[count] = (code >> 3) & 3;
    rr.category[count] = code & 7;
    const receivedAt = from + Number(sinceFrom[k]);
    const lag = lags[k];
    rr.receivedAt[count] = receivedAt;
    rr.recognizedAt[count] = lag === null ? NaN : receivedAt + Number(lag);
    count++;
    if (facts) {
      facts.title.push(String(titles[k]));
      facts.status.push(STATUSES[(packed >> 1) & 7]!);
      facts.billable.push((packed & 1) === 1);
      facts.policyVersion.push(Math.floor(packed / 16));
    }
  }
  // Usually in number order already (a contract's incidents come in the order they were filed).
  if (!ordered) inNumberOrder(rr, count, facts);
  // The first `pad` listed settled numbers, by number, are read whole too: every settled number up to the last taken.
  const padded: number[] = [];
  let a = 0;
  for (let b = 0; padded.length < pad && (a < count || b < met.length);) {
    if (b < met.length && complex.has(metNumber(b))) { b++; continue; }
    const n = Math.min(a < count ? rr.number[a]! : Infinity, b < met.length ? metNumber(b) : Infinity);
    padded.push(n);
    while (a < count && rr.number[a] === n) a++;
    while (b < met.length && metNumber(b) === n) b++;
  }
  const padUntil = padded.length ? padded[padded.length - 1]! : -Infinity;
  const received: SettledMonth['received'] = {
    number: rr.number.subarray(a, count), priority: rr.priority.subarray(a, count), category: rr.category.subarray(a, count),
    receivedAt: rr.receivedAt.subarray(a, count), recognizedAt: rr.recognizedAt.subarray(a, count),
  };
  if (facts) received.facts = { title: facts.title.slice(a), status: facts.status.slice(a), billable: facts.billable.slice(a), policyVersion: facts.policyVersion.slice(a) };
  // With facts: listed for a target met in the month but received before it, so no received row to write its CSV row from.
  const earlier = new NumberSet();
  const whole = [...complex, ...padded];
  if (facts) {
    const inMonth = new NumberSet();
    for (const n of received.number) inMonth.add(n);
    for (let k = 0; k < met.length; k++) {
      const n = metNumber(k);
      if (n > padUntil && !inMonth.has(n) && !complex.has(n) && !earlier.has(n)) {
        earlier.add(n);
        whole.push(n);
      }
    }
  }
  const m = { number: new Float64Array(met.length), kind: new Uint8Array(met.length), priority: new Uint8Array(met.length) };
  let metKept = 0;
  // Every on-time target's version, the whole-read ones' too (the core counts those in the same cells): by its low byte.
  const versions = new Uint8Array(256);
  for (let k = 0; k < met.length; k++) {
    const code = met[k]!;
    versions[code % 256] = 1;
    const n = metNumber(k);
    if (n <= padUntil || complex.has(n) || earlier.has(n)) continue;
    m.number[metKept] = n;
    m.kind[metKept] = (code >> 2) & 3;
    m.priority[metKept++] = code & 3;
  }
  const settled: SettledMonth = {
    received,
    met: { number: m.number.subarray(0, metKept), kind: m.kind.subarray(0, metKept), priority: m.priority.subarray(0, metKept) },
    metVersions: [],
  };
  for (let v = 0; v < 256; v++) {
    if (versions[v]) settled.metVersions.push({ kind: REPORT_TARGET_KINDS[(v >> 2) & 3]!, priority: REPORT_PRIORITIES[v & 3]!, policyVersion: v >> 4 });
  }
  return { whole: whole.sort((x, y) => x - y), settled };
}

/**
 * A set of incident numbers as one byte per number up to the largest: the split asks it
 * ~250,000 times for a big month, where a Set of numbers costs a hash lookup each. Numbers
 * from 2²⁴ on (a desk's 16 millionth incident) go to a Set, so the bytes never pass 16 MB.
 */
class NumberSet implements Iterable<number> {
  static readonly #BYTES_UP_TO = 1 << 24;
  #bytes = new Uint8Array(1024);
  readonly #far = new Set<number>();
  readonly #list: number[] = [];
  has(n: number): boolean {
    if (n >= NumberSet.#BYTES_UP_TO) return this.#far.has(n);
    return n < this.#bytes.length && this.#bytes[n] === 1;
  }
  add(n: number): void {
    if (n >= NumberSet.#BYTES_UP_TO) {
      if (!this.#far.has(n)) this.#list.push(n);
      this.#far.add(n);
      return;
    }
    if (n >= this.#bytes.length) {
      const grown = new Uint8Array(Math.min(NumberSet.#BYTES_UP_TO, Math.max(n + 1, this.#bytes.length * 2)));
      grown.set(this.#bytes);
      this.#bytes = grown;
    }
    if (this.#bytes[n] === 1) return;
    this.#bytes[n] = 1;
    this.#list.push(n);
  }
  [Symbol.iterator](): Iterator<number> {
    return this.#list[Symbol.iterator]();
  }
}

/**
 * Target codes (number × 256 + the rest) sorted by incident number, stably: a counting sort
 * over the month's range of numbers, where a typed array's own sort of 160,000 codes took
 * ~20 ms. A range far wider than the codes (numbers spread thinly) falls back to that sort.
 */
function byNumber(codes: Float64Array): Float64Array {
  if (codes.length < 2) return codes;
  let lo = Infinity;
  let hi = -Infinity;
  for (const c of codes) {
    const n = Math.floor(c / 256);
    if (n < lo) lo = n;
    if (n > hi) hi = n;
  }
  if (hi - lo > 4 * codes.length + 1024) return codes.sort();
  const starts = new Uint32Array(hi - lo + 2);
  for (const c of codes) starts[Math.floor(c / 256) - lo + 1]!++;
  for (let k = 1; k < starts.length; k++) starts[k]! += starts[k - 1]!;
  const sorted = new Float64Array(codes.length);
  for (const c of codes) sorted[starts[Math.floor(c / 256) - lo]!++] = c;
  return sorted;
}

/** Sorts the received columns (the first `count` rows) and their facts together by number. */
function inNumberOrder(rr: Omit<SettledMonth['received'], 'facts'>, count: number, facts: SettledFacts | null): void {
  const order = Array.from({ length: count }, (_, i) => i).sort((x, y) => rr.number[x]! - rr.number[y]!);
  const columns: Array<{ [k: number]: unknown }> = [rr.number, rr.priority, rr.category, rr.receivedAt, rr.recognizedAt, ...(facts ? Object.values(facts) as unknown[][] : [])];
  for (const column of columns) {
    const copy = order.map((i) => column[i]);
    for (let k = 0; k < count; k++) column[k] = copy[k];
  }
}
