/**
 * One schema for the process configuration, parsed once from the environment.
 * Secrets (database password, SMTP credentials) never leave through `redactedConfig`.
 */
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

export const configSchema = z.object({
  HOSHU_DATA_DIR: z.string().min(1).default('./data'),
  /** postgres://… selects PostgreSQL; sqlite:/path or unset selects SQLite in the data dir. */
  DATABASE_URL: z.string().min(1).optional(),
  PORT: port.default(8080),
  /**
   * The address the HTTP server binds to. Loopback by default: a desk reachable from
   * other machines is a deliberate choice (`0.0.0.0` or `::` for every interface, or
   * one address). `HOST` is the older name, read when HOSHU_HOST is unset.
   */
  HOSHU_HOST: z.string().min(1).optional(),
  HOST: z.string().min(1).optional(),
  /** Whole-request limit (headers and body) in ms: a client trickling its request is cut off with 408. */
  HOSHU_HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).default(60_000),
  /** Headers must arrive within this many ms (slowloris); at most the request timeout. */
  HOSHU_HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1000).default(20_000),
  /** A connection with no traffic at all for this long is closed (also during a slow handler: keep it above the slowest answer). */
  HOSHU_HTTP_IDLE_TIMEOUT_MS: z.coerce.number().int().min(1000).default(120_000),
  /** How long an idle keep-alive connection stays open; keep it above your proxy's upstream idle timeout. */
  HOSHU_HTTP_KEEPALIVE_TIMEOUT_MS: z.coerce.number().int().min(1000).default(72_000),
  /** Strict-Transport-Security max-age in seconds, sent on requests that came over https; 0 = no HSTS. */
  HOSHU_HSTS_MAX_AGE: z.coerce.number().int().min(0).default(31_536_000),
  /**
   * PostgreSQL connections of this process's pool (its LISTEN connection and one per IMAP
   * mailbox come on top). With several app processes on one server, divide the server's
   * budget between them: more backends than cores only queue on PostgreSQL's own locks.
   */
  HOSHU_PG_POOL: z.coerce.number().int().min(1).max(500).default(10),
  /** SQLite durability: full (survives power loss; group commit shares its fsync) or normal (app crashes only). */
  HOSHU_SQLITE_SYNC: z.enum(['normal', 'full']).default('full'),
  /** Full SMTP URL (smtp://user:pass@host:587); wins over HOST/PORT pieces. */
  HOSHU_SMTP_URL: z.string().url().optional(),
  HOSHU_SMTP_HOST: z.string().min(1).optional(),
  HOSHU_SMTP_PORT: port.optional(),
  HOSHU_SMTP_SECURE: z.enum(['true', 'false']).default('false'),
  HOSHU_MAIL_FROM: z.string().min(3).default('Hoshu <hoshu@localhost>'),
  /** The desk's own address: copied on every SLA warning and breach. */
  HOSHU_DESK_EMAIL: z.string().email().optional(),
  /** Public base URL used in links inside e-mails. */
  HOSHU_BASE_URL: z.string().url().optional(),
  /** How often the in-process scheduler looks for due jobs, in ms. */
  HOSHU_JOB_POLL_MS: z.coerce.number().int().min(50).default(1000),
  /** How long a job claim is held before another process may take the job over (unset: 5 min for jobs, 2 min for check batches). */
  HOSHU_JOB_LEASE_MS: z.coerce.number().int().min(1000).optional(),
  HOSHU_MONITOR_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
  /** Set to "false" to run an HTTP-only process (jobs handled elsewhere). */
  HOSHU_RUN_JOBS: z.enum(['true', 'false']).default('true'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Which X-Forwarded-For/-Proto entries to believe: `false`, a hop count, or the
   * addresses/CIDRs of our own proxies (see parseTrustProxy). Never `true`.
   */
  HOSHU_TRUST_PROXY: z.string().default('false').transform((v, ctx) => {
    const r = parseTrustProxy(v);
    if (typeof r === 'string') {
      ctx.addIssue({ code: 'custom', message: r });
      return z.NEVER;
    }
    return r;
  }),
  /** Session cookies' Secure flag: auto (when the request came over https), true or false. */
  HOSHU_COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  /** IMAP mailboxes to read, whitespace-separated: imap[s]://user:pass@host[:port]/INBOX[?contract=<id>&moveTo=Folder]. */
  HOSHU_IMAP_URL: z.string().min(1).optional(),
  HOSHU_IMAP_POLL_MS: z.coerce.number().int().min(1000).default(60_000),
  /** The built-in SMTP listener (inbound mail); off unless set. HOSHU_SMTP_PORT is the outbound relay's port. */
  HOSHU_SMTP_LISTEN_PORT: port.optional(),
  HOSHU_SMTP_LISTEN_HOST: z.string().min(1).default('127.0.0.1'),
  /** Largest inbound message in bytes (the SMTP listener refuses bigger ones with 552). */
  HOSHU_MAIL_MAX_BYTES: z.coerce.number().int().min(1024).default(25 * 1024 * 1024),
  /** Charset of outbound desk mail (acknowledgements, replies). */
  /** The largest incident attachment accepted (bytes; default 20 MiB). */
  HOSHU_ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1).default(20 * 1024 * 1024),
  HOSHU_MAIL_CHARSET: z.enum(['utf-8', 'iso-2022-jp']).default('utf-8'),
  /** Loop guard: acknowledgements per sender per hour. */
  HOSHU_MAIL_ACKS_PER_HOUR: z.coerce.number().int().min(0).default(5),
  /** The authserv-id our own MX writes in Authentication-Results; only its SPF/DKIM/DMARC verdicts are read. */
  HOSHU_MAIL_AUTHSERV_ID: z.string().min(1).optional(),
  NODE_ENV: z.string().optional(),
  /** 32 bytes, base64 or hex: seals stored webhook secrets. Unset: `<data dir>/secret.key`, made on first start. */
  HOSHU_SECRET_KEY: z.string().regex(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/, '32 bytes as 64 hex digits or base64').optional(),
});

