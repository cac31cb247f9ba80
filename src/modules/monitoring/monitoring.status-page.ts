/**
 * The public status page of a contract, rendered on the server as one small
 * HTML document (no script): each system's current state, the outages of the
 * last 30 days (ongoing, or how each ended), the incidents of the last 30 days
 * the contract lists, running and upcoming maintenance by title (emergency
 * work included) and the emergency work of the last 30 days, and 90 days of
 * daily availability bars. Every value from the database is HTML-escaped.
 */
import type { AvailabilityResult } from '../../core/availability/index.ts';
import { t, type Locale } from '../../i18n/index.ts';
import { dateWords, when, whenRange, zoneName } from '../../i18n/when.ts';
import type { MonitoringService } from './monitoring.service.ts';

type StatusData = Awaited<ReturnType<MonitoringService['statusData']>>;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function bar(d: AvailabilityResult, locale: Locale, timeZone: string): string {
  const a = d.availability;
  const cls = a === null ? 'none' : a >= 0.999 ? 'ok' : a >= 0.99 ? 'warn' : 'bad';
  const label = a === null ? t(locale, 'statusPage.noData') : `${(a * 100).toFixed(2)}%`;
  return `<span class="bar ${cls}" title="${esc(`${dateWords(locale, d.from, timeZone)} ${label}`)}"></span>`;
}

/**
 * Instants as the console writes them (2026/12/05(土) 10:00 / Sat, 05 Dec 2026, 10:00), the zone
 * named once in the footer: the page had shown 2026-12-05 10:00 and "(Asia/Tokyo)" to the public.
 */
export function renderStatusPage(s: StatusData, locale: Locale): string {
  const tz = s.timeZone;
  const fmt = (ms: number) => when(locale, ms, tz, { withZone: false });
  const span = (from: number, to: number) => whenRange(locale, from, to, tz, { withZone: false });
  const L = (k: string, p: Record<string, string | number> = {}) => esc(t(locale, `statusPage.${k}`, p));
  const systems = s.systems.map((x) => `
    <li class="system ${x.state}">
      <div class="row"><strong>${esc(x.name)}</strong><span class="state">${L(x.state)}${x.since ? ` · ${L('since', { at: fmt(x.since) })}` : ''}</span></div>
      <div class="bars" aria-label="${L('daily')}">${x.daily.map((d) => bar(d, locale, tz)).join('')}</div>
    </li>`).join('');
  const outages = s.outages.length
    ? `<ul class="outages">${s.outages.map((o) => `<li class="outage ${o.endedAt === null ? 'ongoing' : 'ended'}"><strong>${esc(o.systemName)}</strong> ${
      o.endedAt === null ? `${esc(fmt(o.startedAt))} – ${L('ongoing')}` : `${esc(span(o.startedAt, o.endedAt))} (${L(`ended.${o.endedBy ?? 'recovered'}`)})`}</li>`).join('')}</ul>`
    : `<p>${L('noOutages')}</p>`;
  const incidents = s.incidentsShown === 'none' ? '' : `
<h2>${L(s.incidentsShown === 'all' ? 'recentIncidentsAll' : 'recentIncidents')}</h2>
${s.incidents.length
    ? `<ul class="incidents">${s.incidents.map((i) => `<li>#${i.number} ${esc(i.title)} — ${esc(t(locale, `status.${i.status}`))} · ${esc(fmt(i.receivedAt))}</li>`).join('')}</ul>`
    : `<p>${L('noRecentIncidents')}</p>`}`;
  const windowItem = (w: StatusData['recentEmergency'][number], running = false) => `<li class="window ${esc(w.kind)}">${esc(span(w.startsAt, w.endsAt))} <strong>${esc(w.title)}</strong> (${L(`kind.${w.kind}`)} · ${w.systemName ? esc(w.systemName) : L('allSystems')})${
    running ? ` — ${L('running')}` : ''}</li>`;
  const maintenance = s.maintenance.length ? `<ul>${s.maintenance.map((w) => windowItem(w, w.running)).join('')}</ul>` : `<p>${L('noUpcoming')}</p>`;
  const emergency = s.recentEmergency.length ? `
<h2>${L('recentEmergency')}</h2>
<ul>${s.recentEmergency.map((w) => windowItem(w)).join('')}</ul>` : '';
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${L('title', { contract: s.contract.name })}</title>
<style>
body{font-family:system-ui,"Hiragino Sans","Noto Sans CJK JP",sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#222}
ul{padding-left:1.2rem} .systems{list-style:none;padding:0}
.system{border:1px solid #ddd;border-radius:6px;padding:.6rem .8rem;margin:.6rem 0}
.row{display:flex;justify-content:space-between} .up .state{color:#1a7f37} .down .state{color:#cf222e} .unknown .state{color:#666} .maintenance .state{color:#9a6700}
.ongoing{color:#cf222e} .bars{display:flex;gap:1px;margin-top:.4rem} .bar{flex:1;height:28px;border-radius:1px}
.ok{background:#2da44e} .warn{background:#d4a72c} .bad{background:#cf222e} .none{background:#d0d7de}
footer{color:#666;font-size:.85rem;margin-top:2rem}
</style>
</head>
<body>
<h1>${L('title', { contract: s.contract.name })}</h1>
<h2>${L('systems')}</h2>
<ul class="systems">${systems}</ul>
<h2>${L('outages')}</h2>
${outages}
${incidents}
<h2>${L('maintenance')}</h2>
${maintenance}${emergency}
<footer>${L('daily')} · ${L('updated', { at: fmt(s.now), zone: zoneName(tz, locale, false, s.now) })}</footer>
</body>
</html>
`;
}
