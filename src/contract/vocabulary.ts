/**
 * The API's vocabulary: the closed sets of words an incident and an SLA policy
 * are written in. Server, CLI and web all read them from here, so a word added
 * here reaches the schema, the OpenAPI document and the web's pickers at once.
 */

/** new → recognized → in_progress (着手) ⇄ waiting_for_client → solution_proposed → resolved → closed (SPEC §3). */
export const STATUSES = ['new', 'recognized', 'in_progress', 'waiting_for_client', 'solution_proposed', 'resolved', 'closed'] as const;
export type Status = (typeof STATUSES)[number];

export const OPEN_STATUSES: readonly Status[] = ['new', 'recognized', 'in_progress', 'waiting_for_client', 'solution_proposed'];

/** e-mail and monitoring arrive with their own issues; the values exist now so data need not migrate. */
export const CHANNELS = ['phone', 'web', 'api', 'email', 'monitoring'] as const;
export type Channel = (typeof CHANNELS)[number];

export const CATEGORIES = ['outage', 'bug', 'inquiry', 'change_request', 'security', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

export const PRIORITIES = ['urgent', 'important', 'minor'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** start = 着手 (start of work), resolve = 解決, propose = 解決策提示 (solution proposed). */
export const TARGET_KINDS = ['start', 'resolve', 'propose'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/** The instant a target's clock counts from. */
export const ANCHORS = ['recognized', 'started'] as const;
export type Anchor = (typeof ANCHORS)[number];
