/**
 * Who may do what with e-mail. Staff work the intake (every stored message, triage,
 * replies); a contact reads only the mail of their own client's incidents — any
 * other message is mail_message.not_found.
 */
import { EVERYONE, STAFF, definePolicy } from '../auth/access.ts';

export const MAIL_POLICY = definePolicy({
  'mail_message.list': STAFF,
  'mail_message.read': STAFF,
  /** Any stored message's body, attachments and HTML, whether or not it reached an incident. */
  'mail_message.read_any': STAFF,
  /** A message's attachments and HTML part (contacts: only their incidents' mail). */
  'mail_message.content': EVERYONE,
  /** The mail of one incident. */
  'mail_message.of_incident': EVERYONE,
  /** File an unrouted message as an incident of a contract. */
  'mail_message.assign': STAFF,
  /** Reply to the client by e-mail from an incident. */
  'mail_message.reply': STAFF,
  /** What the desk sent about an incident (acknowledgements, replies) and each recipient's delivery. */
  'mail_message.outbound_of_incident': STAFF,
  /** The health of the intake mailboxes. */
  'mail_message.intake_status': STAFF,
});
