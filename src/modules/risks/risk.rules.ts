/**
 * The risk register's pure decisions (no I/O): the input types, the problems of a rating on
 * a criteria version, which sources name a record (and are linked to it), the systems a risk
 * may name, the columns a rating writes, the level reviews follow, and an acceptance's expiry.
 */
import { rate, ratingProblems, type Rated, type Rating, type RiskCriteria } from '../../core/risk/scoring.ts';
import { instantOfLocal, localDayNumberOf } from '../../core/time/zone.ts';
import { parseIsoDate } from '../../core/time/civil.ts';
import { rule } from '../../contract/errors.ts';
import type { RISK_LINK_KINDS, RISK_SOURCES } from '../../contract/risks.ts';
import { AppError, type ErrorIssue } from '../../errors.ts';
import { linkableFrom, type LinkTargetLookup } from '../links/link-target.ts';
import { RISK_TIME_ZONE } from './risk.notify.ts';
import type * as repo from './risk.repository.ts';

type Source = (typeof RISK_SOURCES)[number];
export type LinkKind = (typeof RISK_LINK_KINDS)[number];

export interface RiskInput {
  contractId: string;
  title: string;
  description?: string | undefined;
  affectedSystemIds?: string[] | undefined;
  category: string;
  source: Source;
  sourceId?: string | undefined;
  ownerId: string;
  treatment?: string | undefined;
  inherent: Rating;
  residual?: Rating | undefined;
}

/** What another module (security incidents, incidents, change requests) gives to open a risk from its record. */
export interface RiskFromSource extends Omit<RiskInput, 'source' | 'sourceId' | 'category'> {
  source: 'security_incident' | 'incident' | 'change_request';
  sourceId: string;
  category?: string;
}

export interface RiskPatch {
  title?: string | undefined;
  description?: string | undefined;
  affectedSystemIds?: string[] | undefined;
  category?: string | undefined;
  ownerId?: string | undefined;
  treatment?: string | undefined;
}

export interface ControlInput {
  title: string;
  description?: string | undefined;
  ownerId: string;
  dueOn?: string | undefined;
  present?: boolean | undefined;
}

export interface ControlPatch {
  title?: string | undefined;
  description?: string | undefined;
  ownerId?: string | undefined;
  dueOn?: string | null | undefined;
  status?: string | undefined;
}

/** Link kinds that are also sources: a risk opened from such a record is linked to it. */
export const LINKABLE_SOURCES: ReadonlySet<string> = new Set(['incident', 'change_request', 'security_incident']);
export const isLinkKind = (source: string): source is LinkKind => LINKABLE_SOURCES.has(source);

export const invalid = (issues: ErrorIssue[]) => new AppError('risk.invalid', issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), issues);

export function parseCriteria(row: repo.CriteriaRow): RiskCriteria {
  return JSON.parse(row.document) as RiskCriteria;
}

/** The level reviews follow: the residual one once there is a residual rating (what remains), else the inherent one. */
export const currentLevel = (r: Pick<repo.RiskRow, 'inherentLevel' | 'residualLevel'>) => (r.residualLevel ?? r.inherentLevel) as Rated['level'];

/**
 * How a link's target is looked up, per kind: its client, or null when there is no such record
 * the actor may see. The composition root passes the incident, change-request and
 * security-incident services' lookups (this module does not import them).
 */
export type LinkTargets = Record<LinkKind, LinkTargetLookup>;

/** A link (or a registered source) must name a record the actor may see, of the risk's client. */
export function checkLinkTarget(clientId: string, kind: string, targetId: string, target: { clientId: string } | null, field = 'targetId'): void {
  if (!linkableFrom(target, clientId)) {
    const message = `no ${kind} ${targetId} of this client`;
    throw new AppError('risk.link_not_found', message, [{ path: ['body', field], code: 'not_found', message }], { kind, targetId });
  }
}

export function ratingIssues(c: RiskCriteria, r: Rating, at: string): ErrorIssue[] {
  return ratingProblems(c, r).map((p) => ({
    path: ['body', at, p.field], code: 'too_big' as const, message: `${p.field} must be 1…${p.max}`, params: { origin: 'number', maximum: p.max },
  }));
}

/** A source that names a record (incident, change, security incident) goes with its id; the others without. */
export function sourceIssues(source: string, sourceId: string | undefined): ErrorIssue[] {
  if (LINKABLE_SOURCES.has(source) === Boolean(sourceId)) return [];
  return [{ path: ['body', 'sourceId'], code: sourceId ? 'not_allowed' : 'required', message: 'sourceId goes with an incident / change / security incident source' }];
}

/** The affected systems must be systems of the risk's contract. */
export function systemIssues(systems: readonly string[], contractSystems: readonly string[]): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  systems.forEach((s, i) => {
    if (!contractSystems.includes(s)) issues.push({ path: ['body', 'affectedSystemIds', i], code: 'not_found', message: 'not a system of the contract' });
  });
  return issues;
}

/** The score columns of an inherent and an optional residual rating on `criteria`. */
export function scoreColumns(criteria: RiskCriteria, inherentIn: Rating, residualIn: Rating | null) {
  const inherent = rate(criteria, inherentIn);
  const residual = residualIn ? rate(criteria, residualIn) : null;
  return {
    inherentLikelihood: inherent.likelihood, inherentImpact: inherent.impact, inherentScore: inherent.score, inherentLevel: inherent.level,
    residualLikelihood: residual?.likelihood ?? null, residualImpact: residual?.impact ?? null,
    residualScore: residual?.score ?? null, residualLevel: residual?.level ?? null,
  };
}

/** The residual rating a rescore keeps when none is given: the one the risk has. */
export function keptResidual(r: repo.RiskRow, given: Rating | null | undefined): Rating | null {
  if (given !== undefined) return given;
  return r.residualLikelihood !== null && r.residualImpact !== null ? { likelihood: r.residualLikelihood, impact: r.residualImpact } : null;
}

/** Title, description, owner or due date make a new revision of a control (the client acknowledged the old one); status does not. */
export const controlChanged = (before: repo.ControlRow, patch: ControlPatch): boolean =>
  (['title', 'description', 'ownerId', 'dueOn'] as const).some((k) => patch[k] !== undefined && patch[k] !== before[k]);

/** An acceptance lasts until the end of `expiresOn` (Asia/Tokyo), a day after today; the instant it lapses. */
export function acceptanceExpiry(expiresOn: string, now: number): number {
  const day = parseIsoDate(expiresOn);
  if (day === null || day <= localDayNumberOf(RISK_TIME_ZONE, now)) {
    throw invalid([{ path: ['body', 'expiresOn'], code: 'invalid', message: 'expiry must be after today', params: rule('after_today') }]);
  }
  return instantOfLocal(RISK_TIME_ZONE, day + 1, 0);
}
