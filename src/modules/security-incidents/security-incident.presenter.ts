/** Security incidents as the API shows them (instants as ISO strings, who by id and name). */
import type { z } from 'zod';
import { regulatoryReminders } from '../../core/security/index.ts';
import { toIso, toIsoOrNull } from '../../contract/common.ts';
import {
  SECURITY_COMMANDS, SECURITY_TRANSITIONS, type SecurityCommand, type SecurityIncident, type SecurityIncidentDetail,
} from '../../contract/security-incidents.ts';
import { fromFlag } from '../../db/tx.ts';
import { presentDelivery } from '../mail/mail.presenter.ts';
import { clockState, reportSpecOf } from './security-incident.clock.ts';
import type { SecurityIncidentRow } from './security-incident.repository.ts';
import type { SecurityIncidentBundle } from './security-incident.rules.ts';

type Summary = z.infer<typeof SecurityIncident>;
type Detail = z.infer<typeof SecurityIncidentDetail>;

const who = (id: string, names: Map<string, string>) => ({ id, name: names.get(id) ?? null });

export function presentSecurityIncident(row: SecurityIncidentRow, now: number): Summary {
  const spec = reportSpecOf(row);
  return {
    id: row.id,
    number: row.number,
    contractId: row.contractId,
    clientId: row.clientId,
    systemId: row.systemId,
    kind: row.kind as Summary['kind'],
    title: row.title,
    status: row.status as Summary['status'],
    personalData: fromFlag(row.personalData),
    inScope: fromFlag(row.inScope),
    discoveredAt: toIsoOrNull(row.discoveredAt),
    reportedAt: toIsoOrNull(row.reportedAt),
    reportClock: {
      target: spec.target,
      clock: spec.target.kind === 'calendar' ? 'calendar' : 'business',
      startsAt: toIsoOrNull(row.discoveredAt),
      dueAt: toIsoOrNull(row.reportDueAt),
      atRiskAt: toIsoOrNull(row.reportAtRiskAt),
      metAt: toIsoOrNull(row.reportedAt),
      state: clockState(row, now),
      excluded: !fromFlag(row.inScope),
    },
    timeZone: row.timeZone,
    createdAt: toIso(row.createdAt),
    updatedAt: toIso(row.updatedAt),
  };
}

function commandsOf(row: SecurityIncidentRow): SecurityCommand[] {
  return SECURITY_COMMANDS.filter((c) => (c === 'recognize'
    ? row.recognizedAt === null
    : (SECURITY_TRANSITIONS[c].from as readonly string[]).includes(row.status)));
}

const stringParams = (data: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(data).filter(([k, v]) => k !== 'event' && v !== null && v !== undefined).map(([k, v]) => [k, typeof v === 'number' && k.endsWith('At') ? toIso(v) : String(v)]));

export function presentSecurityIncidentDetail(b: SecurityIncidentBundle): Detail {
  const { row, names } = b;
  const instant = (at: number | null, by: string | null) => (at === null ? null : { at: toIso(at), by: who(by ?? 'system', names) });
  const readsBy = new Map<string, Array<{ by: { id: string; name: string | null }; at: string }>>();
  for (const r of b.reads) readsBy.set(r.reportId, [...(readsBy.get(r.reportId) ?? []), { by: who(r.userId, names), at: toIso(r.readAt) }]);
  const custodyBy = new Map<string, Detail['evidence'][number]['custody']>();
  for (const c of b.custody) {
    custodyBy.set(c.evidenceId, [...(custodyBy.get(c.evidenceId) ?? []), {
      id: c.id, at: toIso(c.at), by: who(c.actorId, names), action: c.action as Detail['evidence'][number]['custody'][number]['action'], note: c.note,
    }]);
  }
  const personal = fromFlag(row.personalData) && row.discoveredAt !== null;
  const reg = personal ? regulatoryReminders({ learnedAt: row.discoveredAt!, unauthorizedAccess: row.kind === 'unauthorized_access', timeZone: row.timeZone }) : null;
  return {
    ...presentSecurityIncident(row, b.now),
    description: row.description,
    instants: {
      occurred: instant(row.occurredAt, row.occurredBy),
      discovered: instant(row.discoveredAt, row.discoveredBy),
      recognized: instant(row.recognizedAt, row.recognizedBy),
      reported: instant(row.reportedAt, row.reportedBy),
      contained: instant(row.containedAt, row.containedBy),
      threatRemoved: instant(row.threatRemovedAt, row.threatRemovedBy),
      closed: instant(row.closedAt, row.closedBy),
    },
    scope: {
      inScope: fromFlag(row.inScope),
      condition: row.outOfScopeCondition as Detail['scope']['condition'],
      reason: row.scopeReason,
      decidedAt: toIsoOrNull(row.scopeDecidedAt),
      decidedBy: row.scopeDecidedBy === null ? null : who(row.scopeDecidedBy, names),
    },
    regulatory: reg && {
      obligation: 'client', countedFrom: reg.from, preliminaryFrom: reg.preliminaryFrom, preliminaryBy: reg.preliminaryBy, finalBy: reg.finalBy, finalDays: reg.finalDays,
    },
    timeline: b.events.map((e) => {
      const data = e.data ? (JSON.parse(e.data) as Record<string, unknown>) : {};
      return {
        id: e.id, at: toIso(e.at), recordedAt: toIso(e.recordedAt), kind: e.kind as Detail['timeline'][number]['kind'],
        visibility: e.visibility as 'public' | 'internal', author: e.authorId === null ? null : who(e.authorId, names),
        event: typeof data.event === 'string' ? data.event : null, params: stringParams(data), body: e.body,
      };
    }),
    reports: b.reports.map((r) => {
      const snap = JSON.parse(r.snapshot) as { status: Detail['status']; instants: Record<string, number | null>; inScope: boolean };
      return {
        id: r.id, kind: r.kind as Detail['reports'][number]['kind'], seq: r.seq, title: r.title, body: r.body,
        issuedAt: toIso(r.issuedAt), issuedBy: who(r.issuedBy, names),
        snapshot: { status: snap.status, inScope: snap.inScope, instants: Object.fromEntries(Object.entries(snap.instants).map(([k, v]) => [k, toIsoOrNull(v)])) },
        reads: readsBy.get(r.id) ?? [],
        deliveries: (b.deliveries.get(r.id) ?? []).map(presentDelivery),
      };
    }),
    evidence: b.evidence.map((e) => ({
      id: e.id, fileName: e.fileName, mediaType: e.mediaType, sizeBytes: e.sizeBytes, sha256: e.sha256, description: e.description,
      shared: fromFlag(e.shared), uploadedAt: toIso(e.uploadedAt), uploadedBy: who(e.uploadedBy, names), custody: custodyBy.get(e.id) ?? [],
    })),
    links: b.links.map((l) => ({
      id: l.id, kind: l.kind as Detail['links'][number]['kind'], targetId: l.targetId, note: l.note, createdAt: toIso(l.createdAt), createdBy: who(l.createdBy, names),
    })),
    commands: b.internal ? commandsOf(row) : [],
  };
}