/**
 * What Fastify's `trustProxy` gets: false, how many proxies stand in front of us, or
 * their addresses. Never `true`: that believes the LEFT-most X-Forwarded-For entry,
 * which the client writes itself, so anyone could pick their own address (and with
 * it escape the per-address login limit).
 */
export type TrustProxy = false | number | string[];

/** proxy-addr's names for address ranges, accepted beside addresses and CIDRs. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrCidr(item: string): boolean {
  if (PROXY_RANGE_NAMES.has(item)) return true;
  const [address = '', prefix, ...rest] = item.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * `false` (default): no proxy, the TCP peer is the client. `1`, `2`, …: that many
 * proxies of ours in front, each appending the address it saw. `10.0.0.1,10.1.0.0/16`
 * (or `loopback`, `linklocal`, `uniquelocal`): our proxies' addresses. Returns the
 * value, or the reason it is refused.
 */
export function parseTrustProxy(raw: string): TrustProxy | string {
  const v = raw.trim();
  if (v === 'false' || v === '0') return false;
  if (v === 'true') {
    return 'true would trust the left-most X-Forwarded-For entry, which the client writes itself; '
      + 'set the number of proxies in front of Hoshu (e.g. 1) or their addresses/CIDRs (e.g. 127.0.0.1 or 10.0.0.0/8,loopback), or false';
  }
  if (/^\d+$/.test(v)) return Number(v);
  const items = v.split(',').map((x) => x.trim()).filter(Boolean);
  const bad = items.filter((x) => !isAddressOrCidr(x));
  if (items.length === 0 || bad.length > 0) {
    return `not a hop count or a list of proxy addresses/CIDRs: ${bad.join(', ') || v}; `
      + 'use false, the number of proxies in front of Hoshu (e.g. 1), or their addresses (e.g. 127.0.0.1,10.0.0.0/8)';
  }
  return items;
}

/**
 * The value for Fastify's `trustProxy`. Fastify 5 ignores a plain hop count (it trusts
 * nothing then, to fail closed), so a count becomes proxy-addr's own rule: the first
 * `n` hops counted from our socket are proxies, the address before them the client.
 */
export function fastifyTrustProxy(tp: TrustProxy): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof tp === 'number') return tp > 0 ? (_address, hop) => hop < tp : false;
  return tp;
}

export type DatabaseConfig =
  | { dialect: 'sqlite'; file: string; synchronous?: 'normal' | 'full' }
  | { dialect: 'postgres'; url: string; poolSize?: number };

export interface SmtpConfig {
  /** nodemailer transport options or URL; null = mail disabled (logged, not sent). */
  transport: string | { host: string; port: number; secure: boolean } | null;
  from: string;
  deskEmail: string | null;
}

export interface Config {
  dataDir: string;
  database: DatabaseConfig;
  port: number;
  host: string;
  http: HttpServerConfig;
  smtp: SmtpConfig;
  baseUrl: string;
  jobPollMs: number;
  /** HOSHU_JOB_LEASE_MS; null: the runner's defaults. */
  jobLeaseMs: number | null;
  /** HOSHU_MONITOR_RETENTION_DAYS: raw check results (runs) kept this long, older ones rolled up. */
  monitorRetentionDays: number;
  runJobs: boolean;
  logLevel: z.infer<typeof configSchema>['LOG_LEVEL'];
  trustProxy: TrustProxy;
  cookieSecure: boolean | 'auto';
  mail: MailChannelConfig;
  /** HOSHU_SECRET_KEY (never printed); null: the key file in the data directory. */
  secretKey: string | null;
  /** HOSHU_ATTACHMENT_MAX_BYTES: the largest incident attachment accepted. */
  attachmentMaxBytes: number;
}

/** Time limits of the HTTP server (src/http/app.ts) and the HSTS header; all in ms but hstsMaxAge (s). */
export interface HttpServerConfig {
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  idleTimeoutMs: number;
  keepAliveTimeoutMs: number;
  hstsMaxAge: number;
}

