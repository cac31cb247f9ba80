/**
 * A contract's maintenance settings (the notice period) and its publication: the ICS
 * feed and the public status page behind one unguessable token URL. The token (256
 * random bits) is shown once; only its SHA-256 is stored, so a leaked database does
 * not open the pages, and publishing again replaces it.
 */
import crypto from 'node:crypto';
import { DEFAULT_NOTICE_BUSINESS_DAYS } from '../../core/maintenance/index.ts';
import type { Executor } from '../../db/database.ts';
import type { ServiceDeps } from '../../db/tx.ts';
import { unitOfWork } from '../../db/unit-of-work.ts';
import { notFound } from '../../errors.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/authorize.ts';
import { loadWorkingCalendar } from '../calendars/calendar.service.ts';
import { maintenanceIcs } from './maintenance.ics.ts';
import { hashToken, HORIZON_MS, invalid, issue, type Settings, type SettingsInput } from './maintenance.model.ts';
import * as repo from './maintenance.repository.ts';
import { loadContract } from './maintenance.rules.ts';

/** The contract a public token opens, or null. */
export async function contractByPublicToken(ex: Executor, token: string): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  return (await repo.contractIdByTokenHash(ex, hashToken(token))) ?? null;
}

export function createPublication(deps: ServiceDeps) {
  const { db, clock } = deps;
  const uow = deps.uow ?? unitOfWork(db, clock);

  async function getSettings(actor: Actor, contractId: string): Promise<Settings> {
    authorize(actor, 'maintenance.read_settings');
    const c = await loadContract(db, actor, contractId);
    const s = await repo.findSettings(db, c.id);
    return {
      contractId: c.id,
      noticeBusinessDays: s?.noticeBusinessDays ?? DEFAULT_NOTICE_BUSINESS_DAYS,
      published: s?.publishedAt != null,
      publicTokenPrefix: s?.publicTokenPrefix ?? null,
      publishedAt: s?.publishedAt ?? null,
    };
  }

  return {
    getSettings,

    async updateSettings(actor: Actor, contractId: string, input: SettingsInput): Promise<Settings> {
      authorize(actor, 'maintenance.update_settings');
      if (!Number.isInteger(input.noticeBusinessDays) || input.noticeBusinessDays < 0 || input.noticeBusinessDays > 30) {
        throw invalid([issue(['noticeBusinessDays'], 'invalid', 'an integer 0..30')]);
      }
      const now = clock();
      await uow.command(actor, async (work) => {
        const tx = work.tx;
        const c = await loadContract(tx, actor, contractId);
        const before = await repo.findSettings(tx, c.id);
        await repo.upsertSettings(tx, { contractId: c.id, noticeBusinessDays: input.noticeBusinessDays, updatedAt: now }, { noticeBusinessDays: input.noticeBusinessDays, updatedAt: now });
        work.audit({ entity: 'maintenance_settings', entityId: c.id, action: 'update', before: before ?? null, after: { noticeBusinessDays: input.noticeBusinessDays } });
      }, { now });
      return getSettings(actor, contractId);
    },

    /**
     * Publishes the contract's ICS feed and status page under a new unguessable
     * token (256 random bits), shown only in this answer; only its SHA-256 is kept.
     * Publishing again replaces the token (the old URLs stop working).
     */
    async publish(actor: Actor, contractId: string): Promise<{ token: string; settings: Settings }> {
      authorize(actor, 'maintenance.publish');
      const now = clock();
      const token = crypto.randomBytes(32).toString('base64url');
      await uow.command(actor, async (work) => {
        const tx = work.tx;
        const c = await loadContract(tx, actor, contractId);
        const set = { publicTokenHash: hashToken(token), publicTokenPrefix: token.slice(0, 6), publishedAt: now, updatedAt: now };
        await repo.upsertSettings(tx, { contractId: c.id, noticeBusinessDays: DEFAULT_NOTICE_BUSINESS_DAYS, ...set }, set);
        work.audit({ entity: 'maintenance_settings', entityId: c.id, action: 'publish', after: { publicTokenPrefix: set.publicTokenPrefix } });
      }, { now });
      return { token, settings: await getSettings(actor, contractId) };
    },

    async unpublish(actor: Actor, contractId: string): Promise<Settings> {
      authorize(actor, 'maintenance.unpublish');
      const now = clock();
      await uow.command(actor, async (work) => {
        const tx = work.tx;
        const c = await loadContract(tx, actor, contractId);
        const set = { publicTokenHash: null, publicTokenPrefix: null, publishedAt: null, updatedAt: now };
        await repo.upsertSettings(tx, { contractId: c.id, noticeBusinessDays: DEFAULT_NOTICE_BUSINESS_DAYS, ...set }, set);
        work.audit({ entity: 'maintenance_settings', entityId: c.id, action: 'unpublish' });
      }, { now });
      return getSettings(actor, contractId);
    },

    /**
     * The public ICS feed of a published contract: every window the client was
     * told about (announced, and cancelled after announcement) from 90 days back.
     * An unknown or withdrawn token is status_page.not_found, like any missing page.
     */
    async publicFeed(token: string): Promise<string> {
      const contractId = await contractByPublicToken(db, token);
      if (!contractId) throw notFound('status_page');
      const c = (await repo.contractInfo(db, contractId, null))!;
      const calendar = await loadWorkingCalendar(db, c.calendarId);
      const windows = (await repo.listWindows(db, { scope: null, contractId, from: clock() - HORIZON_MS, statuses: ['announced', 'cancelled'] }))
        .filter((w) => w.announcedAt !== null);
      const systemNames = await repo.systemNames(db, [...new Set(windows.flatMap((w) => (w.systemId ? [w.systemId] : [])))]);
      return maintenanceIcs({ contractId, contractName: c.name, clientName: c.clientName, timeZone: calendar.timeZone, windows, systemNames });
    },
  };
}
