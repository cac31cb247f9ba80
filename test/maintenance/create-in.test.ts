/**
 * `createWindowIn`: another module (a change request) schedules maintenance inside its
 * own unit of work. The window, its audit entry and its notices commit with the caller's
 * change, or not at all; a contact may not schedule one; the notice rule still applies.
 */
import { describe, expect, it } from 'vitest';
import { unitOfWork } from '../../src/db/unit-of-work.ts';
import { AppError } from '../../src/errors.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { TestClock, makeWorld } from '../helpers/factories.ts';

const JST = (s: string) => Date.parse(`${s}+09:00`);

for (const dialect of testDialects) {
  describe(`maintenance.createWindowIn (${dialect})`, () => {
    const t = useTestDb(dialect);

    it('creates and announces a window in the caller\'s unit, with its audit entry and notices; a failing caller leaves nothing', async () => {
      // Monday 10:00 Tokyo; the window starts a week later, well within the notice rule.
      const clock = new TestClock(JST('2026-03-09T10:00:00'));
      const w = await makeWorld(t.db, clock);
      const uow = unitOfWork(t.db, clock.fn);
      const input = {
        contractId: w.contract.id, kind: 'planned' as const, title: '変更要求 #1 の適用',
        startsAt: JST('2026-03-16T02:00:00'), endsAt: JST('2026-03-16T04:00:00'), announce: true,
      };

      const created = await uow.command(w.agent, async (work) => {
        const win = await w.s.maintenance.createWindowIn(work, w.agent, input);
        work.audit({ entity: 'change_request', entityId: 'cr-1', action: 'schedule', after: { windowId: win.id } });
        return win;
      });
      expect(created.status).toBe('announced');
      expect(created.announcedAt).toBe(clock.now);
      expect(created.notices.map((n) => n.email).sort()).toEqual([w.deputy.email, w.primary.email].sort());
      const seen = await w.s.maintenance.get(w.contactUser, created.id);
      expect(seen.title).toBe('変更要求 #1 の適用');
      const audit = await t.db.selectFrom('auditLog').select(['entity', 'action', 'actorId']).where('entityId', 'in', [created.id, 'cr-1']).orderBy('entity').execute();
      expect(audit).toEqual([
        { entity: 'change_request', action: 'schedule', actorId: w.agent.userId },
        { entity: 'maintenance', action: 'create', actorId: w.agent.userId },
      ]);

      // The caller fails after scheduling: no window, no notice, no audit row remains.
      const before = await t.db.selectFrom('maintenanceWindows').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      await expect(uow.command(w.agent, async (work) => {
        await w.s.maintenance.createWindowIn(work, w.agent, { ...input, title: 'ロールバックされる' });
        throw new Error('the change request failed');
      })).rejects.toThrow('the change request failed');
      const after = await t.db.selectFrom('maintenanceWindows').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
      const list = await w.s.maintenance.list(w.agent, { contractId: w.contract.id });
      expect(list.map((x) => x.title)).toEqual(['変更要求 #1 の適用']);

      // A contact may not schedule maintenance; a late planned window is refused by the notice rule.
      await expect(uow.command(w.contactUser, (work) => w.s.maintenance.createWindowIn(work, w.contactUser, input)))
        .rejects.toSatisfy((e) => e instanceof AppError && e.code === 'auth.forbidden');
      await expect(uow.command(w.agent, (work) => w.s.maintenance.createWindowIn(work, w.agent, { ...input, startsAt: JST('2026-03-10T02:00:00'), endsAt: JST('2026-03-10T04:00:00') })))
        .rejects.toSatisfy((e) => e instanceof AppError && e.code === 'maintenance.notice.conflict');
    });
  });
}
