/**
 * Instants in texts people read — e-mails, escalations, comments the desk writes. The formatter
 * itself is src/core/time/instant-words.ts, shared with the console and portal
 * (web/lib/format.ts formatInstant) so the two cannot drift; this re-export keeps the server's
 * importers where they were.
 */
export { dateWords, when, whenRange, zoneAbbreviation, zoneName } from '../core/time/instant-words.ts';
