/**
 * One job runner per process: the handler table main builds puts health checks
 * (a batch kind in its own lane), SLA timers and the one outbound mail kind on one
 * runner, and that runner really runs them (a real HTTP target, a real SMTP
 * listener). In the background, a slow check batch does not hold up mail and a
 * slow mail does not hold up checks; stopping waits for the work in flight.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { enqueue } from '../../src/jobs/queue.ts';
import { JobRunner } from '../../src/jobs/runner.ts';
import { Scheduler } from '../../src/jobs/scheduler.ts';
import { composeServices, createJobHandlers, createJobRunner, startDesk } from '../../src/main.ts';
import { SYSTEM_ACTOR } from '../../src/modules/auth/actor.ts';
import { SLA_TIMER_JOB } from '../../src/modules/incidents/incident.jobs.ts';
import { LEGACY_MAIL_SEND_JOB, MAIL_OUTBOUND_JOB, createOutboundMailHandlers, enqueueMail, type MailTransport } from '../../src/modules/mail/mail.outbound.ts';
import { MAIL_PROCESS_JOB } from '../../src/modules/mail/mail.service.ts';
import type { CheckOutcome } from '../../src/modules/monitoring/monitoring.checker.ts';
import { createMonitoringJobHandlers } from '../../src/modules/monitoring/monitoring.jobs.ts';
import { CHECK_JOB, INCIDENT_JOB, RECOVERY_JOB } from '../../src/modules/monitoring/monitoring.service.ts';
import { createServices } from '../../src/http/services.ts';
import { DELIVERY_JOB } from '../../src/modules/webhooks/webhook.jobs.ts';
import { ESCALATION_JOB, UNASSIGNED_JOB } from '../../src/modules/webhooks/webhook.escalation.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { MIN, TestClock, makeWorld } from '../helpers/factories.ts';
import { startSmtp } from '../helpers/smtp.ts';
import { unitOfWork } from '../../src/db/unit-of-work.ts';

const DESK = 'desk@vendor.test';

async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A promise the test resolves by hand. */
function gate() {
  let open: () => void = () => undefined;
  const p = new Promise<void>((r) => { open = r; });
  return { wait: () => p, open };
}

