/**
 * Each incident's list item stored ready to send (issue 15): a page that misses the list
 * cache reads its items' stored JSON and joins it, instead of mapping ~1,600 values,
 * presenting and serialising them per request. The write path keeps the stored item
 * exact in the unit that changes the incident (incident.writes.ts; the create and the bulk
 * filing, every command, assignment, edits, messages and attachments, the calendar
 * re-derivation).
 *
 * What changes with "now" without a write is not stored as such:
 * - the state of a running target (ok → atRisk → breached) is cut out of the JSON (a raw
 *   U+0001, which JSON text never contains) and derived at read time from the warning
 *   and breach instants kept beside it, exactly as presentTarget derives it;
 * - a stopped clock's deadline moves with "now" (presentTarget re-derives it on the
 *   calendar): such an item is `live` and presented at read time the old way, as is an
 *   incident whose item is missing or of an older `LIST_ITEM_FORMAT`.
 */
import { fromFlag } from '../../db/tx.ts';
import type { Incident } from './incident.model.ts';
import { presentIncident } from './incident.presenter.ts';
import type { ListItemRow } from './incident.list-items.repository.ts';
import type { PauseRow, TargetRow } from './incident.repository.ts';

/**
 * The layout of the stored items: bump it when what a list item shows changes
 * (presentIncident, toIncident, presentTarget). Items of another format are presented at
 * read time until the desk next opens its database (rebuildListItems).
 */
export const LIST_ITEM_FORMAT = 1;

const SLOT = '\u0001';
/** Only the targets' key: any `"` inside a string value is escaped, so this never matches text. */
const STATE_KEY = '"state":"';

export type StoredListItem = Pick<ListItemRow, 'body' | 'clocks' | 'live'>;

const LIVE: StoredListItem = { body: '', clocks: null, live: 1 };

/** A stopped clock whose deadline moves with "now" (the `paused` of presentTarget), from the rows. */
export function hasLiveDeadline(
  targets: readonly Pick<TargetRow, 'pausable' | 'metAt' | 'clockStart'>[], pauses: readonly Pick<PauseRow, 'endedAt'>[],
): boolean {
  return pauses.some((p) => p.endedAt === null) && targets.some((t) => fromFlag(t.pausable) && t.metAt === null && t.clockStart !== null);
}

export const liveListItem = (): StoredListItem => LIVE;

/** The stored form of an incident as toIncident made it (at any "now": what depends on it is cut out). */
export function storedListItem(i: Incident): StoredListItem {
  if (i.targets.some((t) => t.paused)) return LIVE;
  const json = JSON.stringify(presentIncident(i));
  const running = i.targets.map((t) => t.clockStart !== null && t.metAt === null);
  if (!running.includes(true)) return { body: json, clocks: null, live: 0 };
  let body = '';
  let from = 0;
  let k = 0;
  const clocks: string[] = [];
  for (let at = json.indexOf(STATE_KEY); at !== -1; at = json.indexOf(STATE_KEY, at + 1), k++) {
    if (!running[k]) continue;
    const start = at + STATE_KEY.length;
    body += json.slice(from, start) + SLOT;
    from = json.indexOf('"', start);
    const t = i.targets[k]!;
    clocks.push(`${t.atRiskAt ?? ''},${t.dueAt ?? ''}`);
  }
  if (k !== i.targets.length) throw new Error(`incident ${i.id}: ${k} target states in its JSON for ${i.targets.length} targets`);
  return { body: body + json.slice(from), clocks: clocks.join(';'), live: 0 };
}

/** A stored item's JSON at `now`, and the first instant from which it would read differently. */
export function renderListItem(body: string, clocks: string | null, now: number): { json: string; until: number } {
  if (clocks === null) return { json: body, until: Infinity };
  const parts = body.split(SLOT);
  const slots = clocks.split(';');
  let json = parts[0]!;
  let until = Infinity;
  for (let k = 0; k < slots.length; k++) {
    const c = slots[k]!;
    const comma = c.indexOf(',');
    const atRisk = comma > 0 ? Number(c.slice(0, comma)) : null;
    const due = comma < c.length - 1 ? Number(c.slice(comma + 1)) : null;
    // As presentTarget: breached after the deadline, at risk from the warning instant.
    const state = due !== null && now > due ? 'breached' : atRisk !== null && now >= atRisk ? 'atRisk' : 'ok';
    if (atRisk !== null && atRisk > now) until = Math.min(until, atRisk);
    if (due !== null && due + 1 > now) until = Math.min(until, due + 1);
    json += state + parts[k + 1]!;
  }
  return { json, until };
}

/**
 * A page's items as JSON text in the order of `ids`, from the stored items; the incidents
 * without a usable one (live, missing, another format) are presented by `present`.
 */
export async function materializePage(
  stored: readonly ListItemRow[], ids: readonly string[], now: number,
  present: (ids: string[]) => Promise<{ items: Map<string, string>; until: number }>,
): Promise<{ items: string[]; until: number }> {
  const byId = new Map<string, ListItemRow>();
  for (const s of stored) if (s.live === 0 && s.format === LIST_ITEM_FORMAT) byId.set(s.incidentId, s);
  const missing = ids.filter((id) => !byId.has(id));
  const presented = missing.length ? await present(missing) : { items: new Map<string, string>(), until: Infinity };
  let until = presented.until;
  const items: string[] = [];
  for (const id of ids) {
    const s = byId.get(id);
    // Not presented either: gone since the page's keys were read.
    if (!s) {
      const p = presented.items.get(id);
      if (p !== undefined) items.push(p);
      continue;
    }
    const r = renderListItem(s.body, s.clocks, now);
    if (r.until < until) until = r.until;
    items.push(r.json);
  }
  return { items, until };
}

/** The list's answer as JSON text, byte for byte what JSON.stringify gives for `{ items, nextBefore }`. */
export const listJson = (items: readonly string[], nextCursor: string | null, nextBefore: number | null): string =>
  `{"items":[${items.join(',')}],"nextCursor":${nextCursor === null ? 'null' : JSON.stringify(nextCursor)},"nextBefore":${nextBefore === null ? 'null' : String(nextBefore)}}`;
