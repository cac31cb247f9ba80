/**
 * The drill-down: for every figure, the incidents behind it; for every incident, its
 * targets with the counted working intervals and the paused ones (the SLA core's
 * explanation), so the client can check any figure by hand.
 */
import { listedCount, REPORT_CATEGORIES, REPORT_PRIORITIES, REPORT_TARGET_KINDS } from '../../../core/report/compute.ts';
import { DRILL_LIMIT, esc, rowsHtml, sameDayShort } from '../report.format.ts';
import type { RenderContext } from '../report.format.ts';
import type { ReportSection } from './section.ts';

function drillLabel(ctx: RenderContext, key: string): string {
  const p = key.split('.');
  switch (p[0]) {
    case 'incidents':
      if (p[1] === 'priority') return ctx.t('report.drill.of', { figure: ctx.t('report.summary.incidents'), value: ctx.t(`report.priority.${p[2]}`) });
      if (p[1] === 'category') return ctx.t('report.drill.of', { figure: ctx.t('report.summary.incidents'), value: ctx.t(`report.category.${p[2]}`) });
      return ctx.t(`report.drill.${p[1]}`);
    case 'attainment':
      return `${ctx.t(`report.kind.${p[1]}`)} / ${ctx.t(`report.priority.${p[2]}`)} / ${ctx.t(`report.outcome.${p[3]}`)}`;
    default:
      return ctx.t(`report.drill.${key}`);
  }
}

/** The words of a drill key in the order the report's sections show them (the appendix follows the report, not the alphabet). */
const KEY_ORDER: readonly string[] = [
  'incidents', 'total', 'inScope', 'outOfScope', 'priority', 'category', 'attainment', 'breaches', 'open', 'lag', 'all', 'max', 'unrecognized',
  ...REPORT_TARGET_KINDS, ...REPORT_PRIORITIES, ...REPORT_CATEGORIES, 'met', 'metLate', 'breached',
];
function compareDrillKeys(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if (pa[i] === pb[i]) continue;
    if (pa[i] === undefined) return -1;
    if (pb[i] === undefined) return 1;
    // Words the list does not know (a later section's figures) come after, alphabetically.
    const ra = KEY_ORDER.indexOf(pa[i]!);
    const rb = KEY_ORDER.indexOf(pb[i]!);
    if (ra !== rb) return (ra < 0 ? KEY_ORDER.length : ra) - (rb < 0 ? KEY_ORDER.length : rb);
    return pa[i]!.localeCompare(pb[i]!);
  }
  return 0;
}

export const appendixSection: ReportSection = {
  id: 'appendix',
  html(ctx) {
    const f = ctx.data.figures;
    let drill = '';
    for (const [key, numbers] of Object.entries(f.drill).sort(([a], [b]) => compareDrillKeys(a, b))) {
      const more = numbers.length > DRILL_LIMIT ? ` ${ctx.t('report.appendix.more', { count: numbers.length - DRILL_LIMIT })}` : '';
      // Up to DRILL_LIMIT links per list, written in one pass (no sliced copy, no array of links to join).
      let links = '';
      for (let i = 0; i < numbers.length && i < DRILL_LIMIT; i++) links += i === 0 ? ctx.inc(numbers[i]!) : ` ${ctx.inc(numbers[i]!)}`;
      // The count names what it counts: "SLA違反 3" on the summary counts targets, this list the incidents behind them.
      drill += `<div class="drill" id="d-${esc(key)}"><h4>${esc(drillLabel(ctx, key))}${ctx.t('report.appendix.drillCount', { count: numbers.length })}</h4><p>${links}${more}</p></div>`;
    }
    const intervals = (list: ReadonlyArray<[number, number]>) => {
      let out = '';
      for (const [s, e] of list) {
        const a = ctx.at(s);
        const b = ctx.at(e);
        // Each end stays on one line; a long interval breaks at its dash, so the table fits the page.
        out += `${out ? '<br>' : ''}<span class="nw">${a}</span>–<span class="nw">${sameDayShort(a, b)}</span>`;
      }
      return out;
    };
    const shown = ctx.rows;
    const hidden = listedCount(f) - shown.size;
    // The same head for every incident's table: written once.
    const head = `<thead><tr>${['target', 'outcome', 'due', 'actual', 'counted', 'paused'].map((h) => `<th>${ctx.t(`report.col.${h}`)}</th>`).join('')}</tr></thead>`;
    const seeIncident = ctx.t('report.appendix.seeIncident');
    const received = ctx.t('report.appendix.received');
    const recognized = ctx.t('report.appendix.recognized');
    const policyVersion = ctx.t('report.col.policyVersion');
    const outOfScope = ` · ${ctx.t('report.outOfScope')}`;
    const rows = rowsHtml(f.incidentRows.filter((r) => shown.has(r.number)), (r) => {
      let targets = '';
      for (const t of r.targets) {
        // No counted interval (started after hours and paused before the next opening) says so, not an empty cell.
        const counted = t.counted ? (intervals(t.counted) || '—') : seeIncident;
        const paused = t.paused?.length ? intervals(t.paused) : '';
        targets += `<tr><td>${ctx.label('report.kind', t.kind)}</td><td>${ctx.label('report.outcome', t.outcome)}</td><td>${ctx.at(t.dueAt)}</td><td>${ctx.at(t.metAt)}</td><td class="iv">${counted}</td><td class="iv">${paused}</td></tr>`;
      }
      return `<div class="incident" id="inc-${r.number}"><h4>#${r.number} ${esc(r.title)}</h4><p class="muted">${ctx.label('report.priority', r.priority)} · ${ctx.label('report.category', r.category)} · ${received} ${ctx.at(r.receivedAt)} · ${recognized} ${ctx.at(r.recognizedAt) || '—'} · ${policyVersion} v${r.policyVersion}${r.inScope ? '' : outOfScope}</p>`
        + `<table class="targets">${head}<tbody>${targets}</tbody></table></div>`;
    });
    return `<section id="s-appendix" class="appendix"><h2>${ctx.t('report.sections.appendix')}</h2><h3>${ctx.t('report.appendix.drill')}</h3>${drill}<h3>${ctx.t('report.appendix.incidents')}</h3>${rows}${hidden > 0 ? `<p class="muted">${ctx.t('report.appendix.moreRows', { count: hidden })}</p>` : ''}</section>`;
  },
};
