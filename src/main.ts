/**
 * Composition root: config → database → migrations → services (each built ONCE,
 * collaborators handed in) → HTTP + the one job runner + mail intake,
 * all sharing those services. Nothing runs on import; the CLI (`hoshu serve`, `hoshu start`)
 * calls `startDesk`. Several processes may run against one PostgreSQL
 * database: each runs one job runner (timers, mail, health checks), and the job
 * table's claims keep every timer, check and mail exactly-once (set
 * HOSHU_RUN_JOBS=false for HTTP-only ones).
 */
import path from 'node:path';
import pino, { type Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { redactedConfig } from './config.ts';
import { startCheckpointer } from './db/checkpointer.ts';
import type { Database } from './db/database.ts';
import { openDatabase } from './open-database.ts';
import { unitOfWork } from './db/unit-of-work.ts';
import { pruneJobs } from './jobs/queue.ts';
import { JobRunner, type Handler } from './jobs/runner.ts';
import { Scheduler } from './jobs/scheduler.ts';
import { SLA_TIMER_JOB, createSlaTimerHandler } from './modules/incidents/incident.jobs.ts';
import { createMaintenanceJobHandlers } from './modules/maintenance/maintenance.jobs.ts';
import { createChangeRequestJobHandlers } from './modules/change-requests/change-request.jobs.ts';
import { createMonitoringJobHandlers } from './modules/monitoring/monitoring.jobs.ts';
import { armRollup, createRollupJobHandler } from './modules/monitoring/monitoring.rollup.ts';
import { createRiskJobHandlers } from './modules/risks/risk.jobs.ts';
import { createSecurityIncidentJobHandlers } from './modules/security-incidents/security-incident.jobs.ts';
import { createNotificationService } from './modules/notifications/notification.service.ts';
import { mailJobHandlers, mailOptionsOf, startMailIntake } from './modules/mail/mail.channel.ts';
import { createMailTransport } from './modules/mail/mail.outbound.ts';
import { createServices, type Services } from './http/services.ts';
import { rebuildListItems } from './modules/incidents/incident.list-rebuild.ts';
import { createEscalationHandlers } from './modules/webhooks/webhook.escalation.ts';
import { createWebhookJobHandlers } from './modules/webhooks/webhook.jobs.ts';
import { loadSecretKey } from './modules/webhooks/webhook.key.ts';
import { notifyDisabled } from './modules/webhooks/webhook.service.ts';
import { pruneWebhookLog } from './modules/webhooks/webhook.repository.ts';

export { openDatabase };

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({ level: config.logLevel, redact: { paths: ['*.password', '*.token'], censor: '[redacted]' } });
}

/** The process's services, built once (the one composition root: HTTP, jobs and intake share them). */
export function composeServices(database: Database, config: Config, clock: () => number): Services {
  return createServices({ db: database.db, clock }, {
    mail: mailOptionsOf(config),
    evidenceDir: path.join(config.dataDir, 'evidence'),
    attachments: { dir: path.join(config.dataDir, 'attachments'), maxBytes: config.attachmentMaxBytes },
    webhooks: { secretKey: loadSecretKey(config), baseUrl: config.baseUrl },
  });
}

/** The background job handlers of this process over its services (every kind, the health-check batches included); `close` closes the SMTP transport. */
export function createJobHandlers(database: Database, services: Services, config: Config, clock: () => number, log?: Logger) {
  const notifications = createNotificationService({ deskEmail: config.smtp.deskEmail, baseUrl: config.baseUrl });
  // One SMTP transport per process: every outbound message (mail.outbound.ts) goes through it.
  const transport = createMailTransport(config.smtp);
  const handlers: Record<string, Handler> = {
    [SLA_TIMER_JOB]: createSlaTimerHandler({ db: database.db, clock, notifications }),
    ...createMaintenanceJobHandlers({ db: database.db, maintenance: services.maintenance }),
    ...createChangeRequestJobHandlers({ changeRequests: services.changeRequests }),
    ...createMonitoringJobHandlers({ db: database.db, monitoring: services.monitoring, clock }).handlers,
    ...createRollupJobHandler({
      db: database.db, retentionDays: config.monitorRetentionDays,
      onDone: (o) => { if (o.runs) log?.info(o, 'rolled up old check results'); },
    }),
    ...createRiskJobHandlers({ risks: services.risks, baseUrl: config.baseUrl }),
    // The services' unit of work (one per database and clock): delivery records share its write queue.
    ...createSecurityIncidentJobHandlers({ uow: unitOfWork(database.db, clock), deskEmail: config.smtp.deskEmail }),
    ...createWebhookJobHandlers({ db: database.db, clock, box: services.webhooks.box, onDisabled: notifyDisabled }).handlers,
    ...createEscalationHandlers({ db: database.db, clock, deskEmail: config.smtp.deskEmail, baseUrl: config.baseUrl }),
    ...mailJobHandlers({ mail: services.mail, transport, uow: unitOfWork(database.db, clock), config, ...(log ? { log } : {}) }),
  };
  return { handlers, close: () => transport?.close() };
}

/** The process's one job runner over those handlers (jobs and check batches in their own lanes). */
export function createJobRunner(database: Database, handlers: Record<string, Handler>, clock: () => number, log?: Logger, leaseMs: number | null = null): JobRunner {
  return new JobRunner(database, {
    handlers,
    clock,
    ...(leaseMs !== null ? { leaseMs, batchLane: { leaseMs } } : {}),
    // PostgreSQL has a pool of connections to use; SQLite has one writer anyway.
    concurrency: database.dialect === 'postgres' ? 4 : 1,
    onError: (job, err) => log?.warn({ jobId: job.id, kind: job.kind, attempts: job.attempts, err }, 'job failed'),
  });
}

