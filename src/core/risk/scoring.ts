/**
 * Risk scoring, pure: a risk is rated likelihood × impact on the scale of one version of the
 * register's criteria; the score is the product and the level is the highest band whose
 * `minScore` the score reaches. The level decides how often the risk is reviewed. No clock
 * here: "from" and "now" come in as parameters.
 *
 * A criteria version never changes once written (the service stores a new version for a new
 * scale), so a risk's stored score and level stay what they were under the version it was
 * rated on; `rate` is only ever asked with the version it names.
 */

export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** One named step of a scale: its value (1…n) and its name in each language. */
export interface ScaleStep {
  value: number;
  ja: string;
  en: string;
}

export interface LevelBand {
  level: RiskLevel;
  /** The lowest score of this band. */
  minScore: number;
  /** Days between reviews of a risk at this level. */
  reviewDays: number;
}

export interface RiskCriteria {
  likelihood: ScaleStep[];
  impact: ScaleStep[];
  /** Ascending by minScore; the first starts at 1, the lowest possible score. */
  levels: LevelBand[];
  /** A review not done this many days after it fell due is overdue (escalated). */
  overdueAfterDays: number;
}

export interface Rating {
  likelihood: number;
  impact: number;
}

export interface Rated extends Rating {
  score: number;
  level: RiskLevel;
}

const DAY_MS = 86_400_000;

/** The scale the register starts with: 1–5 × 1–5, reviews monthly for high, every 6 months for low. */
export const DEFAULT_RISK_CRITERIA: RiskCriteria = {
  likelihood: [
    { value: 1, ja: 'まれ', en: 'Rare' },
    { value: 2, ja: '起こりにくい', en: 'Unlikely' },
    { value: 3, ja: '起こりうる', en: 'Possible' },
    { value: 4, ja: '起こりやすい', en: 'Likely' },
    { value: 5, ja: 'ほぼ確実', en: 'Almost certain' },
  ],
  impact: [
    { value: 1, ja: '軽微', en: 'Negligible' },
    { value: 2, ja: '小', en: 'Minor' },
    { value: 3, ja: '中', en: 'Moderate' },
    { value: 4, ja: '大', en: 'Major' },
    { value: 5, ja: '重大', en: 'Severe' },
  ],
  levels: [
    { level: 'low', minScore: 1, reviewDays: 180 },
    { level: 'medium', minScore: 5, reviewDays: 90 },
    { level: 'high', minScore: 10, reviewDays: 30 },
    { level: 'critical', minScore: 17, reviewDays: 14 },
  ],
  overdueAfterDays: 14,
};

export type RatingProblem = { field: 'likelihood' | 'impact'; max: number };

/** What is wrong with a rating on this scale (a value outside 1…n), empty when it fits. */
export function ratingProblems(c: RiskCriteria, r: Rating): RatingProblem[] {
  const out: RatingProblem[] = [];
  if (!c.likelihood.some((s) => s.value === r.likelihood)) out.push({ field: 'likelihood', max: c.likelihood.length });
  if (!c.impact.some((s) => s.value === r.impact)) out.push({ field: 'impact', max: c.impact.length });
  return out;
}

/** The level of a score under these criteria. */
export function levelOf(c: RiskCriteria, score: number): RiskLevel {
  let level: RiskLevel = c.levels[0]?.level ?? 'low';
  for (const b of c.levels) if (score >= b.minScore) level = b.level;
  return level;
}

/** Score and level of a rating; throws on a rating that does not fit (callers check `ratingProblems` first). */
export function rate(c: RiskCriteria, r: Rating): Rated {
  if (ratingProblems(c, r).length) throw new RangeError(`rating ${r.likelihood}×${r.impact} is outside the scale`);
  const score = r.likelihood * r.impact;
  return { ...r, score, level: levelOf(c, score) };
}

/** When a risk at this level reviewed (or registered) at `from` is next due for review. */
export function reviewDueAt(c: RiskCriteria, level: RiskLevel, from: number): number {
  const band = c.levels.find((b) => b.level === level) ?? c.levels[0];
  return from + (band?.reviewDays ?? 180) * DAY_MS;
}

/** When a review due at `dueAt` becomes overdue (escalated). */
export const reviewOverdueAt = (c: RiskCriteria, dueAt: number): number => dueAt + c.overdueAfterDays * DAY_MS;

export type ReviewState = 'none' | 'ok' | 'due' | 'overdue';

/** The review's state at `now`: due from its instant, overdue from the grace's end. */
export function reviewState(c: RiskCriteria, nextReviewAt: number | null, now: number): ReviewState {
  if (nextReviewAt === null) return 'none';
  if (now >= reviewOverdueAt(c, nextReviewAt)) return 'overdue';
  return now >= nextReviewAt ? 'due' : 'ok';
}

/**
 * Rules a criteria document must follow beyond its shape: each scale numbered 1…n in order,
 * bands ascending with the first at 1 and each reachable (≤ the highest score), each level once. Returned as (path, rule) pairs so the
 * contract can word them; empty when the document is sound.
 */
export type CriteriaRule = 'scale_numbered' | 'bands_ascending' | 'band_unreachable' | 'duplicate';
export function criteriaProblems(c: RiskCriteria): Array<{ path: (string | number)[]; rule: CriteriaRule }> {
  const out: Array<{ path: (string | number)[]; rule: CriteriaRule }> = [];
  const maxScore = c.likelihood.length * c.impact.length;
  for (const axis of ['likelihood', 'impact'] as const) {
    c[axis].forEach((s, i) => {
      if (s.value !== i + 1) out.push({ path: [axis, i, 'value'], rule: 'scale_numbered' });
    });
  }
  const seen = new Set<RiskLevel>();
  c.levels.forEach((b, i) => {
    if (seen.has(b.level)) out.push({ path: ['levels', i, 'level'], rule: 'duplicate' });
    seen.add(b.level);
    const prev = c.levels[i - 1];
    if (i === 0 ? b.minScore !== 1 : prev !== undefined && b.minScore <= prev.minScore) out.push({ path: ['levels', i, 'minScore'], rule: 'bands_ascending' });
    // A level no rating can reach would never be used: most likely a scale shrunk and its bands forgotten.
    else if (b.minScore > maxScore) out.push({ path: ['levels', i, 'minScore'], rule: 'band_unreachable' });
  });
  return out;
}

/** Counts of ratings per (likelihood, impact) cell of the scale: rows by likelihood (high first), columns by impact. */
export function heatMap(c: RiskCriteria, ratings: readonly Rating[]): Array<{ likelihood: number; impact: number; score: number; level: RiskLevel; count: number }> {
  const counts = new Map<string, number>();
  for (const r of ratings) counts.set(`${r.likelihood}x${r.impact}`, (counts.get(`${r.likelihood}x${r.impact}`) ?? 0) + 1);
  const cells = [];
  for (const l of [...c.likelihood].reverse()) {
    for (const i of c.impact) {
      const score = l.value * i.value;
      cells.push({ likelihood: l.value, impact: i.value, score, level: levelOf(c, score), count: counts.get(`${l.value}x${i.value}`) ?? 0 });
    }
  }
  return cells;
}
