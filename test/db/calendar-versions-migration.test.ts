/** Migration 202612041250_calendar_versions (1250: main's 202612041240_monitoring_stop came first): every existing calendar gets its version 1, in force from 0, on both dialects. */
import { describe, expect, it } from 'vitest';
import { migrateToLatest, migrator } from '../../src/db/migrate.ts';
import { loadWorkingCalendar } from '../../src/modules/calendars/calendar.service.ts';
import { emptyDatabase, testDialects } from '../helpers/db.ts';

const DOC = { timeZone: 'Asia/Tokyo', weekly: { mon: [['09:00', '18:00']] } };

for (const dialect of testDialects) {
  describe(`calendar versions migration (${dialect})`, () => {
    it('backfills version 1 effective from 0 for each calendar, which then computes as before', async () => {
      const { database, drop } = await emptyDatabase(dialect);
      try {
        await migrator(database.db).migrateTo('202612041240_monitoring_stop');
        // A calendar edited twice under the old scheme (version 3).
        await database.db.insertInto('calendars').values({ id: 'c1', name: 'old', version: 3, document: JSON.stringify(DOC), createdAt: 1_700_000_000_000, updatedAt: 1_700_000_000_000 }).execute();
        await migrateToLatest(database.db);
        const versions = await database.db.selectFrom('calendarVersions').selectAll().execute();
        expect(versions).toEqual([{
          calendarId: 'c1', version: 1, effectiveFrom: 0, document: JSON.stringify(DOC), note: '', createdBy: 'system', createdAt: 1_700_000_000_000,
        }]);
        expect((await database.db.selectFrom('calendars').select('version').executeTakeFirstOrThrow()).version).toBe(1);
        const cal = await loadWorkingCalendar(database.db, 'c1');
        // Monday 2026-04-06 08:00 JST → opens 09:00.
        expect(cal.nextOpening(Date.parse('2026-04-06T08:00:00+09:00'))).toBe(Date.parse('2026-04-06T09:00:00+09:00'));
      } finally {
        await drop();
      }
    });
  });
}