describe('a serving desk', () => {
  it('starts one job runner that claims every kind, health checks in their own lane', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoshu-one-runner-'));
    try {
      const config = loadConfig({ HOSHU_DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', HOSHU_RUN_JOBS: 'true' });
      const desk = await startDesk(config, { log: pino({ level: 'silent' }) });
      try {
        expect(desk.runner).not.toBeNull();
        expect(desk.runner!.kinds).toEqual(expect.arrayContaining([CHECK_JOB, INCIDENT_JOB, RECOVERY_JOB, SLA_TIMER_JOB, MAIL_OUTBOUND_JOB, LEGACY_MAIL_SEND_JOB, MAIL_PROCESS_JOB, DELIVERY_JOB, ESCALATION_JOB, UNASSIGNED_JOB]));
        // Webhook deliveries (issue 16) have their own lane too: a slow receiver holds up nothing else.
        expect(desk.runner!.lanes.map((l) => l.name)).toEqual(['jobs', CHECK_JOB, DELIVERY_JOB]);
      } finally {
        await desk.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

for (const dialect of testDialects) {
  describe(`one job runner (${dialect})`, () => {
    const t = useTestDb(dialect);
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    let target: http.Server;
    let targetUrl: string;
    beforeAll(async () => {
      smtp = await startSmtp();
      target = http.createServer((_req, res) => res.end('OK'));
      await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
      targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/`;
    });
    afterAll(async () => {
      await smtp?.close();
      await new Promise<void>((r) => (target ? target.close(() => r()) : r()));
    });

    it('runs checks, SLA timers and mail (including a stored mail.send job) as main builds it', async () => {
      const clock = new TestClock(Date.parse('2026-04-08T10:00:00+09:00'));
      const w = await makeWorld(t.db, clock);
      const config = loadConfig({ HOSHU_SMTP_URL: smtp.url, HOSHU_DESK_EMAIL: DESK, HOSHU_MAIL_FROM: 'Hoshu <hoshu@vendor.test>', HOSHU_BASE_URL: 'http://desk.test' });
      const services = composeServices(t.database, config, clock.fn);
      const { handlers, close } = createJobHandlers(t.database, services, config, clock.fn);
      const runner = createJobRunner(t.database, handlers, clock.fn);
      try {
        const monitoring = services.monitoring;
        const monitor = await monitoring.create(SYSTEM_ACTOR, { contractId: w.contract.id, systemId: w.system.id, name: 'Web', kind: 'http', url: targetUrl, intervalMs: MIN, timeoutMs: 2000 });
        const inc = await w.s.incidents.create(w.agent, { contractId: w.contract.id, title: '基幹システム停止', channel: 'phone', priority: 'urgent', assigneeId: w.agent.userId });
        // A notification enqueued by the code before the one outbound path, still in the table.
        await enqueue(t.db, { kind: LEGACY_MAIL_SEND_JOB, payload: { to: [DESK], subject: 'legacy notice', text: '旧形式のお知らせ' }, runAt: clock.now, dedupeKey: 'legacy:1', now: clock.now });
        const before = smtp.mails.length;

        clock.advance(8 * MIN); // past the first check and the "at risk" instant (7.5 min)
        await runner.runDue(); // checks, the timer, the legacy mail
        await runner.runDue(); // the warning the timer enqueued

        const m = await monitoring.get(SYSTEM_ACTOR, monitor.id);
        expect(m.state).toBe('up');
        expect(m.lastCheckAt).not.toBeNull();
        const sla = await t.db.selectFrom('incidentEvents').select('kind').where('incidentId', '=', inc.id).where('kind', '=', 'sla').execute();
        expect(sla).toHaveLength(1);
        const mails = smtp.mails.slice(before);
        expect(mails.map((x) => x.subject).sort()).toEqual(['legacy notice', expect.stringContaining(`#${inc.number}`)].sort());
        expect(mails.find((x) => x.subject === 'legacy notice')!.text).toContain('旧形式のお知らせ');
        // Every outbound message carries our Message-ID, the same on a retry (derived from the job).
        for (const x of mails) expect(x.raw).toMatch(/^Message-ID: <hoshu\.[0-9a-f-]+@vendor\.test>/m);
        const left = await t.db.selectFrom('jobs').select(['kind', 'status']).where('kind', 'in', [MAIL_OUTBOUND_JOB, LEGACY_MAIL_SEND_JOB]).where('status', '<>', 'done').execute();
        expect(left).toEqual([]);
      } finally {
        close();
      }
    });

    it('a slow check batch does not hold up mail, a slow mail does not hold up checks, and stop waits for both', async () => {
      const w = await makeWorld(t.db, new TestClock(Date.now()));
      const clock = Date.now;
      // Checks and mail, network-free and each with a gate the test opens.
      let checkGate: ReturnType<typeof gate> | null = gate();
      let checksStarted = 0;
      const check = async (): Promise<CheckOutcome> => {
        checksStarted++;
        await checkGate?.wait();
        return { status: 0, latencyMs: 1, error: null };
      };
      let mailGate: ReturnType<typeof gate> | null = null;
      const subjects: string[] = [];
      let mailsDone = 0;
      const transport: MailTransport = {
        async send(envelope, raw) {
          subjects.push(/^Subject: (.*)$/m.exec(raw.toString('utf8'))![1]!);
          await mailGate?.wait();
          mailsDone++;
          return { accepted: envelope.to, rejected: [] };
        },
        close: () => undefined,
      };
      const monitoring = createServices({ db: t.db, clock }).monitoring;
      const mon = createMonitoringJobHandlers({ db: t.db, monitoring, clock, check });
      const runner = new JobRunner(t.database, {
        handlers: { ...mon.handlers, ...createOutboundMailHandlers({ transport, uow: unitOfWork(t.db, clock), from: 'desk@vendor.test', charset: 'utf-8' }) },
        clock,
        batchLane: { idleMs: 20 },
      });
      expect(runner.lanes.map((l) => l.name)).toEqual(['jobs', CHECK_JOB]);
      const scheduler = new Scheduler(runner, { intervalMs: 20 });
      const monitor = await monitoring.create(SYSTEM_ACTOR, { contractId: w.contract.id, systemId: w.system.id, name: 'fast', kind: 'http', url: targetUrl, intervalMs: 1000, timeoutMs: 500 });
      scheduler.start();
      try {
        // 1. A check hangs; mail still goes out.
        await until(() => checksStarted >= 1, 'the first check');
        await enqueueMail(t.db, { to: 'a@client.test', subject: 'one', text: '1' }, { runAt: clock(), dedupeKey: 'slow:1', now: clock() });
        scheduler.poke();
        await until(() => mailsDone === 1, 'the mail while a check hangs');
        expect(mon.stats.checks).toBe(0);
        checkGate.open();
        checkGate = null;
        await until(() => mon.stats.checks >= 1, 'the check once released');

        // 2. A mail hangs; checks go on (the monitor is due every second).
        mailGate = gate();
        await enqueueMail(t.db, { to: 'b@client.test', subject: 'two', text: '2' }, { runAt: clock(), dedupeKey: 'slow:2', now: clock() });
        scheduler.poke();
        await until(() => subjects.includes('two'), 'the second mail to start');
        const checksThen = mon.stats.checks;
        await until(() => mon.stats.checks >= checksThen + 2, 'checks while a mail hangs');
        expect(mailsDone).toBe(1);

        // 3. Stop waits for the mail in flight.
        let stopped = false;
        const stopping = scheduler.stop().then(() => { stopped = true; });
        await new Promise((r) => setTimeout(r, 100));
        expect(stopped).toBe(false);
        mailGate.open();
        await stopping;
        expect(mailsDone).toBe(2);
        const job = await t.db.selectFrom('jobs').select('status').where('dedupeKey', '=', 'slow:2').executeTakeFirstOrThrow();
        expect(job.status).toBe('done');
        // The check job is pending again, unclaimed, at its next run.
        const next = await t.db.selectFrom('jobs').select(['status', 'lockToken']).where('dedupeKey', '=', `monitor:${monitor.id}`).executeTakeFirstOrThrow();
        expect(next).toEqual({ status: 'pending', lockToken: null });
      } finally {
        checkGate?.open();
        mailGate?.open();
        await scheduler.stop();
      }
    }, 30_000);
  });
}