export interface RunningDesk {
  http: FastifyInstance;
  database: Database;
  /** The one job runner of this process (null with HOSHU_RUN_JOBS=false). */
  runner: JobRunner | null;
  scheduler: Scheduler | null;
  /** A URL to reach the desk on this machine. */
  url: string;
  /** What the server is bound to, one line per address, e.g. "http://0.0.0.0:8080 (every IPv4 interface)". */
  listening: string[];
  close(): Promise<void>;
}

/** The bound addresses as an operator reads them: a wildcard address says that it is every interface. */
export function listeningOn(addresses: ReadonlyArray<string | { address: string; family: string; port: number }>): string[] {
  return addresses.map((a) => {
    if (typeof a === 'string') return a; // a Unix socket's path
    const host = a.family === 'IPv6' || a.address.includes(':') ? `[${a.address}]` : a.address;
    const all = a.address === '0.0.0.0' ? ' (every IPv4 interface)' : a.address === '::' ? ' (every interface)' : '';
    return `http://${host}:${a.port}${all}`;
  });
}

export interface StartOptions {
  log?: Logger;
  database?: Database;
  /** "Now" for every service, job and check of the desk (browser tests freeze time with it). */
  clock?: () => number;
  /** The built web app to serve at / (default web/dist). */
  webRoot?: string;
}

export async function startDesk(config: Config, o: StartOptions = {}): Promise<RunningDesk> {
  const log = o.log ?? createLogger(config);
  const clock = o.clock ?? Date.now;
  const database = o.database ?? (await openDatabase(config, clock)).database;
  log.info({ config: redactedConfig(config) }, 'starting Hoshu');
  // Incidents filed before the stored list items (or under an older layout of them) get theirs
  // before the desk serves; a CLI command never lists, so it does not pay for the scan.
  const rebuilt = await rebuildListItems(database.db, clock);
  if (rebuilt) log.info({ rebuilt }, 'stored list items rebuilt');
  // A serving desk checkpoints SQLite's WAL mostly on a worker thread (checkpointer.ts); short CLI commands keep SQLite's default.
  const checkpointer = database.sqlite && config.database.dialect === 'sqlite' && config.database.file !== ':memory:'
    ? startCheckpointer(database.sqlite, config.database.file, { onError: (message) => log.warn({ message }, 'WAL checkpoint failed') })
    : null;

  // Imported here so CLI commands that never serve do not load the HTTP stack.
  const { buildApp } = await import('./http/app.ts');
  const services = composeServices(database, config, clock);
  const http = await buildApp({ db: database.db, clock, services, config: {
    logger: { level: config.logLevel }, webRoot: o.webRoot, trustProxy: config.trustProxy, cookieSecure: config.cookieSecure,
    timeouts: {
      requestMs: config.http.requestTimeoutMs, headersMs: config.http.headersTimeoutMs,
      idleMs: config.http.idleTimeoutMs, keepAliveMs: config.http.keepAliveTimeoutMs,
    },
    hstsMaxAge: config.http.hstsMaxAge,
    baseUrl: config.baseUrl,
    // The same sender and loop guard as the intake and job side (mail.channel.ts), so replies' Message-IDs carry the desk's domain.
    mail: { from: config.smtp.from, acksPerHour: config.mail.acksPerHour, deskEmail: config.smtp.deskEmail, outboundConfigured: config.smtp.transport !== null },
  } });

  let runner: JobRunner | null = null;
  let scheduler: Scheduler | null = null;
  let closeMail: () => void = () => undefined;
  if (config.runJobs) {
    const { handlers, close } = createJobHandlers(database, services, config, clock, log);
    closeMail = close;
    runner = createJobRunner(database, handlers, clock, log, config.jobLeaseMs);
    await armRollup(database.db, clock());
    scheduler = new Scheduler(runner, {
      intervalMs: config.jobPollMs,
      onError: (err) => log.error({ err }, 'job sweep failed'),
      // Finished jobs are history only; keep a month for inspection.
      housekeeping: async () => {
        const n = await pruneJobs(database.db, clock() - 30 * 24 * 3600_000);
        if (n) log.info({ deleted: n }, 'pruned finished jobs');
        // The webhook delivery log likewise: a month of history (pending deliveries stay).
        const d = await pruneWebhookLog(database.db, clock() - 30 * 24 * 3600_000);
        if (d) log.info({ deleted: d }, 'pruned webhook deliveries');
      },
    });
    scheduler.start();
  }

  const mailIntake = await startMailIntake(services.mail, config, clock, log, () => scheduler?.poke());
  const url = await http.listen({ port: config.port, host: config.host });
  // The addresses actually bound, not the one URL Fastify returns (127.0.0.1 even when every interface is open).
  const listening = listeningOn(http.addresses());
  log.info({ listening, host: config.host, dialect: database.dialect }, `Hoshu is listening on ${listening.join(', ')}`);
  return {
    http,
    database,
    runner,
    scheduler,
    url,
    listening,
    async close() {
      await mailIntake.close();
      // Waits for the jobs and check batches in flight, so the transport is idle when it closes.
      await scheduler?.stop();
      await http.close();
      await services.pdf.close();
      closeMail();
      await checkpointer?.stop();
      await database.close();
    },
  };
}
