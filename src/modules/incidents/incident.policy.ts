/**
 * Who may do what with incidents. Scoping (a contact sees only their client's
 * incidents; anything else is incident.not_found) and the staff-only moves are
 * enforced in the incident service through auth/access.ts; what the HTTP layer
 * adds is the channel an incident arrives by.
 */
import type { RequestAuth } from '../../http/auth-hooks.ts';
import type { Channel } from '../../contract/vocabulary.ts';

/** Filed over the REST API with a token → "api"; from the web UI/portal session → "web". Staff may say "phone". */
export function channelFor(auth: RequestAuth, requested: 'phone' | 'web' | 'api' | undefined): Channel {
  return requested ?? (auth.kind === 'token' ? 'api' : 'web');
}
