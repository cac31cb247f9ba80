/**
 * `hoshu change list|show`: change requests for operators, read through the same
 * service as the API (as the system, so every client's). Tab-separated lines for
 * people and scripts, or `--json` (the API's shapes). Status words follow the locale.
 */
import type { Command } from 'commander';
import { hasKey, t } from '../i18n/index.ts';
import { cliLocale, context, fail, say } from './cli-support.ts';

async function services() {
  const { database } = await context();
  const { createServices } = await import('../http/services.ts');
  const { SYSTEM_ACTOR } = await import('../modules/auth/actor.ts');
  return { database, s: createServices({ db: database.db, clock: Date.now }), actor: SYSTEM_ACTOR };
}

const yen = (n: number) => `¥${n.toLocaleString('ja-JP')}`;

export function registerChangeCommands(program: Command): void {
  const change = program.command('change').description('change requests (変更要求)');

  change
    .command('list')
    .description('list change requests, newest first')
    .option('--status <status>', 'only this status (requested, proposal_sent, approved, scheduled, …)')
    .option('--open', 'only those not closed, withdrawn or judged not feasible')
    .option('--contract <id>', 'only this contract')
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'print JSON (the API\'s shape)')
    .action(async (o: { status?: string; open?: boolean; contract?: string; limit: string; json?: boolean }) => {
      const { database, s, actor } = await services();
      try {
        const { CHANGE_STATUSES } = await import('../contract/change-requests.ts');
        if (o.status && !(CHANGE_STATUSES as readonly string[]).includes(o.status)) {
          throw new Error(t(cliLocale(), 'cli.change.unknownStatus', { status: o.status, allowed: CHANGE_STATUSES.join(', ') }));
        }
        const r = await s.changeRequests.list(actor, {
          ...(o.status ? { status: [o.status as (typeof CHANGE_STATUSES)[number]] } : {}),
          ...(o.open ? { open: true } : {}),
          ...(o.contract ? { contractId: o.contract } : {}),
          limit: Number(o.limit) || 100,
        });
        const { presentChange } = await import('../modules/change-requests/change-request.presenter.ts');
        if (o.json) console.log(JSON.stringify({ items: r.items.map(presentChange), total: r.total }, null, 2));
        else if (r.items.length === 0) say('cli.change.none');
        else {
          const locale = cliLocale();
          for (const c of r.items) {
            console.log([`CR-${c.number}`, t(locale, `changeStatus.${c.status}`), c.current ? yen(c.current.amountJpy + c.current.taxJpy) : '-', new Date(c.createdAt).toISOString(), c.title].join('\t'));
          }
        }
      } catch (e) {
        await database.close();
        fail(e);
      }
      await database.close();
    });

  change
    .command('show <ref>')
    .description('one change request (CR-12, 12, or its id): proposals, approvals, history')
    .option('--json', 'print JSON (the API\'s shape)')
    .action(async (ref: string, o: { json?: boolean }) => {
      const { database, s, actor } = await services();
      try {
        const m = /^(?:CR-)?(\d{1,9})$/i.exec(ref);
        const d = m ? await s.changeRequests.getByNumber(actor, Number(m[1])) : await s.changeRequests.get(actor, ref);
        const { presentChangeDetail } = await import('../modules/change-requests/change-request.presenter.ts');
        const out = presentChangeDetail(d);
        if (o.json) console.log(JSON.stringify(out, null, 2));
        else {
          const locale = cliLocale();
          const w = (key: string, params: Record<string, string | number> = {}) => t(locale, `cli.change.show.${key}`, params);
          console.log(`CR-${out.number}\t${out.title}`);
          console.log(`${w('status')}\t${t(locale, `changeStatus.${out.status}`)}`);
          console.log(`${w('received')}\t${out.receivedAt}`);
          if (out.feasibility) console.log(`${w('feasibility')}\t${w(out.feasibility)}\t${out.feasibilityAt}\t${out.feasibilityReason ?? ''}`);
          if (out.feasibilityTarget) console.log(`${w('feasibilityDue')}\t${out.feasibilityTarget.dueAt}\t${t(locale, `sla.state.${out.feasibilityTarget.state}`)}`);
          for (const p of out.proposals) {
            console.log(`${w('proposal', { version: p.version })}\t${w(`proposalStatus.${p.status}`)}\t${yen(p.amountJpy)} + ${yen(p.taxJpy)} = ${yen(p.totalJpy)}\t${w('validUntil', { date: p.validUntil })}\t${p.contentHash ?? ''}`);
          }
          for (const a of out.approvals) console.log(`${w(`decision.${a.decision}`)} v${a.version}\t${a.decidedBy.name}\t${a.decidedAt}\t${a.contentHash}${a.voidedAt ? `\t${w('void', { at: a.voidedAt })}` : ''}`);
          if (out.windowStartsAt) console.log(`${w('window')}\t${out.windowStartsAt} – ${out.windowEndsAt}${out.maintenanceWindowId ? `\t${w('maintenance', { id: out.maintenanceWindowId })}` : ''}`);
          if (out.outcome) console.log(`${w('outcome')}\t${t(locale, `changeOutcome.${out.outcome}`)}\t${out.actualEffortAmount}\t${out.resultNotes ?? ''}`);
          // A lifecycle command's entry is named as the portal names the command; other kinds (created, comment, …) stay codes.
          const kind = (k: string) => (hasKey(locale, `changeCommand.${k}`) ? t(locale, `changeCommand.${k}`) : k);
          for (const e of out.timeline) console.log(`  ${e.at}\t${kind(e.kind)}\t${e.actorName ?? e.actorId}\t${e.body.replace(/\s+/g, ' ')}`);
        }
      } catch (e) {
        await database.close();
        fail(e);
      }
      await database.close();
    });
}
