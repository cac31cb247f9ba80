/**
 * The bulk filing path (incidents.createMany, used to seed a million open incidents for
 * the timers bench) writes the same rows as one create: incident, targets, timer jobs,
 * timeline entry, audit entry and stored list item (incident_list_items: body, clocks, live,
 * format), compared column by column with ids and numbers replaced by their role; and
 * `GET /incidents` serves the bulk-filed incidents from their stored items.
 */
import { describe, expect, it } from 'vitest';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { call, fixedClock, makeApp } from './helpers.ts';
import { buildWorld } from './world.ts';
import { createServices } from '../../src/http/services.ts';
import type { Actor } from '../../src/modules/auth/actor.ts';
import { LIST_ITEM_FORMAT, renderListItem } from '../../src/modules/incidents/incident.list-items.ts';

const T0 = Date.parse('2026-04-01T10:00:00+09:00');

for (const dialect of testDialects) {
  describe(`incidents.createMany (${dialect})`, () => {
    const t = useTestDb(dialect);

    it('a bulk-filed incident has the rows of a normally filed one', async () => {
      const clock = fixedClock(T0);
      const w = await buildWorld(t.db, clock);
      const s = createServices({ db: t.db, clock });
      const actor: Actor = { userId: w.agent.userId!, role: 'agent', clientId: null };
      const inputs = [
        { contractId: w.a.contractId, systemId: w.a.systemId, title: ' 受注画面が開かない ', description: '朝から', channel: 'phone' as const, category: 'outage' as const, priority: 'urgent' as const, receivedAt: T0 - 120_000 },
        { contractId: w.b.contractId, title: 'メールが届かない', channel: 'email' as const },
        { contractId: w.a.contractId, title: 'monitor: down', channel: 'monitoring' as const, priority: 'important' as const },
      ];
      for (const input of inputs) {
        const single = await s.incidents.create(actor, input);
        const [bulkId] = await s.incidents.createMany(actor, [input]);
        const a = await rowsOf(single.id);
        const b = await rowsOf(bulkId!);
        expect(b.incident.number).toBe(a.incident.number + 1);
        expect(strip(b, bulkId!)).toEqual(strip(a, single.id));
        expect(a.targets.length).toBeGreaterThan(0);
        expect(a.jobs.length).toBeGreaterThan(0);
        // Byte for byte the item a normal create stores (only the id and number differ, as above).
        expect(b.listItem.body.split(bulkId!).join('<incident>').replace(/"number":\d+/, '')).toBe(a.listItem.body.split(single.id).join('<incident>').replace(/"number":\d+/, ''));
        expect(a.listItem).toMatchObject({ live: 0, format: LIST_ITEM_FORMAT });
        expect(a.listItem.clocks).not.toBeNull();
      }
      // Many at once: numbered in order, every one with its targets and timers.
      const many = await s.incidents.createMany(actor, Array.from({ length: 1200 }, (_, i) => ({ contractId: w.a.contractId, title: `open ${i}`, channel: 'phone' as const })));
      expect(many).toHaveLength(1200);
      const nums = await t.db.selectFrom('incidents').select('number').where('id', 'in', many.slice(0, 3)).orderBy('number').execute();
      expect(nums.map((r) => Number(r.number))).toEqual([nums[0]!.number, Number(nums[0]!.number) + 1, Number(nums[0]!.number) + 2].map(Number));
      const jobs = await t.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('dedupeKey', 'like', `sla:${many[1199]}:%`).executeTakeFirstOrThrow();
      expect(Number(jobs.n)).toBe((await rowsOf(many[0]!)).jobs.length);

      // The list serves every bulk-filed incident from its stored item. The app checks each
      // answer from the stored items against the presenter's (checkResponses); here each
      // item is also the stored row rendered alone, so none was presented the old way.
      const bulk = new Set(many);
      const app = await makeApp(t.db, clock);
      try {
        const items = new Map((await t.db.selectFrom('incidentListItems').selectAll().where('incidentId', 'in', many).execute()).map((r) => [r.incidentId, r]));
        let before: number | null = null;
        let seen = 0;
        do {
          const r = await call(app, w.agent, { method: 'GET', url: `/api/v1/incidents?limit=200${before === null ? '' : `&before=${before}`}` });
          expect(r.statusCode, r.body.slice(0, 500)).toBe(200);
          const page = r.json() as { items: Array<{ id: string }>; nextBefore: number | null };
          for (const i of page.items) {
            if (!bulk.has(i.id)) continue;
            const stored = items.get(i.id)!;
            expect(stored).toMatchObject({ live: 0, format: LIST_ITEM_FORMAT });
            expect(renderListItem(stored.body, stored.clocks, clock()).json).toBe(JSON.stringify(i));
            seen++;
          }
          before = page.nextBefore;
        } while (before !== null);
        expect(seen).toBe(many.length);
        // And the stored item is what goes out: a marked body shows in the answer.
        await t.db.updateTable('incidentListItems').set({ body: items.get(many[1199]!)!.body.replace('"title":"open 1199"', '"title":"from the stored item"') }).where('incidentId', '=', many[1199]!).execute();
        const fresh = createServices({ db: t.db, clock });
        const page = await fresh.incidents.listRenderedStored(actor, { limit: 1 }, 'bulk-test', (texts) => texts);
        expect(JSON.parse(page[0]!)).toMatchObject({ id: many[1199], title: 'from the stored item' });
      } finally {
        await app.close();
      }
    });

    async function rowsOf(id: string) {
      const incident = await t.db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      const targets = await t.db.selectFrom('incidentTargets').selectAll().where('incidentId', '=', id).orderBy('kind').execute();
      const jobs = await t.db.selectFrom('jobs').selectAll().where('dedupeKey', 'like', `sla:${id}:%`).orderBy('dedupeKey').execute();
      const events = await t.db.selectFrom('incidentEvents').selectAll().where('incidentId', '=', id).execute();
      const audit = await t.db.selectFrom('auditLog').selectAll().where('entityId', '=', id).execute();
      const listItem = await t.db.selectFrom('incidentListItems').select(['incidentId', 'body', 'clocks', 'live', 'format']).where('incidentId', '=', id).executeTakeFirstOrThrow();
      return { incident, targets, jobs, events, audit, listItem };
    }

    /** The rows with ids, numbers and the incident's id (inside keys and payloads) replaced by placeholders. */
    function strip(r: Awaited<ReturnType<typeof rowsOf>>, id: string): unknown {
      // A target's copy of its incident's number (kept by a trigger for the report) is a number too.
      const text = JSON.stringify(r, (k, v: unknown) => (k === 'id' || k === 'number' || k === 'incidentNumber' ? '<id>' : typeof v === 'bigint' ? Number(v) : v));
      return JSON.parse(text.split(id).join('<incident>').replace(/\\"number\\":\d+/g, '\\"number\\":0'));
    }
  });
}
