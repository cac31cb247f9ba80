/**
 * The plan of a `hoshu contract import`: every row's references checked against the
 * database and the file together (nothing is written while any row is wrong), then
 * applied in dependency order — clients, contacts, systems, contracts — through the
 * services, each row created, updated, or left alone when it already says the same.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { createServices } from '../http/services.ts';
import { SYSTEM_ACTOR } from '../modules/auth/actor.ts';
import { KINDS, text, type Kind, type RowError, type SourceRow } from './contract-records.ts';

export interface PlanRow extends SourceRow {
  kind: Kind;
  /** The row's own fields, as the API's create schema parsed them (placeholder client id). */
  fields: Record<string, unknown>;
  refs: { systems: string[]; deputies: string[]; engineers: string[] };
}
export interface Counts { created: number; updated: number; unchanged: number }
export interface Plan {
  errors: RowError[];
  steps: PlanRow[];
  apply(o: { dryRun: boolean; onStep?: (done: number) => void }): Promise<Counts>;
}

const lower = (s: string) => s.trim().toLowerCase();
const k = (...parts: string[]) => parts.join('\u0000');
const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

export async function planImport(db: Kysely<DB>, rows: PlanRow[]): Promise<Plan> {
  const s = createServices({ db, clock: Date.now });
  const A = SYSTEM_ACTOR;
  const [clients, contacts, systems, contracts] = [await s.clients.list(A), await s.contacts.list(A), await s.systems.list(A), await s.contracts.list(A)];
  const calendars = new Map((await db.selectFrom('calendars').select(['id', 'name']).execute()).map((c) => [c.name, c.id]));
  const policies = new Map((await db.selectFrom('slaPolicies').select(['id', 'name']).execute()).map((c) => [c.name, c.id]));
  const staff = new Map((await db.selectFrom('users').select(['id', 'email']).where('role', 'in', ['admin', 'agent']).execute()).map((u) => [lower(u.email), u.id]));
  const clientName = new Map(clients.map((c) => [c.id, c.name]));
  const contactKey = (c: { email: string | null; name: string }) => (c.email ? lower(c.email) : c.name);

  const clientOf = (r: PlanRow) => (r.kind === 'client' ? String(r.fields.name) : text(r.values.client));
  const naturalOf = (r: PlanRow) => (r.kind === 'contact' ? contactKey({ email: (r.fields.email as string | null) ?? null, name: String(r.fields.name) }) : String(r.fields.name));
  const inFile = (kind: Kind, client: string) => new Set(rows.filter((r) => r.kind === kind && clientOf(r) === client).map(naturalOf));
  const known = {
    client: new Set([...clients.map((c) => c.name), ...rows.filter((r) => r.kind === 'client').map(clientOf)]),
    contact: (client: string) => new Set([...contacts.filter((c) => clientName.get(c.clientId) === client).map(contactKey), ...inFile('contact', client)]),
    system: (client: string) => new Set([...systems.filter((x) => clientName.get(x.clientId) === client).map((x) => x.name), ...inFile('system', client)]),
  };

  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  for (const r of rows) {
    const client = clientOf(r);
    if (r.kind !== 'client' && !known.client.has(client)) errors.push({ at: r.at, key: 'cli.transfer.noSuchClient', params: { client } });
    const key = k(r.kind, client, naturalOf(r));
    const first = seen.get(key);
    if (first !== undefined) errors.push({ at: r.at, key: 'cli.transfer.duplicate', params: { kind: r.kind, name: naturalOf(r), line: first } });
    else seen.set(key, r.at);
    if (r.kind !== 'contract') continue;
    const v = r.values;
    if (text(v.calendar) && !calendars.has(text(v.calendar))) errors.push({ at: r.at, key: 'cli.transfer.noSuchCalendar', params: { name: text(v.calendar) } });
    if (text(v.sla_policy) && !policies.has(text(v.sla_policy))) errors.push({ at: r.at, key: 'cli.transfer.noSuchPolicy', params: { name: text(v.sla_policy) } });
    const sys = known.system(client);
    for (const n of r.refs.systems) if (!sys.has(n)) errors.push({ at: r.at, key: 'cli.transfer.noSuchSystem', params: { name: n, client } });
    const people = known.contact(client);
    for (const n of [text(v.primary_contact), ...r.refs.deputies].filter(Boolean)) {
      if (!people.has(n.includes('@') ? lower(n) : n)) errors.push({ at: r.at, key: 'cli.transfer.noSuchContact', params: { name: n, client } });
    }
    for (const e of r.refs.engineers) if (!staff.has(lower(e))) errors.push({ at: r.at, key: 'cli.transfer.noSuchEngineer', params: { email: e } });
  }

  const steps = [...rows].sort((a, b) => KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind));
  return {
    errors,
    steps,
    async apply({ dryRun, onStep }) {
      const counts: Counts = { created: 0, updated: 0, unchanged: 0 };
      const clientIds = new Map(clients.map((c) => [c.name, c.id]));
      const contactIds = new Map(contacts.map((c) => [k(c.clientId, contactKey(c)), c.id]));
      const systemIds = new Map(systems.map((x) => [k(x.clientId, x.name), x.id]));
      let fresh = 0;
      const newId = () => `00000000-0000-4000-8000-${String(++fresh).padStart(12, '0')}`;
      const byId = <T extends { id: string }>(list: T[], r: PlanRow) => list.find((x) => x.id === text(r.values.id));
      const outcome = async (existing: object | undefined, desired: Record<string, unknown>, create: () => Promise<{ id: string }>, update: (id: string) => Promise<unknown>) => {
        if (!existing) {
          counts.created += 1;
          return dryRun ? newId() : (await create()).id;
        }
        const e = existing as Record<string, unknown> & { id: string };
        const differs = Object.entries(desired).some(([f, v]) => (Array.isArray(v) ? !sameSet(v as string[], (e[f] as string[]) ?? []) : JSON.stringify(v ?? null) !== JSON.stringify(e[f] ?? null)));
        if (!differs) counts.unchanged += 1;
        else {
          counts.updated += 1;
          if (!dryRun) await update(e.id);
        }
        return e.id;
      };
      let done = 0;
      for (const r of steps) {
        const f = r.fields;
        if (r.kind === 'client') {
          const desired = { name: f.name, nameKana: f.nameKana ?? null, notes: f.notes ?? '' };
          const existing = byId(clients, r) ?? clients.find((c) => c.name === f.name);
          clientIds.set(String(f.name), await outcome(existing, desired, () => s.clients.create(A, desired as never), (id) => s.clients.update(A, id, desired as never)));
        } else {
          const clientId = clientIds.get(text(r.values.client))!;
          if (r.kind === 'contact') {
            const desired = { name: f.name, email: f.email ?? null, phone: f.phone ?? null };
            const key = k(clientId, contactKey({ email: (f.email as string | null) ?? null, name: String(f.name) }));
            const existing = byId(contacts, r) ?? contacts.find((c) => contactIds.get(key) === c.id);
            contactIds.set(key, await outcome(existing, desired, () => s.contacts.create(A, { clientId, ...desired } as never), (id) => s.contacts.update(A, id, desired as never)));
          } else if (r.kind === 'system') {
            const desired = { name: f.name, description: f.description ?? '' };
            const existing = byId(systems, r) ?? systems.find((x) => systemIds.get(k(clientId, String(f.name))) === x.id);
            systemIds.set(k(clientId, String(f.name)), await outcome(existing, desired, () => s.systems.create(A, { clientId, ...desired } as never), (id) => s.systems.update(A, id, desired as never)));
          } else {
            const v = r.values;
            const contactId = (n: string) => contactIds.get(k(clientId, n.includes('@') ? lower(n) : n))!;
            const desired: Record<string, unknown> = {
              name: f.name, startsOn: f.startsOn, endsOn: f.endsOn ?? null, contractedUsers: f.contractedUsers ?? null,
              backupWindow: f.backupWindow ?? null, contactEmail: f.contactEmail ?? null, contactPhone: f.contactPhone ?? null,
              inScopeNotes: f.inScopeNotes ?? '', outOfScopeNotes: f.outOfScopeNotes ?? '', notes: f.notes ?? '',
              systemIds: r.refs.systems.map((n) => systemIds.get(k(clientId, n))!),
              primaryContactId: text(v.primary_contact) ? contactId(text(v.primary_contact)) : null,
              deputyContactIds: r.refs.deputies.map(contactId),
              engineerIds: r.refs.engineers.map((e) => staff.get(lower(e))!),
              ...(text(v.calendar) ? { calendarId: calendars.get(text(v.calendar)) } : {}),
              ...(text(v.sla_policy) ? { slaPolicyId: policies.get(text(v.sla_policy)) } : {}),
              ...(f.slaPolicyVersion !== undefined ? { slaPolicyVersion: f.slaPolicyVersion } : {}),
            };
            const existing = byId(contracts, r) ?? contracts.find((c) => c.clientId === clientId && c.name === f.name);
            await outcome(existing, desired, () => s.contracts.create(A, { clientId, ...desired } as never), (id) => s.contracts.update(A, id, desired as never));
          }
        }
        onStep?.(++done);
      }
      return counts;
    },
  };
}
