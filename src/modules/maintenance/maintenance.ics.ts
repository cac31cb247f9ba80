/**
 * The iCalendar (RFC 5545) feed of a contract's announced maintenance, built
 * with ical-generator. Every window is one VEVENT whose UID never changes and
 * whose SEQUENCE is bumped on every change the client was told about, so
 * calendar clients update the event in place; a cancelled window stays in the
 * feed with STATUS:CANCELLED (a vanished event is not removed by every client).
 * Instants are written in UTC, which needs no VTIMEZONE; the calendar names
 * the contract's zone for display (X-WR-TIMEZONE).
 */
import ical, { ICalEventStatus, ICalEventTransparency } from 'ical-generator';
import type { WindowRow as Window } from './maintenance.repository.ts';

export interface FeedInput {
  contractId: string;
  contractName: string;
  clientName: string;
  timeZone: string;
  windows: readonly Window[];
  systemNames: ReadonlyMap<string, string>;
}

const KIND_LABEL: Record<string, string> = { planned: '計画保守 / Planned', emergency: '緊急保守 / Emergency', recurring: '定期保守 / Recurring' };

export function maintenanceIcs(f: FeedInput): string {
  const cal = ical({
    name: `${f.contractName} 保守日程 / maintenance`,
    prodId: { company: 'Hoshu', product: 'maintenance-feed', language: 'JA' },
    timezone: null,
    ttl: 60 * 60,
  });
  cal.x([{ key: 'X-WR-TIMEZONE', value: f.timeZone }]);
  for (const w of f.windows) {
    const system = w.systemId ? f.systemNames.get(w.systemId) ?? null : null;
    const lines = [
      `${KIND_LABEL[w.kind] ?? w.kind}`,
      `${f.clientName} — ${f.contractName}`,
      ...(system ? [`System: ${system}`] : []),
      ...(w.description ? ['', w.description] : []),
      ...(w.emergencyReason ? ['', `Reason: ${w.emergencyReason}`] : []),
      ...(w.cancelReason ? ['', `Cancelled: ${w.cancelReason}`] : []),
    ];
    cal.createEvent({
      id: `${w.id}@hoshu`,
      start: new Date(w.startsAt),
      end: new Date(w.endsAt),
      stamp: new Date(w.updatedAt),
      created: new Date(w.createdAt),
      lastModified: new Date(w.updatedAt),
      sequence: w.sequence,
      summary: `${w.kind === 'emergency' ? '[緊急/Emergency] ' : ''}${w.title}${system ? ` (${system})` : ''}`,
      description: lines.join('\n'),
      status: w.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      transparency: ICalEventTransparency.OPAQUE,
    });
  }
  return cal.toString();
}
