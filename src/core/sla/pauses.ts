/** A paused interval [start, end) in epoch ms, e.g. waiting for the client. Close open pauses at "now". */
export type Pause = readonly [number, number];

/** Sorted, merged, non-empty pauses that end after `from`. Returns the input when already clean. */
export function normalizePauses(pauses: readonly Pause[] | undefined, from: number): readonly Pause[] {
  if (!pauses || pauses.length === 0) return EMPTY;
  const kept = pauses.filter(([s, e]) => e > s && e > from).map(([s, e]) => [Math.max(s, from), e] as const);
  kept.sort((x, y) => x[0] - y[0]);
  const out: Array<readonly [number, number]> = [];
  for (const p of kept) {
    const last = out[out.length - 1];
    if (last && p[0] <= last[1]) out[out.length - 1] = [last[0], Math.max(last[1], p[1])];
    else out.push(p);
  }
  return out;
}

const EMPTY: readonly Pause[] = [];
