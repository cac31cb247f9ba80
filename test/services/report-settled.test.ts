/**
 * The report's split of a month (report.settled.ts monthSplit, core SettledMonth): the
 * database counts the settled incidents and the process reads the rest whole. Here every
 * boundary of the database's predicate is met by a stored row — a target met exactly at the
 * month's first or last instant, at its due instant, at asOf or a millisecond after it, due
 * exactly at the month's start, no stored due, no clock, an unknown kind, priority or
 * category, out of scope, received on the month's edges, unrecognized — and the figures must
 * be those of reading every incident whole, on both dialects.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { makeWorld, TestClock, MIN } from '../helpers/factories.ts';
import { keepAppendixRows } from '../../src/core/report/compute.ts';
import { kyselyMonthReader, monthSplit } from '../../src/modules/reports/report.settled.ts';
import { renderCsv } from '../../src/modules/reports/report.render.ts';
import type { Services } from '../../src/http/services.ts';
import type { Row } from '../../src/db/schema.ts';

const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const F = Date.parse('2026-11-01T00:00:00+09:00');
const T = Date.parse('2026-12-01T00:00:00+09:00');
const A = Date.parse('2026-12-04T12:00:00+09:00');

type TargetCase = { clockStart?: number | null; dueAt?: number | null; metAt?: number | null; kind?: string };
interface Case {
  name: string;
  incident?: Partial<Row<'incidents'>>;
  start?: TargetCase;
  resolve?: TargetCase;
  pause?: [number, number | null];
}

const onTime = (at: number): TargetCase => ({ clockStart: at - HOUR, dueAt: at + HOUR, metAt: at });
const CASES: Case[] = [
  { name: 'both met on time mid-month', start: onTime(F + 3 * DAY), resolve: onTime(F + 4 * DAY) },
  { name: 'met at the first instant of the month', start: { clockStart: F - HOUR, dueAt: F, metAt: F } },
  { name: 'met a millisecond before the month', start: { clockStart: F - HOUR, dueAt: F + HOUR, metAt: F - 1 }, resolve: onTime(F + DAY) },
  { name: 'met at the last millisecond of the month', start: onTime(F + DAY), resolve: { clockStart: T - HOUR, dueAt: T, metAt: T - 1 } },
  { name: 'met at the first instant of the next month', start: onTime(F + DAY), resolve: { clockStart: T - HOUR, dueAt: T, metAt: T } },
  { name: 'met at its due instant', start: { clockStart: F + DAY, dueAt: F + DAY + HOUR, metAt: F + DAY + HOUR } },
  { name: 'met a millisecond after its due instant', start: { clockStart: F + DAY, dueAt: F + DAY + HOUR, metAt: F + DAY + HOUR + 1 } },
  { name: 'late, due before the month', start: { clockStart: F - 2 * HOUR, dueAt: F - 1, metAt: F + HOUR } },
  { name: 'late, due at the first instant of the month', start: { clockStart: F - 2 * HOUR, dueAt: F, metAt: F + HOUR } },
  { name: 'met exactly at asOf, after the month', start: onTime(F + DAY), resolve: { clockStart: T - HOUR, dueAt: A, metAt: A } },
  { name: 'met a millisecond after asOf', start: onTime(F + DAY), resolve: { clockStart: F + 2 * DAY, dueAt: F + 3 * DAY, metAt: A + 1 } },
  { name: 'not met, due in the month', start: onTime(F + DAY), resolve: { clockStart: F + DAY, dueAt: F + 2 * DAY, metAt: null } },
  { name: 'met without a stored due', start: { clockStart: F + DAY, dueAt: null, metAt: F + DAY + MIN } },
  { name: 'a clock not started', start: onTime(F + DAY), resolve: { clockStart: null, dueAt: null, metAt: null } },
  { name: 'a target kind the report does not know', start: onTime(F + DAY), resolve: { ...onTime(F + 2 * DAY), kind: 'acknowledge' } },
  { name: 'a priority the report does not know', incident: { priority: 'critical' }, start: onTime(F + DAY), resolve: onTime(F + 2 * DAY) },
  { name: 'a status the report does not know', incident: { status: 'archived' }, start: onTime(F + DAY), resolve: onTime(F + 2 * DAY) },
  { name: 'billable though in scope, resolved', incident: { billable: 1, status: 'resolved' }, start: onTime(F + 3 * DAY), resolve: onTime(F + 4 * DAY) },
  { name: 'a category the report does not know', incident: { category: 'hardware' }, start: onTime(F + DAY), resolve: onTime(F + 2 * DAY) },
  { name: 'out of scope, received in the month', incident: { inScope: 0, outOfScopeReason: '範囲外' }, start: onTime(F + DAY), resolve: onTime(F + 2 * DAY) },
  { name: 'out of scope, received at the first instant', incident: { inScope: 0, receivedAt: F, recognizedAt: F }, start: onTime(F + HOUR) },
  { name: 'out of scope, received before the month', incident: { inScope: 0, receivedAt: F - 3 * DAY, recognizedAt: F - 3 * DAY }, resolve: onTime(F + DAY) },
  { name: 'received at the first instant', incident: { receivedAt: F, recognizedAt: F }, start: onTime(F + HOUR), resolve: onTime(F + DAY) },
  { name: 'received at the last millisecond', incident: { receivedAt: T - 1, recognizedAt: T - 1 }, start: { clockStart: T - 1, dueAt: T + HOUR, metAt: T + MIN }, resolve: { clockStart: T - 1, dueAt: T + DAY, metAt: null } },
  { name: 'received before the month, met in it', incident: { receivedAt: F - 2 * DAY, recognizedAt: F - 2 * DAY }, start: onTime(F - DAY), resolve: onTime(F + DAY) },
  { name: 'resolved a millisecond before the month', incident: { receivedAt: F - 2 * DAY, recognizedAt: F - 2 * DAY, resolvedAt: F - 1 }, start: onTime(F - DAY), resolve: onTime(F - 1) },
  { name: 'resolved before the month, a target never met', incident: { receivedAt: F - 2 * DAY, recognizedAt: F - 2 * DAY, resolvedAt: F - 1 }, start: onTime(F - DAY), resolve: { clockStart: F - 2 * DAY, dueAt: F + DAY, metAt: null } },
  { name: 'resolved before the month, a target met in it', incident: { receivedAt: F - 2 * DAY, recognizedAt: F - 2 * DAY, resolvedAt: F - 1 }, start: onTime(F - DAY), resolve: onTime(F + DAY) },
  { name: 'resolved at the first instant', incident: { receivedAt: F - 2 * DAY, recognizedAt: F - 2 * DAY, resolvedAt: F }, start: onTime(F - DAY), resolve: onTime(F) },
  { name: 'not recognized', incident: { recognizedAt: null, receivedAt: F + 5 * DAY }, start: { clockStart: null, dueAt: null, metAt: null }, resolve: { clockStart: null, dueAt: null, metAt: null } },
  { name: 'recognized after asOf', incident: { receivedAt: F + 5 * DAY, recognizedAt: A + MIN }, start: onTime(F + 6 * DAY), resolve: onTime(F + 7 * DAY) },
  { name: 'policy version 2', incident: { slaPolicyVersion: 2 }, start: onTime(F + 8 * DAY), resolve: onTime(F + 9 * DAY) },
  { name: 'policy version 15, the last a target code holds', incident: { slaPolicyVersion: 15 }, start: onTime(F + 8 * DAY), resolve: onTime(F + 9 * DAY) },
  { name: 'policy version 16, read whole', incident: { slaPolicyVersion: 16 }, start: onTime(F + 8 * DAY), resolve: onTime(F + 9 * DAY) },
  { name: 'paused and met on time', start: onTime(F + 10 * DAY), resolve: onTime(F + 12 * DAY), pause: [F + 10 * DAY + HOUR, F + 11 * DAY] },
  { name: 'a "quoted" title, over\r\ntwo lines', start: onTime(F + 13 * DAY), resolve: onTime(F + 14 * DAY) },
  // Numbers past 2²⁴: the split marks them apart from its byte per number, and its counting sort gives way to a plain sort.
  { name: 'numbered past 2²⁴, met on time', incident: { number: 16_777_300 }, start: onTime(F + 17 * DAY), resolve: onTime(F + 18 * DAY) },
  { name: 'numbered past 2²⁴, late', incident: { number: 16_777_301 }, start: { clockStart: F + 17 * DAY, dueAt: F + 17 * DAY + HOUR, metAt: F + 17 * DAY + 2 * HOUR } },
  { name: 'a pause still open', start: onTime(F + 10 * DAY), resolve: { clockStart: F + 10 * DAY, dueAt: F + 11 * DAY, metAt: null }, pause: [F + 10 * DAY + HOUR, null] },
];

for (const dialect of testDialects) describe(`the report's settled split agrees with reading every incident (${dialect})`, () => {
  const t = useTestDb(dialect);
  const clock = new TestClock(F - 10 * DAY);
  let reports: Services['reports'];
  let contractId = '';

  beforeAll(async () => {
    const { s, contract, agent, system, primary } = await makeWorld(t.db, clock, 'Settled');
    reports = s.reports;
    contractId = contract.id;
    // One incident through the services gives every column a real value; the cases are copies with their instants set.
    const made = await s.incidents.create(agent, { contractId, systemId: system.id, title: '見本', channel: 'phone', priority: 'important', receivedAt: clock.now, recognized: true, reporter: { contactId: primary.id } });
    await s.incidents.command(agent, made.id, 'start');
    const template = await t.db.selectFrom('incidents').selectAll().where('id', '=', made.id).executeTakeFirstOrThrow();
    const targets = await t.db.selectFrom('incidentTargets').selectAll().where('incidentId', '=', made.id).execute();
    const byKind = (kind: string) => targets.find((x) => x.kind === kind)!;
    // Enough plain incidents that the first ones by number fill small appendices and the rest are counted.
    const plain: Case[] = Array.from({ length: 12 }, (_, k) => ({ name: `plain ${k}`, start: onTime(F + (k + 1) * DAY), resolve: onTime(F + (k + 2) * DAY) }));
    let number = 100_000;
    // The last one stored has the smallest number (a number taken before others were filed): rows do not come in number order.
    const late: Case = { name: 'stored last with the smallest number', start: onTime(F + 15 * DAY), resolve: onTime(F + 16 * DAY) };
    for (const c of [...plain.slice(0, 6), ...CASES, ...plain.slice(6), late]) {
      const id = randomUUID();
      await t.db.insertInto('incidents').values({
        ...template, id, number: c === late ? 99_000 : number++, title: c.name, receivedAt: F + DAY, recognizedAt: F + DAY, resolvedAt: null, ...c.incident,
      }).execute();
      for (const [kind, tc] of [['start', c.start], ['resolve', c.resolve]] as const) {
        if (!tc) continue;
        const base = byKind(kind);
        await t.db.insertInto('incidentTargets').values({
          ...base, id: randomUUID(), incidentId: id, kind: tc.kind ?? kind, clockStart: tc.clockStart ?? null, dueAt: tc.dueAt ?? null, metAt: tc.metAt ?? null,
        }).execute();
      }
      if (c.pause) {
        await t.db.insertInto('incidentPauses').values({ id: randomUUID(), incidentId: id, startedAt: c.pause[0], endedAt: c.pause[1], startedBy: 'x', endedBy: c.pause[1] === null ? null : 'x', reason: '情報提供待ち' }).execute();
      }
    }
    clock.now = A;
  }, 120_000);

  it('has incidents of both kinds', async () => {
    const split = await monthSplit(kyselyMonthReader(t.db), contractId, F, T, A, 0);
    expect(split.whole.length).toBeGreaterThanOrEqual(10);
    expect(split.settled.met.number.length).toBeGreaterThanOrEqual(20);
    expect(split.settled.received.number.length).toBeGreaterThanOrEqual(10);
  });

  it('gives the figures of reading every incident whole, whatever the appendix\'s size', async () => {
    for (const limit of [0, 1, 3, 8, 2000]) {
      const split = await reports.data(contractId, '2026-11', A, { rows: 'appendix', intervalLimit: limit });
      const whole = await reports.data(contractId, '2026-11', A, { intervalLimit: limit });
      expect(whole.figures.breaches.length).toBeGreaterThan(3);
      expect(split.figures, `appendix of ${limit}`).toEqual(keepAppendixRows(whole.figures, limit));
    }
  });

  it('writes the CSV tables byte for byte as from reading every incident, in both languages, as of any instant', async () => {
    for (const asOf of [A, F + 5 * DAY, F + 30 * MIN, F - DAY, T - 1, T, F + 10 * DAY + HOUR + 1]) {
      const split = await reports.data(contractId, '2026-11', asOf, { rows: 'csv' });
      const whole = await reports.data(contractId, '2026-11', asOf);
      expect(split.figures.rows).toBe('split');
      if (asOf === A) expect(split.figures.settledRows!.number.length).toBeGreaterThanOrEqual(10);
      for (const lang of ['ja', 'en'] as const) {
        const expected = renderCsv(whole, lang);
        const got = renderCsv(split, lang);
        expect([...got.keys()]).toEqual([...expected.keys()]);
        for (const [name, body] of expected) expect(got.get(name)!.toString('utf8'), `${name} ${lang} as of ${new Date(asOf).toISOString()}`).toBe(body.toString('utf8'));
      }
    }
  });

  it('and as of any instant: the month in progress, its first hour, before it began, at its last millisecond', async () => {
    for (const asOf of [F + 5 * DAY, F + 30 * MIN, F - DAY, T - 1, T, F + 10 * DAY + HOUR + 1]) {
      const split = await reports.data(contractId, '2026-11', asOf, { rows: 'appendix', intervalLimit: 3 });
      const whole = await reports.data(contractId, '2026-11', asOf, { intervalLimit: 3 });
      expect(split.figures, new Date(asOf).toISOString()).toEqual(keepAppendixRows(whole.figures, 3));
    }
  });
});
