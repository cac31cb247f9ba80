/**
 * What an SLA document's template sees: the contract's values and the policy version's
 * targets, already worded in the document's language (Mustache is logic-less, so every
 * number, date, list and target sentence is made here, from src/i18n/sla-document.*.json).
 * No I/O: the service gathers the inputs. A value the contract lacks is "not set" in the
 * document and named in `missing`, so nothing is left as a ●/▲ placeholder silently.
 */
import type { CalendarDocument, HoursRange, Weekday, WeeklyHours } from '../../core/calendar/index.ts';
import { WEEKDAYS } from '../../core/calendar/index.ts';
import { BUSINESS_DAY_MINUTES, type SlaPolicyDocument } from '../../contract/sla-policy-document.ts';
import { PRIORITIES, TARGET_KINDS, type TargetKind } from '../../contract/vocabulary.ts';
import type { SlaTarget } from '../../core/sla/index.ts';
import { t as translate, type Locale } from '../../i18n/index.ts';

export interface SlaDocumentInput {
  lang: Locale;
  /** Today's date in the calendar's zone (YYYY-MM-DD): busy-season extensions already over are left out. */
  today: string;
  client: { name: string };
  contract: {
    name: string;
    startsOn: string;
    endsOn: string | null;
    contractedUsers: number | null;
    backupWindow: { start: string; end: string } | null;
    contactEmail: string | null;
    contactPhone: string | null;
    inScopeNotes: string;
    outOfScopeNotes: string;
    notes: string;
  };
  systems: string[];
  primaryContact: string | null;
  deputies: string[];
  engineers: string[];
  policy: {
    name: string;
    establishedOn: string;
    version: number;
    document: SlaPolicyDocument;
    /** Versions 1 … the contract's, oldest first. */
    revisions: { version: number; revisedOn: string }[];
  };
  calendar: CalendarDocument;
  noticeBusinessDays: number;
}

export interface SlaDocumentTarget {
  priority: string;
  start: string;
  resolve: string;
  propose: string;
  hasStart: boolean;
  hasResolve: boolean;
  hasPropose: boolean;
  summary: string;
}