/** The e-mail channel (src/modules/mail). */
export interface MailChannelConfig {
  imapUrls: string[];
  imapPollMs: number;
  smtpListen: { port: number; host: string } | null;
  maxBytes: number;
  charset: 'utf-8' | 'iso-2022-jp';
  acksPerHour: number;
  /** HOSHU_MAIL_AUTHSERV_ID; null = no Authentication-Results header is trusted. */
  authservId: string | null;
}

export function databaseConfigFromUrl(url: string | undefined, dataDir: string): DatabaseConfig {
  if (url && /^postgres(ql)?:\/\//.test(url)) return { dialect: 'postgres', url };
  if (url && url.startsWith('sqlite:')) return { dialect: 'sqlite', file: url.slice('sqlite:'.length) };
  if (url) throw new Error(`DATABASE_URL must start with postgres:// or sqlite: (got ${redactUrl(url)})`);
  return { dialect: 'sqlite', file: path.join(dataDir, 'hoshu.db') };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (FOO= in a unit file or .env) means "not set", not "invalid".
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.HOSHU_DATA_DIR);
  let transport: SmtpConfig['transport'] = null;
  if (e.HOSHU_SMTP_URL) transport = e.HOSHU_SMTP_URL;
  else if (e.HOSHU_SMTP_HOST) {
    transport = { host: e.HOSHU_SMTP_HOST, port: e.HOSHU_SMTP_PORT ?? 25, secure: e.HOSHU_SMTP_SECURE === 'true' };
  }
  const database = databaseConfigFromUrl(e.DATABASE_URL, dataDir);
  if (database.dialect === 'sqlite') database.synchronous = e.HOSHU_SQLITE_SYNC;
  else database.poolSize = e.HOSHU_PG_POOL;
  return {
    dataDir,
    database,
    port: e.PORT,
    host: e.HOSHU_HOST ?? e.HOST ?? '127.0.0.1',
    http: {
      requestTimeoutMs: e.HOSHU_HTTP_REQUEST_TIMEOUT_MS,
      headersTimeoutMs: Math.min(e.HOSHU_HTTP_HEADERS_TIMEOUT_MS, e.HOSHU_HTTP_REQUEST_TIMEOUT_MS),
      idleTimeoutMs: e.HOSHU_HTTP_IDLE_TIMEOUT_MS,
      keepAliveTimeoutMs: e.HOSHU_HTTP_KEEPALIVE_TIMEOUT_MS,
      hstsMaxAge: e.HOSHU_HSTS_MAX_AGE,
    },
    smtp: { transport, from: e.HOSHU_MAIL_FROM, deskEmail: e.HOSHU_DESK_EMAIL ?? null },
    baseUrl: e.HOSHU_BASE_URL ?? `http://localhost:${e.PORT}`,
    jobPollMs: e.HOSHU_JOB_POLL_MS,
    jobLeaseMs: e.HOSHU_JOB_LEASE_MS ?? null,
    monitorRetentionDays: e.HOSHU_MONITOR_RETENTION_DAYS,
    runJobs: e.HOSHU_RUN_JOBS === 'true',
    logLevel: e.LOG_LEVEL,
    trustProxy: e.HOSHU_TRUST_PROXY,
    cookieSecure: e.HOSHU_COOKIE_SECURE === 'auto' ? 'auto' : e.HOSHU_COOKIE_SECURE === 'true',
    mail: {
      imapUrls: e.HOSHU_IMAP_URL ? e.HOSHU_IMAP_URL.split(/\s+/).filter(Boolean) : [],
      imapPollMs: e.HOSHU_IMAP_POLL_MS,
      smtpListen: e.HOSHU_SMTP_LISTEN_PORT !== undefined ? { port: e.HOSHU_SMTP_LISTEN_PORT, host: e.HOSHU_SMTP_LISTEN_HOST } : null,
      maxBytes: e.HOSHU_MAIL_MAX_BYTES,
      charset: e.HOSHU_MAIL_CHARSET,
      acksPerHour: e.HOSHU_MAIL_ACKS_PER_HOUR,
      authservId: e.HOSHU_MAIL_AUTHSERV_ID ?? null,
    },
    secretKey: e.HOSHU_SECRET_KEY ?? null,
    attachmentMaxBytes: e.HOSHU_ATTACHMENT_MAX_BYTES,
  };
}

/** Replaces the password of a URL with "***" for logs and error messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:***@');
}

/** The configuration as it may be printed or logged. */
export function redactedConfig(c: Config): unknown {
  return {
    ...c,
    database: c.database.dialect === 'postgres' ? { ...c.database, url: redactUrl(c.database.url) } : c.database,
    smtp: { ...c.smtp, transport: typeof c.smtp.transport === 'string' ? redactUrl(c.smtp.transport) : c.smtp.transport },
    mail: { ...c.mail, imapUrls: c.mail.imapUrls.map(redactUrl) },
    secretKey: c.secretKey ? '[redacted]' : null,
  };
}
