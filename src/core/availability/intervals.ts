/**
 * Half-open intervals [start, end) of epoch milliseconds, and the algebra that
 * availability needs: normalize, union, intersect, subtract, clip, total length.
 *
 * A *normalized* list is sorted by start, has no empty intervals, and no two of
 * its intervals overlap or touch ([1,2) and [2,3) become [1,3)). Every function
 * here returns a normalized list; every function except `normalize` expects its
 * list arguments normalized and runs in one linear sweep over them (O(n + m)),
 * so monthly figures over a million check results stay a handful of passes.
 * Inputs are never mutated.
 */

/** [start, end) in epoch ms; empty when end <= start. */
export type Interval = readonly [start: number, end: number];

/**
 * Sorts, drops empty intervals, merges overlapping and touching ones. The one
 * O(n log n) step; skips the sort when the input is already in order (the usual
 * case for data that comes from a sweep or a time-ordered query).
 */
export function normalize(list: readonly Interval[]): Interval[] {
  let sorted = true;
  for (let i = 1; i < list.length; i++) {
    if (list[i]![0] < list[i - 1]![0]) {
      sorted = false;
      break;
    }
  }
  const input = sorted ? list : [...list].sort((x, y) => x[0] - y[0]);
  const out: Interval[] = [];
  let curStart = 0;
  let curEnd = 0;
  let open = false;
  for (const [s, e] of input) {
    if (!(e > s)) continue;
    if (open && s <= curEnd) {
      if (e > curEnd) curEnd = e;
      continue;
    }
    if (open) out.push([curStart, curEnd]);
    curStart = s;
    curEnd = e;
    open = true;
  }
  if (open) out.push([curStart, curEnd]);
  return out;
}

/** True when the list is normalized (sorted, non-empty, neither overlapping nor touching). */
export function isNormalized(list: readonly Interval[]): boolean {
  for (let i = 0; i < list.length; i++) {
    const [s, e] = list[i]!;
    if (!(e > s)) return false;
    if (i > 0 && s <= list[i - 1]![1]) return false;
  }
  return true;
}

/** a ∪ b, by a merge of the two sorted lists. */
export function union(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  if (a.length === 0) return b.slice();
  if (b.length === 0) return a.slice();
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  let curStart = 0;
  let curEnd = 0;
  let open = false;
  while (i < a.length || j < b.length) {
    // Take whichever list's next interval starts first.
    const next = j >= b.length || (i < a.length && a[i]![0] <= b[j]![0]) ? a[i++]! : b[j++]!;
    if (open && next[0] <= curEnd) {
      if (next[1] > curEnd) curEnd = next[1];
      continue;
    }
    if (open) out.push([curStart, curEnd]);
    curStart = next[0];
    curEnd = next[1];
    open = true;
  }
  if (open) out.push([curStart, curEnd]);
  return out;
}

/** Union of any number of normalized lists. */
export function unionAll(lists: readonly (readonly Interval[])[]): Interval[] {
  let out: Interval[] = [];
  for (const list of lists) out = union(out, list);
  return out;
}

/** a ∩ b. */
export function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [as, ae] = a[i]!;
    const [bs, be] = b[j]!;
    const s = as > bs ? as : bs;
    const e = ae < be ? ae : be;
    if (e > s) out.push([s, e]);
    // The one that ends first cannot meet anything later in the other list.
    if (ae < be) i++;
    else j++;
  }
  return out;
}

/** a − b: the parts of a not covered by b. */
export function subtract(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  if (b.length === 0) return a.slice();
  const out: Interval[] = [];
  let j = 0;
  for (const [as, ae] of a) {
    let s = as;
    // Intervals of b that end at or before s are behind us for every later interval of a too.
    while (j < b.length && b[j]![1] <= s) j++;
    let k = j;
    while (k < b.length && b[k]![0] < ae) {
      const [bs, be] = b[k]!;
      if (bs > s) out.push([s, bs]);
      if (be >= ae) {
        s = ae;
        break;
      }
      s = be;
      k++;
    }
    if (ae > s) out.push([s, ae]);
  }
  return out;
}

/** The parts of the list inside [from, to). */
export function clip(list: readonly Interval[], from: number, to: number): Interval[] {
  const out: Interval[] = [];
  if (!(to > from)) return out;
  for (const [s, e] of list) {
    if (e <= from) continue;
    if (s >= to) break;
    out.push([s > from ? s : from, e < to ? e : to]);
  }
  return out;
}

/** [from, to) − list: the gaps of the list inside a range. */
export function complement(list: readonly Interval[], from: number, to: number): Interval[] {
  return to > from ? subtract([[from, to]], list) : [];
}

/** Sum of the lengths, in ms. */
export function totalLength(list: readonly Interval[]): number {
  let sum = 0;
  for (const [s, e] of list) if (e > s) sum += e - s;
  return sum;
}