export interface SlaDocumentView {
  title: string;
  lang: Locale;
  generatedFor: string;
  client: { name: string };
  contract: {
    name: string; period: string; startsOn: string; endsOn: string; users: string; systems: string; backupWindow: string;
    inScopeNotes: string; outOfScopeNotes: string; notes: string; hasInScopeNotes: boolean; hasOutOfScopeNotes: boolean; hasNotes: boolean;
  };
  policy: { name: string; version: number; establishedOn: string; revisedOn: string; atRiskPercent: number; pauseWhileWaiting: boolean };
  maintenance: { noticeBusinessDays: number };
  targets: SlaDocumentTarget[];
  inquiry: {
    email: string; phone: string; channels: string; primaryContact: string; deputies: string; hasDeputies: boolean; engineers: string;
    businessHours: string; holidays: string; timeZone: string;
    extensions: { period: string; hours: string }[]; hasExtensions: boolean;
  };
  revisions: { label: string; date: string; version: number }[];
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function buildSlaDocumentView(i: SlaDocumentInput): { view: SlaDocumentView; missing: string[] } {
  const { lang } = i;
  const t = (key: string, p: Record<string, string | number> = {}) => translate(lang, `slaDocument.${key}`, p);
  const missing: string[] = [];
  const orNotSet = (field: string, v: string | null | undefined): string => {
    if (v === null || v === undefined || v.trim() === '') {
      missing.push(field);
      return t('notSet');
    }
    return v;
  };
  const join = (xs: string[]) => xs.join(t('list'));
  const date = (iso: string): string => {
    const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
    return lang === 'ja'
      ? t('date', { y, month: String(m).padStart(2, '0'), d: String(d).padStart(2, '0') })
      : t('date', { y, month: MONTHS[m - 1]!, d });
  };
  const monthDay = (md: string): string => {
    const [m, d] = md.split('-').map(Number) as [number, number];
    return t('holidays.monthDay', { d, month: lang === 'ja' ? m : MONTHS[m - 1]! });
  };
  /** "MM-DD" yearly or "YYYY-MM-DD" once. */
  const dayText = (s: string): string => (s.length === 5 ? monthDay(s) : date(s));
  const clock = (hhmm: string) => hhmm.replace(/^0(\d)/, '$1');
  const hours = (ranges: readonly HoursRange[]): string =>
    ranges.length === 0 ? t('closed') : join(ranges.map(([a, b]) => t('hoursRange', { from: clock(a), to: clock(b) })));

  const c = i.contract;
  const users = c.contractedUsers === null ? orNotSet('contractedUsers', null) : t('users', { n: c.contractedUsers });
  const backupWindow = c.backupWindow
    ? t('backup.range', { from: timeOfDay(lang, c.backupWindow.start, t), to: timeOfDay(lang, c.backupWindow.end, t, c.backupWindow.start) })
    : orNotSet('backupWindow', null);
  const email = orNotSet('contactEmail', c.contactEmail);
  const phone = orNotSet('contactPhone', c.contactPhone);
  const channels = [
    ...(c.contactEmail ? [t('channels.email', { email: c.contactEmail })] : []),
    ...(c.contactPhone ? [t('channels.phone', { phone: c.contactPhone })] : []),
  ].join(t('channels.join')) || t('notSet');

  const targets = PRIORITIES.map((p): SlaDocumentTarget => {
    const spec = i.policy.document.priorities[p];
    const text = (k: TargetKind) => {
      const s = spec[k];
      return s ? targetSentence(k, s.from, s.clock, t, lang) : '';
    };
    const kinds = TARGET_KINDS.filter((k) => spec[k]);
    const clockOf = (k: TargetKind) => (spec[k]!.clock.kind === 'calendar' ? t('clock.calendar') : t('clock.business'));
    const clocks = [...new Set(kinds.map(clockOf))];
    // Targets on different clocks name each its own: one "(24/7, business hours)" at the end would not say which is which.
    const summary = clocks.length > 1
      ? kinds.map((k) => t('summaryPart', { part: text(k), clock: clockOf(k) })).join(t('summaryPartJoin'))
      : t('summary', { parts: kinds.map(text).join(t('summaryJoin')), clocks: join(clocks) });
    return {
      priority: t(`priority.${p}`),
      start: text('start'),
      resolve: text('resolve'),
      propose: text('propose'),
      hasStart: Boolean(spec.start),
      hasResolve: Boolean(spec.resolve),
      hasPropose: Boolean(spec.propose),
      summary: capitalize(summary),
    };
  });

  const cal = i.calendar;
  const holidays = [
    ...((cal.holidays ?? []).includes('jp') ? [t('holidays.jp')] : []),
    ...(cal.holidays ?? []).filter((h) => h !== 'jp').map(dayText),
    ...(cal.closures ?? []).map((x) => t('holidays.closure', { from: dayText(x.from), to: dayText(x.to) })),
  ];
  const extensions = (cal.overrides ?? []).flatMap((o) => {
    if ('date' in o) return o.date >= i.today ? [{ period: date(o.date), hours: hours(o.hours) }] : [];
    return o.to >= i.today ? [{ period: t('period', { from: date(o.from), to: date(o.to) }), hours: weeklyText(o.weekly, t, hours) }] : [];
  });

  const revisions = [
    { label: t('revision.established'), date: date(i.policy.establishedOn), version: 1 },
    ...(i.policy.revisions.length > 1
      ? i.policy.revisions.filter((r) => r.version > 1)
      : i.policy.revisions
    ).map((r) => ({ label: t('revision.revised'), date: date(r.revisedOn), version: r.version })),
  ];
  const current = i.policy.revisions.find((r) => r.version === i.policy.version);

  const view: SlaDocumentView = {
    title: t('title'),
    lang,
    generatedFor: t('generatedFor', { client: i.client.name }),
    client: { name: i.client.name },
    contract: {
      name: c.name,
      period: t('period', { from: date(c.startsOn), to: c.endsOn ? date(c.endsOn) : '' }).trim(),
      startsOn: date(c.startsOn),
      endsOn: c.endsOn ? date(c.endsOn) : '',
      users,
      systems: i.systems.length ? join(i.systems) : orNotSet('systemIds', null),
      backupWindow,
      inScopeNotes: c.inScopeNotes,
      outOfScopeNotes: c.outOfScopeNotes,
      notes: c.notes,
      hasInScopeNotes: c.inScopeNotes.trim() !== '',
      hasOutOfScopeNotes: c.outOfScopeNotes.trim() !== '',
      hasNotes: c.notes.trim() !== '',
    },
    policy: {
      name: i.policy.name,
      version: i.policy.version,
      establishedOn: date(i.policy.establishedOn),
      revisedOn: date(current?.revisedOn ?? i.policy.establishedOn),
      atRiskPercent: Math.round(i.policy.document.atRiskThreshold * 100),
      pauseWhileWaiting: i.policy.document.pauseResolutionWhileWaiting,
    },
    maintenance: { noticeBusinessDays: i.noticeBusinessDays },
    targets,
    inquiry: {
      email,
      phone,
      channels,
      primaryContact: orNotSet('primaryContactId', i.primaryContact),
      deputies: i.deputies.length ? join(i.deputies) : t('none'),
      hasDeputies: i.deputies.length > 0,
      engineers: i.engineers.length ? join(i.engineers) : orNotSet('engineerIds', null),
      businessHours: weeklyText(cal.weekly, t, hours),
      holidays: holidays.length ? join(holidays) : t('none'),
      timeZone: cal.timeZone,
      extensions,
      hasExtensions: extensions.length > 0,
    },
    revisions,
  };
  return { view, missing };
}

type Tr = (key: string, p?: Record<string, string | number>) => string;

/** A sentence in a table cell starts with a capital (a no-op for Japanese). */
const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** 02:00 → 午前2時 / 2:00 a.m.; the end of a range drops 午前 when the start had it (the page's 午前●時~▲時). */
function timeOfDay(lang: Locale, hhmm: string, t: Tr, startOfRange?: string): string {
  const h24 = Number(hhmm.slice(0, 2));
  const m = hhmm.slice(3, 5);
  const pm = h24 >= 12;
  const h = lang === 'ja' ? (pm ? h24 - 12 : h24) : ((h24 + 11) % 12) + 1;
  const sameHalf = startOfRange !== undefined && Number(startOfRange.slice(0, 2)) >= 12 === pm;
  if (lang === 'ja' && sameHalf) return m === '00' ? `${h}時` : `${h}時${Number(m)}分`;
  return t(`backup.${pm ? 'pm' : 'am'}${m === '00' ? '' : 'Min'}`, { h, m: lang === 'ja' ? Number(m) : m });
}

/** Weekdays with the same hours grouped into runs: "月~金 9:00~18:00". */
function weeklyText(weekly: WeeklyHours, t: Tr, hours: (r: readonly HoursRange[]) => string): string {
  const order: Weekday[] = [...WEEKDAYS.slice(1), 'sun'];
  const key = (d: Weekday) => JSON.stringify(weekly[d] ?? []);
  const runs: { from: Weekday; to: Weekday; ranges: readonly HoursRange[] }[] = [];
  for (const d of order) {
    const ranges = weekly[d] ?? [];
    if (ranges.length === 0) continue;
    const last = runs.at(-1);
    if (last && key(last.to) === key(d) && order.indexOf(d) === order.indexOf(last.to) + 1) last.to = d;
    else runs.push({ from: d, to: d, ranges });
  }
  if (runs.length === 0) return t('closed');
  return runs
    .map((r) => t('hoursOfDays', {
      days: r.from === r.to ? t(`weekday.${r.from}`) : t('days', { from: t(`weekday.${r.from}`), to: t(`weekday.${r.to}`) }),
      hours: hours(r.ranges),
    }))
    .join(t('list'));
}

function durationText(target: SlaTarget, t: Tr): string {
  if (target.kind === 'endOfNthBusinessDay') return '';
  const m = target.minutes;
  if (target.kind === 'business') {
    if (m % BUSINESS_DAY_MINUTES === 0) return t(m === BUSINESS_DAY_MINUTES ? 'duration.businessDay' : 'duration.businessDays', { n: m / BUSINESS_DAY_MINUTES });
    if (m % 60 === 0) return t('duration.businessHours', { n: m / 60 });
    return t('duration.businessMinutes', { n: m });
  }
  if (m % 1440 === 0) return t('duration.days', { n: m / 1440 });
  if (m % 60 === 0) return t('duration.hours', { n: m / 60 });
  return t('duration.minutes', { n: m });
}

/** 2nd, 3rd, 4th, 11th, 21st … */
function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}

function targetSentence(kind: TargetKind, from: string, clock: SlaTarget, t: Tr, lang: Locale): string {
  const fromText = t(`from.${from}`);
  if (clock.kind === 'endOfNthBusinessDay') {
    const deadline = clock.n <= 1 ? t(`endOfDay.${clock.n}`) : t('endOfDay.n', { nth: lang === 'en' ? ordinal(clock.n) : clock.n });
    return t(`target.${kind}.by`, { from: fromText, deadline });
  }
  return t(`target.${kind}.within`, { from: fromText, duration: durationText(clock, t) });
}
