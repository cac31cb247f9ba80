import { describe, expect, it } from 'vitest';
import { loadDemoData } from '../../src/seed/demo.ts';
import { createIncidentService } from '../../src/modules/incidents/incident.service.ts';
import { createContractService } from '../../src/modules/contracts/contract.service.ts';
import { createClientService } from '../../src/modules/clients/client.service.ts';
import { verifyPassword } from '../../src/modules/auth/auth.service.ts';
import { toActor } from '../../src/modules/auth/auth.service.ts';
import { STATUSES } from '../../src/contract/vocabulary.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';

const NOW = Date.parse('2026-06-10T11:00:00+09:00');

for (const dialect of testDialects) {
  describe(`demo data on ${dialect}`, () => {
    const t = useTestDb(dialect);

    it('gives 3 clients, 5 contracts, working credentials, and incidents in every status and SLA state', async () => {
      const creds = await loadDemoData(t.database, NOW);
      expect(creds.map((c) => c.role)).toEqual(['admin', 'agent', 'contact']);
      const agentRow = await verifyPassword(t.db, creds[1]!.email, creds[1]!.password);
      expect(agentRow?.role).toBe('agent');
      const agent = toActor(agentRow!);
      const deps = { db: t.db, clock: () => NOW };
      expect(await createClientService(deps).list(agent)).toHaveLength(3);
      expect(await createContractService(deps).list(agent)).toHaveLength(5);

      const incidents = createIncidentService(deps);
      const all = [];
      for (let before: number | undefined; ; ) {
        const page = await incidents.list(agent, { limit: 200, beforeNumber: before });
        all.push(...page);
        if (page.length < 200) break;
        before = page.at(-1)!.number;
      }
      expect(new Set(all.map((i) => i.status))).toEqual(new Set(STATUSES));
      const states = new Set(all.flatMap((i) => i.targets.map((x) => x.state)));
      for (const s of ['ok', 'atRisk', 'breached', 'met', 'metLate', 'pending']) expect(states).toContain(s);
      expect(all.some((i) => i.notViaDesignatedContact)).toBe(true);
      expect(all.some((i) => !i.inScope)).toBe(true);
      expect(all.some((i) => i.targets.some((x) => x.paused))).toBe(true);
      const oldest = Math.min(...all.map((i) => i.receivedAt));
      expect(NOW - oldest).toBeGreaterThan(60 * 24 * 3600_000);

      // The contact sees only their own client's incidents.
      const contactRow = await verifyPassword(t.db, creds[2]!.email, creds[2]!.password);
      const mine = await incidents.list(toActor(contactRow!), { limit: 200 });
      expect(mine.length).toBeGreaterThan(0);
      expect(new Set(mine.map((i) => i.clientId))).toEqual(new Set([contactRow!.clientId]));
    }, 120_000);
  });
}
