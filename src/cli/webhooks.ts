/**
 * `hoshu webhook list` and `hoshu webhook test ID`: the latter records a test event for
 * the endpoint (as the admin page's button does), delivers the due webhook deliveries at
 * once through the same job handler the desk runs, and prints how the endpoint answered;
 * exit status 0 only when it accepted (2xx).
 */
import type { Command } from 'commander';
import { t } from '../i18n/index.ts';
import { cliLocale, context, fail, say } from './cli-support.ts';

export function registerWebhookCommands(program: Command): void {
  const webhook = program.command('webhook').description('outbound webhook endpoints');

  webhook
    .command('list')
    .description('list webhook endpoints (id, enabled, format, url)')
    .action(async () => {
      const { config, database } = await context();
      try {
        const { composeServices } = await import('../main.ts');
        const { SYSTEM_ACTOR } = await import('../modules/auth/actor.ts');
        const s = composeServices(database, config, Date.now);
        for (const { endpoint: e } of await s.webhooks.list(SYSTEM_ACTOR)) {
          const state = e.enabled ? t(cliLocale(), 'cli.webhook.enabled') : `${t(cliLocale(), 'cli.webhook.disabled')}${e.disabledReason ? `(${e.disabledReason})` : ''}`;
          console.log([e.id, state, e.format, e.url].join('\t'));
        }
      } catch (e) {
        fail(e);
      } finally {
        await database.close();
      }
    });

  webhook
    .command('test')
    .argument('<id>', 'endpoint id')
    .description('send a test event to an endpoint now and print its answer')
    .action(async (id: string) => {
      const { config, database } = await context();
      let ok = false;
      try {
        const { composeServices, createJobRunner } = await import('../main.ts');
        const { SYSTEM_ACTOR } = await import('../modules/auth/actor.ts');
        const { createWebhookJobHandlers } = await import('../modules/webhooks/webhook.jobs.ts');
        const { notifyDisabled } = await import('../modules/webhooks/webhook.service.ts');
        const clock = Date.now;
        const s = composeServices(database, config, clock);
        const d = await s.webhooks.sendTest(SYSTEM_ACTOR, id);
        const { handlers } = createWebhookJobHandlers({ db: database.db, clock, box: s.webhooks.box, onDisabled: notifyDisabled });
        await createJobRunner(database, handlers, clock).runDue();
        const r = await s.webhooks.delivery(SYSTEM_ACTOR, id, d.id);
        const a = r.attempts.at(-1);
        ok = r.delivery.status === 'succeeded';
        if (!a) say('cli.webhook.notSent', { id: r.delivery.eventId, error: r.delivery.lastError ?? '-' });
        else say(ok ? 'cli.webhook.accepted' : 'cli.webhook.refused', {
          id: r.delivery.eventId, status: a.statusCode ?? '-', ms: a.durationMs, error: a.error ?? '', excerpt: (a.responseExcerpt ?? '').slice(0, 200),
        });
        console.log(JSON.stringify({ deliveryId: d.id, eventId: r.delivery.eventId, status: r.delivery.status, httpStatus: a?.statusCode ?? null, durationMs: a?.durationMs ?? null }));
      } catch (e) {
        fail(e);
      } finally {
        await database.close();
      }
      process.exitCode = ok ? 0 : 1;
    });
}
