/** Who is acting. Every service call takes one; contacts are scoped to their client. */
export type Role = 'admin' | 'agent' | 'contact';

export interface Actor {
  userId: string;
  role: Role;
  /** Set for contacts (their client), null for vendor staff. */
  clientId: string | null;
}

/** The actor for CLI commands, migrations, demo data and background jobs. */
export const SYSTEM_ACTOR: Actor = { userId: 'system', role: 'admin', clientId: null };
