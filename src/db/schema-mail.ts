/**
 * Tables of the e-mail channel (migration *_mail.ts), composed into `DB` and
 * `tableColumns` by schema.ts. Same conventions: epoch ms instants, 0/1 flags,
 * JSON documents as text.
 */
export interface MailMessagesTable {
  id: string;
  /** imap | smtp */
  source: string;
  /** Where it came from: `imap://user@host:port/INBOX` or `smtp`. */
  mailbox: string;
  uidValidity: number | null;
  uid: number | null;
  /** Message-ID without angle brackets. */
  messageId: string | null;
  envelopeFrom: string | null;
  /** Envelope recipients (SMTP) or To/Cc/Delivered-To addresses, comma-separated, lower-cased. */
  envelopeTo: string;
  /** Arrival (IMAP INTERNALDATE, or when the listener accepted it). */
  receivedAt: number;
  size: number;
  /** The exact bytes, base64. */
  raw: string;
  /** received | incident | reply | duplicate | ignored | triage | unparseable */
  status: string;
  reason: string | null;
  fromAddress: string | null;
  fromName: string | null;
  subject: string | null;
  textBody: string | null;
  /** The HTML part as received; only ever served with a sandboxing CSP. */
  htmlBody: string | null;
  /** [{filename, contentType, size, checksum}] as JSON. */
  attachments: string;
  contractId: string | null;
  incidentId: string | null;
  createdAt: number;
  updatedAt: number;
  /** The SPF/DKIM/DMARC verdict of our own MX (Authentication-Results), JSON; null without one. */
  authResults: string | null;
}

/** The reply token of an incident: `[#number-token]` in our mail's subjects (random, never derived from the number). */
export interface MailReplyTokensTable {
  incidentId: string;
  token: string;
}

export interface MailThreadIdsTable {
  messageId: string;
  incidentId: string;
  /** in | out */
  direction: string;
  createdAt: number;
}

export interface MailRoutesTable {
  address: string;
  /** null = the triage queue */
  contractId: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface MailContractSettingsTable {
  contractId: string;
  acknowledge: number;
  locale: string;
  updatedAt: number;
}

export interface MailOutboundTable {
  id: string;
  /** ack | reply */
  kind: string;
  incidentId: string | null;
  toAddress: string;
  messageId: string;
  createdAt: number;
}

/**
 * One outbound message's fate per recipient (migration *_mail_deliveries.ts), written by
 * the `mail.outbound` job. `messageKey` is the job's dedupe key.
 */
export interface MailDeliveriesTable {
  messageKey: string;
  recipient: string;
  /** queued | sent | failed */
  status: string;
  /** sent: the server's reply to the message ("250 2.0.0 Ok: queued as …"); failed: the refusal or error; queued: the last retried error. */
  detail: string | null;
  attempts: number;
  queuedAt: number;
  updatedAt: number;
}

export interface MailIntakeStateTable {
  mailbox: string;
  consecutiveErrors: number;
  lastError: string | null;
  lastErrorAt: number | null;
  lastOkAt: number | null;
  alertSince: number | null;
  updatedAt: number;
}

export interface MailDB {
  mailMessages: MailMessagesTable;
  mailThreadIds: MailThreadIdsTable;
  mailRoutes: MailRoutesTable;
  mailContractSettings: MailContractSettingsTable;
  mailOutbound: MailOutboundTable;
  mailIntakeState: MailIntakeStateTable;
  mailReplyTokens: MailReplyTokensTable;
  mailDeliveries: MailDeliveriesTable;
}

export const mailTableColumns = {
  mailMessages: [
    'id', 'source', 'mailbox', 'uidValidity', 'uid', 'messageId', 'envelopeFrom', 'envelopeTo', 'receivedAt', 'size',
    'raw', 'status', 'reason', 'fromAddress', 'fromName', 'subject', 'textBody', 'htmlBody', 'attachments',
    'contractId', 'incidentId', 'createdAt', 'updatedAt', 'authResults',
  ],
  mailThreadIds: ['messageId', 'incidentId', 'direction', 'createdAt'],
  mailRoutes: ['address', 'contractId', 'createdAt', 'updatedAt'],
  mailContractSettings: ['contractId', 'acknowledge', 'locale', 'updatedAt'],
  mailOutbound: ['id', 'kind', 'incidentId', 'toAddress', 'messageId', 'createdAt'],
  mailIntakeState: ['mailbox', 'consecutiveErrors', 'lastError', 'lastErrorAt', 'lastOkAt', 'alertSince', 'updatedAt'],
  mailReplyTokens: ['incidentId', 'token'],
  mailDeliveries: ['messageKey', 'recipient', 'status', 'detail', 'attempts', 'queuedAt', 'updatedAt'],
} as const;
