/** Who may read the live dashboard: everyone signed in; a contact sees only their own client's contracts in it. */
import { EVERYONE, definePolicy } from '../auth/access.ts';

export const DASHBOARD_POLICY = definePolicy({
  /** The dashboard of all contracts the actor may see, or of one of them. */
  'contract.dashboard': EVERYONE,
});
