/**
 * Instants as people read them, in a zone and a language — the ONE formatter for the console,
 * the portal (web/lib/format.ts formatInstant), e-mails, chat messages and error messages
 * (src/i18n/when.ts re-exports it): "2026/03/11(水) 02:00 JST", "Wed, 11 Mar 2026, 02:00 GMT+9".
 * Machine-read outputs (CSV, API, webhook payloads, `hoshu sla due`) keep ISO 8601.
 *
 * The zone is named by its short name (JST), which a Japanese reader knows, where the IANA
 * name (Asia/Tokyo) read like an internal setting in a client's maintenance notice. English
 * names the month: 01/04/2026 is the 1st of April to a British reader and January 4th to an
 * American one.
 *
 * Pure: Intl only, no clock; the language is the plain union, not the server's i18n module.
 */
export type WordsLocale = 'ja' | 'en';

export interface WhenStyle {
  /** Seconds where they matter (when a monitor first failed): "02:00:05". */
  seconds?: boolean;
  /** false leaves the zone's name off, where the zone is shown once beside a list of instants. */
  withZone?: boolean;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function format(locale: WordsLocale, zone: string, part: 'date' | 'time' | 'seconds' | 'zone'): Intl.DateTimeFormat {
  const key = `${locale}|${zone}|${part}`;
  let f = formats.get(key);
  if (!f) {
    const tag = locale === 'ja' ? 'ja-JP' : 'en-GB';
    f = new Intl.DateTimeFormat(tag, part === 'date'
      ? { timeZone: zone, year: 'numeric', month: locale === 'ja' ? '2-digit' : 'short', day: '2-digit', weekday: 'short' }
      : part === 'time'
        ? { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
        : part === 'seconds'
          ? { timeZone: zone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }
          : { timeZone: zone, timeZoneName: 'short' });
    formats.set(key, f);
  }
  return f;
}

/** The zone's short name at that instant: "JST", "GMT+9" (what en-GB calls Tokyo). */
export function zoneAbbreviation(locale: WordsLocale, zone: string, at: number): string {
  return format(locale, zone, 'zone').formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? zone;
}

/**
 * A zone as people name it (Intl's generic name): "日本標準時" / "Japan Standard Time"; withId adds the
 * IANA name where the zone itself is what is shown (a calendar's settings): "日本標準時 (Asia/Tokyo)".
 * An unknown zone comes back as given. `at`: the instant whose name it is (a zone's name can change with its rules).
 */
export function zoneName(zone: string, locale: WordsLocale, withId: boolean, at: number): string {
  let name: string;
  try {
    const parts = new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', { timeZone: zone, timeZoneName: 'longGeneric' }).formatToParts(at);
    name = parts.find((p) => p.type === 'timeZoneName')?.value ?? zone;
  } catch {
    return zone;
  }
  return withId && name !== zone ? `${name} (${zone})` : name;
}

/** "2026/03/11(水)" / "Wed, 11 Mar 2026": a day, as the instants above write it. */
export const dateWords = (locale: WordsLocale, ms: number, zone: string): string => format(locale, zone, 'date').format(ms);

/** "2026/03/11(水) " / "Wed, 11 Mar 2026, ": the date and what separates it from the time. */
function day(locale: WordsLocale, zone: string, ms: number): string {
  return `${format(locale, zone, 'date').format(ms)}${locale === 'ja' ? ' ' : ', '}`;
}

const time = (locale: WordsLocale, zone: string, ms: number) => format(locale, zone, 'time').format(ms);

/** "2026/03/11(水) 02:00 JST" / "Wed, 11 Mar 2026, 02:00 GMT+9"; "2026/03/11(水) 02:00" without the zone. */
export function when(locale: WordsLocale, ms: number, zone: string, o: WhenStyle = {}): string {
  const clock = o.seconds ? format(locale, zone, 'seconds').format(ms) : time(locale, zone, ms);
  const words = `${day(locale, zone, ms)}${clock}`;
  return o.withZone === false ? words : `${words} ${zoneAbbreviation(locale, zone, ms)}`;
}

/** "2026/03/11(水) 02:00–04:00 JST"; across days "2026/03/11(水) 22:00 – 2026/03/12(木) 02:00 JST". */
export function whenRange(locale: WordsLocale, from: number, to: number, zone: string, o: Pick<WhenStyle, 'withZone'> = {}): string {
  const a = day(locale, zone, from);
  const b = day(locale, zone, to);
  const z = o.withZone === false ? '' : ` ${zoneAbbreviation(locale, zone, from)}`;
  return a === b
    ? `${a}${time(locale, zone, from)}–${time(locale, zone, to)}${z}`
    : `${a}${time(locale, zone, from)} – ${b}${time(locale, zone, to)}${z}`;
}
