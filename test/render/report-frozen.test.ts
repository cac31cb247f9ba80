/**
 * What an issued report stores: every figure, and only the incident rows its HTML shows
 * (the appendix's), not every listed incident's row and lag row — those are for the CSV
 * files, written from every row at issue. The HTML printed later from the stored figures
 * (the issued page, the PDF printed after issue) must be the HTML of the computed ones.
 * A month of 2,600 incidents is computed by the pure core here, so the appendix (2,000
 * rows at most) leaves 600 out.
 */
import { describe, expect, it } from 'vitest';
import { alwaysOpen } from '../../src/core/calendar/always-open.ts';
import { computeReport, keepAppendixRows, appendixNumbers, type ReportFigures, type ReportIncidentInput } from '../../src/core/report/compute.ts';
import { monthRange } from '../../src/core/availability/index.ts';
import { REPORT_DATA_SCHEMA, type ReportData } from '../../src/modules/reports/report.data.ts';
import { APPENDIX_LIMIT } from '../../src/modules/reports/report.format.ts';
import { renderCsv, renderHtml } from '../../src/modules/reports/report.render.ts';

const MIN = 60_000;
const [FROM, TO] = monthRange(2026, 11, 'Asia/Tokyo');
const AS_OF = TO + 4 * 24 * 60 * MIN;
const COUNT = 2600;
const PRIORITIES = ['urgent', 'important', 'minor'] as const;
const CATEGORIES = ['outage', 'bug', 'inquiry'] as const;

function month(): ReportIncidentInput[] {
  const out: ReportIncidentInput[] = [];
  for (let k = 0; k < COUNT; k++) {
    const receivedAt = FROM + Math.floor((k * (TO - FROM - 10 * 60 * MIN)) / COUNT);
    const recognizedAt = receivedAt + (k % 7) * MIN;
    // Most targets met in time; every 13th late on both, every 50th still running.
    const late = k % 13 === 0;
    const running = k % 50 === 1;
    const target = (kind: 'start' | 'resolve', minutes: number) => ({
      kind, target: { kind: 'calendar' as const, minutes }, clockStart: recognizedAt, dueAt: recognizedAt + minutes * MIN,
      metAt: running ? null : recognizedAt + (late ? minutes + 30 : minutes / 2) * MIN, pausable: kind === 'resolve',
    });
    out.push({
      id: `inc-${k}`, number: k + 1, title: `障害 ${k + 1}`, priority: PRIORITIES[k % 3]!, category: CATEGORIES[k % 3]!, status: running ? 'in_progress' : 'resolved',
      inScope: k % 40 !== 5, billable: false, outOfScopeReason: k % 40 === 5 ? '契約範囲外' : null, receivedAt, recognizedAt, policyVersion: 1,
      calendarId: 'cal', resolutionCause: late ? '原因調査の遅れ' : null, targets: [target('start', 60), target('resolve', 480)], pauses: [],
    });
  }
  return out;
}

function dataOf(figures: ReportFigures): ReportData {
  return {
    schema: REPORT_DATA_SCHEMA,
    contract: { id: 'c', name: '基幹システム保守契約', clientId: 'cl', clientName: '株式会社さくら物流', policyName: '標準', timeZone: 'Asia/Tokyo' },
    month: '2026-11', figures, availability: { contract: null, systems: [] }, outages: [], maintenance: [], sections: {},
  };
}

describe('an issued report keeps the rows its HTML shows', () => {
  const full = computeReport({ from: FROM, to: TO, timeZone: 'Asia/Tokyo', asOf: AS_OF, incidents: month(), calendarOf: () => alwaysOpen() });
  const kept = keepAppendixRows(full, APPENDIX_LIMIT);

  it('keeps every figure and the appendix\'s rows, and counts the rest', () => {
    expect(full.incidentRows).toHaveLength(COUNT);
    expect(full.breaches.length).toBeGreaterThan(300);
    expect(kept.incidentRows.map((r) => r.number)).toEqual([...appendixNumbers(full, APPENDIX_LIMIT)].sort((a, b) => a - b));
    expect(kept.incidentRows).toHaveLength(APPENDIX_LIMIT);
    expect(kept.listedCount).toBe(COUNT);
    expect(kept.lagRows).toEqual([]);
    const { incidentRows: _a, lagRows: _b, rows: _c, ...figures } = kept;
    const { incidentRows: _d, lagRows: _e, ...before } = full;
    expect(figures).toEqual(before);
    // Kept again, nothing more goes; the appendix chooses the same incidents from what is kept.
    expect(keepAppendixRows(kept, APPENDIX_LIMIT)).toEqual(kept);
    expect(appendixNumbers(kept, APPENDIX_LIMIT)).toEqual(appendixNumbers(full, APPENDIX_LIMIT));
    expect(JSON.stringify(kept).length).toBeLessThan(JSON.stringify(full).length);
  });

  it('prints the same HTML from the kept figures as from the computed ones, in both languages', () => {
    const issue = { number: 12, revision: 1, issuedAt: AS_OF, issuedByName: '保守 太郎' };
    for (const lang of ['ja', 'en'] as const) {
      const html = renderHtml(dataOf(kept), lang, issue);
      expect(html).toBe(renderHtml(dataOf(full), lang, issue));
      expect(html).toContain(lang === 'ja' ? 'ほか 600 件のインシデントは incidents.csv' : '600 more incidents are in incidents.csv');
    }
  });

  it('writes the CSV from every row, and refuses to write it from the kept figures', () => {
    const incidents = renderCsv(dataOf(full), 'ja').get('incidents.csv')!.toString('utf8').trimEnd().split('\r\n');
    expect(incidents).toHaveLength(COUNT + 1);
    expect(() => renderCsv(dataOf(kept), 'ja')).toThrow(/every row/);
  });
});
