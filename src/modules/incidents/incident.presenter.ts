/** Incident model → API shape: instants as ISO strings, the policy version and paused intervals spelled out. */
import type { z } from 'zod';
import { toIso, toIsoOrNull } from '../../contract/common.ts';
import type { DeadlineExplanation, Incident, IncidentDetail } from '../../contract/incidents.ts';
import type { Explanation } from '../../core/sla/index.ts';
import type { Incident as IncidentModel, IncidentDetail as IncidentDetailModel } from './incident.model.ts';

export function presentIncident(i: IncidentModel): z.infer<typeof Incident> {
  return {
    id: i.id,
    number: i.number,
    contractId: i.contractId,
    clientId: i.clientId,
    systemId: i.systemId,
    title: i.title,
    description: i.description,
    channel: i.channel,
    category: i.category,
    priority: i.priority,
    suggestedPriority: i.suggestedPriority,
    status: i.status,
    inScope: i.inScope,
    outOfScopeReason: i.outOfScopeReason,
    billable: i.billable,
    assigneeId: i.assigneeId,
    reporter: i.reporter,
    notViaDesignatedContact: i.notViaDesignatedContact,
    policy: { id: i.slaPolicyId, version: i.slaPolicyVersion },
    calendarId: i.calendarId,
    receivedAt: toIso(i.receivedAt),
    recognizedAt: toIsoOrNull(i.recognizedAt),
    startedAt: toIsoOrNull(i.startedAt),
    proposedAt: toIsoOrNull(i.proposedAt),
    resolvedAt: toIsoOrNull(i.resolvedAt),
    closedAt: toIsoOrNull(i.closedAt),
    resolution: i.resolution ? { cause: i.resolution.cause, fix: i.resolution.fix, courseOfEvents: i.resolution.course } : null,
    targets: i.targets.map((t) => ({
      kind: t.kind,
      anchor: t.anchor,
      target: t.target,
      clock: t.clock,
      clockStart: toIsoOrNull(t.clockStart),
      dueAt: toIsoOrNull(t.dueAt),
      atRiskAt: toIsoOrNull(t.atRiskAt),
      metAt: toIsoOrNull(t.metAt),
      state: t.state,
      paused: t.paused,
      excluded: t.excluded,
    })),
    pausedIntervals: i.pauses.map((p) => ({ id: p.id, from: toIso(p.startedAt), to: toIsoOrNull(p.endedAt), reason: p.reason })),
    createdAt: toIso(i.createdAt),
    updatedAt: toIso(i.updatedAt),
  };
}

export function presentIncidentDetail(i: IncidentDetailModel): z.infer<typeof IncidentDetail> {
  return {
    ...presentIncident(i),
    timeline: i.timeline.map((e) => ({
      id: e.id, at: toIso(e.at), kind: e.kind, visibility: e.visibility, authorId: e.authorId, authorKind: e.authorKind, authorName: e.authorName, body: e.body, data: e.data,
    })),
  };
}

export function presentExplanation(e: Explanation): z.infer<typeof DeadlineExplanation> {
  return {
    dueAt: toIso(e.dueAt),
    due: e.due,
    timeZone: e.timeZone,
    totalSeconds: e.totalSeconds,
    counted: e.counted.map((c) => ({ from: c.from, to: c.to, seconds: c.seconds })),
    paused: e.paused,
  };
}
