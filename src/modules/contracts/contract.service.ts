/**
 * Maintenance contracts (保守契約): the client, the systems covered, dates, the
 * contracted number of users, the pinned SLA policy version, the support
 * calendar, the backup window, the contact channels shown to the client, the
 * designated contacts (one primary 窓口 plus deputies), the vendor engineers in
 * charge, scope notes and free notes. Admins manage contracts; agents read all;
 * a contact reads only their own client's.
 */
import { uuidv7 } from 'uuidv7';
import { AppError, notFound, type ErrorIssue, type IssueCode, type IssueParams } from '../../errors.ts';
import type { Executor } from '../../db/database.ts';
import { fromFlag, type ServiceDeps } from '../../db/tx.ts';
import type { Actor } from '../auth/actor.ts';
import { clientScope } from '../auth/access.ts';
import { authorize } from '../auth/authorize.ts';
import { unitOfWork, type Work } from '../../db/unit-of-work.ts';
import { assertCalendarExists } from '../calendars/calendar.service.ts';
import { assertClientExists } from '../clients/client.service.ts';
import * as repo from './contract.repository.ts';

export interface Contract {
  id: string;
  clientId: string;
  name: string;
  startsOn: string;
  endsOn: string | null;
  contractedUsers: number | null;
  slaPolicyId: string;
  slaPolicyVersion: number;
  calendarId: string;
  /** Local 'HH:MM' in the calendar's zone, e.g. {start: '02:00', end: '04:00'}. */
  backupWindow: { start: string; end: string } | null;
  contactEmail: string | null;
  contactPhone: string | null;
  inScopeNotes: string;
  outOfScopeNotes: string;
  notes: string;
  systemIds: string[];
  primaryContactId: string | null;
  deputyContactIds: string[];
  engineerIds: string[];
  createdAt: number;
  updatedAt: number;
}

export interface ContractInput {
  clientId: string;
  name: string;
  startsOn: string;
  endsOn?: string | null;
  contractedUsers?: number | null;
  /** Defaults to the default policy. */
  slaPolicyId?: string;
  /** Defaults to the policy's current version. */
  slaPolicyVersion?: number;
  /** Defaults to the first calendar (the seeded standard one). */
  calendarId?: string;
  backupWindow?: { start: string; end: string } | null;
  contactEmail?: string | null;
  contactPhone?: string | null;
  inScopeNotes?: string;
  outOfScopeNotes?: string;
  notes?: string;
  systemIds?: string[];
  primaryContactId?: string | null;
  deputyContactIds?: string[];
  engineerIds?: string[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

function assemble(r: repo.ContractRow, links: Awaited<ReturnType<typeof repo.contractLinks>>): Contract {
  const contacts = links.contacts.filter((c) => c.contractId === r.id);
  return {
    id: r.id,
    clientId: r.clientId,
    name: r.name,
    startsOn: r.startsOn,
    endsOn: r.endsOn,
    contractedUsers: r.contractedUsers,
    slaPolicyId: r.slaPolicyId,
    slaPolicyVersion: r.slaPolicyVersion,
    calendarId: r.calendarId,
    backupWindow: r.backupWindowStart && r.backupWindowEnd ? { start: r.backupWindowStart, end: r.backupWindowEnd } : null,
    contactEmail: r.contactEmail,
    contactPhone: r.contactPhone,
    inScopeNotes: r.inScopeNotes,
    outOfScopeNotes: r.outOfScopeNotes,
    notes: r.notes,
    systemIds: links.systems.filter((s) => s.contractId === r.id).map((s) => s.systemId).sort(),
    primaryContactId: contacts.find((c) => fromFlag(c.isPrimary))?.contactId ?? null,
    deputyContactIds: contacts.filter((c) => !fromFlag(c.isPrimary)).map((c) => c.contactId).sort(),
    engineerIds: links.engineers.filter((e) => e.contractId === r.id).map((e) => e.userId).sort(),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

async function loadContracts(ex: Executor, rows: repo.ContractRow[]): Promise<Contract[]> {
  const links = await repo.contractLinks(ex, rows.map((r) => r.id));
  return rows.map((r) => assemble(r, links));
}

/** For other modules (incidents): the contract if the actor may see it, else contract.not_found. */
export async function loadContract(ex: Executor, actor: Actor, id: string): Promise<Contract> {
  const row = await repo.findContract(ex, id, clientScope(actor));
  if (!row) throw notFound('contract');
  return (await loadContracts(ex, [row]))[0]!;
}

/** What an incident needs from its contract, in two queries (incident creation is hot). */
export interface ContractTerms {
  id: string;
  clientId: string;
  slaPolicyId: string;
  slaPolicyVersion: number;
  calendarId: string;
  /** YYYY-MM-DD, local to the calendar's zone. */
  startsOn: string;
  /** Primary first, then deputies. */
  designatedContactIds: string[];
}

export async function loadContractTerms(ex: Executor, actor: Actor, id: string): Promise<ContractTerms> {
  const row = await repo.findContractTerms(ex, id, clientScope(actor));
  if (!row) throw notFound('contract');
  const contacts = await repo.designatedContacts(ex, id);
  return { ...row, designatedContactIds: contacts.sort((a, b) => b.isPrimary - a.isPrimary).map((c) => c.contactId) };
}

export async function contractCoversSystem(ex: Executor, contractId: string, systemId: string): Promise<boolean> {
  return repo.coversSystem(ex, contractId, systemId);
}

/** Used by SLA policy revisions: moves contracts from one version to the next, audited. */
export async function repinContractsToVersion(w: Work, policyId: string, from: number, to: number): Promise<void> {
  for (const id of await repo.repin(w.tx, policyId, from, to, w.now)) {
    w.audit({
      entity: 'contract', entityId: id, action: 'update',
      before: { slaPolicyVersion: from }, after: { slaPolicyVersion: to },
    });
  }
}

/** Checks every field against the rules and the database; reports all issues at once. */
async function validate(ex: Executor, c: ContractInput): Promise<void> {
  const issues: ErrorIssue[] = [];
  const add = (path: string, code: IssueCode, message: string, params?: IssueParams) => issues.push({ path: [path], code, message, ...(params ? { params } : {}) });
  if (!c.name.trim()) add('name', 'too_small', 'required');
  if (!DATE.test(c.startsOn)) add('startsOn', 'invalid_date', 'YYYY-MM-DD');
  if (c.endsOn != null && !DATE.test(c.endsOn)) add('endsOn', 'invalid_date', 'YYYY-MM-DD');
  if (c.endsOn != null && DATE.test(c.startsOn) && c.endsOn < c.startsOn) add('endsOn', 'too_small', 'must not be before startsOn', { rule: 'not_before_start' });
  if (c.contractedUsers != null && !(Number.isInteger(c.contractedUsers) && c.contractedUsers >= 0)) {
    add('contractedUsers', 'invalid', 'must be a whole number ≥ 0');
  }
  if (c.backupWindow && (!HHMM.test(c.backupWindow.start) || !HHMM.test(c.backupWindow.end))) {
    add('backupWindow', 'invalid', 'start and end must be HH:MM');
  }
  const systemIds = c.systemIds ?? [];
  const okSystems = new Set(await repo.idsOfClient(ex, 'systems', systemIds, c.clientId));
  systemIds.forEach((id, i) => { if (!okSystems.has(id)) issues.push({ path: ['systemIds', i], code: 'not_found', message: 'no such system of this client' }); });
  const contactIds = [...(c.primaryContactId ? [c.primaryContactId] : []), ...(c.deputyContactIds ?? [])];
  const okContacts = new Set(await repo.idsOfClient(ex, 'contacts', contactIds, c.clientId));
  if (c.primaryContactId && !okContacts.has(c.primaryContactId)) add('primaryContactId', 'not_found', 'no such contact of this client');
  (c.deputyContactIds ?? []).forEach((id, i) => {
    if (!okContacts.has(id)) issues.push({ path: ['deputyContactIds', i], code: 'not_found', message: 'no such contact of this client' });
    if (id === c.primaryContactId) issues.push({ path: ['deputyContactIds', i], code: 'duplicate', message: 'the primary contact is not also a deputy' });
  });
  const engineers = c.engineerIds ?? [];
  const okEngineers = new Set(await repo.staffUserIds(ex, engineers));
  engineers.forEach((id, i) => { if (!okEngineers.has(id)) issues.push({ path: ['engineerIds', i], code: 'not_found', message: 'no such vendor user' }); });
  const version = await ex
    .selectFrom('slaPolicyVersions')
    .select('id')
    .where('policyId', '=', c.slaPolicyId ?? '')
    .where('version', '=', c.slaPolicyVersion ?? -1)
    .executeTakeFirst();
  if (!version) add('slaPolicyVersion', 'not_found', 'no such SLA policy version');
  if (issues.length) throw new AppError('contract.invalid', 'invalid contract', issues);
}

function toRow(c: ContractInput & { slaPolicyId: string; slaPolicyVersion: number; calendarId: string }) {
  return {
    clientId: c.clientId,
    name: c.name.trim(),
    startsOn: c.startsOn,
    endsOn: c.endsOn ?? null,
    contractedUsers: c.contractedUsers ?? null,
    slaPolicyId: c.slaPolicyId,
    slaPolicyVersion: c.slaPolicyVersion,
    calendarId: c.calendarId,
    backupWindowStart: c.backupWindow?.start ?? null,
    backupWindowEnd: c.backupWindow?.end ?? null,
    contactEmail: c.contactEmail ?? null,
    contactPhone: c.contactPhone ?? null,
    inScopeNotes: c.inScopeNotes ?? '',
    outOfScopeNotes: c.outOfScopeNotes ?? '',
    notes: c.notes ?? '',
  };
}

function contactLinks(c: ContractInput) {
  return [
    ...(c.primaryContactId ? [{ contactId: c.primaryContactId, isPrimary: 1 }] : []),
    ...(c.deputyContactIds ?? []).map((contactId) => ({ contactId, isPrimary: 0 })),
  ];
}

async function resolveDefaults(ex: Executor, input: ContractInput) {
  let { slaPolicyId, slaPolicyVersion, calendarId } = input;
  if (!slaPolicyId) {
    const p = await ex.selectFrom('slaPolicies').select(['id', 'currentVersion']).where('isDefault', '=', 1).executeTakeFirst();
    if (!p) throw new AppError('contract.invalid', 'no default SLA policy', [{ path: ['slaPolicyId'], code: 'required', message: 'required (no default policy)' }]);
    slaPolicyId = p.id;
    slaPolicyVersion ??= p.currentVersion;
  } else if (slaPolicyVersion === undefined) {
    const p = await ex.selectFrom('slaPolicies').select('currentVersion').where('id', '=', slaPolicyId).executeTakeFirst();
    slaPolicyVersion = p?.currentVersion ?? -1;
  }
  calendarId ??= await repo.firstCalendarId(ex);
  if (!calendarId) throw new AppError('contract.invalid', 'no calendar', [{ path: ['calendarId'], code: 'required', message: 'required' }]);
  await assertCalendarExists(ex, calendarId);
  return { ...input, slaPolicyId, slaPolicyVersion: slaPolicyVersion ?? -1, calendarId };
}

export function createContractService(deps: ServiceDeps) {
  const { db, clock } = deps;
  const uow = deps.uow ?? unitOfWork(db, clock);
  return {
    async create(actor: Actor, input: ContractInput): Promise<Contract> {
      authorize(actor, 'contract.create');
      const now = clock();
      return uow.command(actor, async (w) => {
        const tx = w.tx;
        await assertClientExists(tx, input.clientId);
        const full = await resolveDefaults(tx, input);
        await validate(tx, full);
        const id = uuidv7();
        await repo.insertContract(tx, { id, ...toRow(full), createdAt: now, updatedAt: now });
        await repo.replaceLinks(tx, id, { systemIds: full.systemIds ?? [], contacts: contactLinks(full), engineerIds: full.engineerIds ?? [] });
        const created = await loadContract(tx, actor, id);
        w.audit({ entity: 'contract', entityId: id, action: 'create', after: created });
        return created;
      }, { now });
    },

    async get(actor: Actor, id: string): Promise<Contract> {
      authorize(actor, 'contract.read');
      return loadContract(db, actor, id);
    },

    async list(actor: Actor, filter: { clientId?: string } = {}): Promise<Contract[]> {
      authorize(actor, 'contract.list');
      return loadContracts(db, await repo.listContracts(db, { ...filter, scope: clientScope(actor) }));
    },

    /** Fields not given stay as they are; link lists given replace the old ones. */
    async update(actor: Actor, id: string, patch: Partial<Omit<ContractInput, 'clientId'>>): Promise<Contract> {
      authorize(actor, 'contract.update');
      const now = clock();
      return uow.command(actor, async (w) => {
        const tx = w.tx;
        const before = await loadContract(tx, actor, id);
        const merged: ContractInput = {
          ...before,
          backupWindow: before.backupWindow,
          ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
          clientId: before.clientId,
        };
        if (patch.slaPolicyId && patch.slaPolicyId !== before.slaPolicyId && patch.slaPolicyVersion === undefined) {
          delete merged.slaPolicyVersion;
        }
        const full = await resolveDefaults(tx, merged);
        await validate(tx, full);
        await repo.updateContract(tx, id, { ...toRow(full), updatedAt: now });
        await repo.replaceLinks(tx, id, {
          ...(patch.systemIds ? { systemIds: full.systemIds ?? [] } : {}),
          ...(patch.primaryContactId !== undefined || patch.deputyContactIds ? { contacts: contactLinks(full) } : {}),
          ...(patch.engineerIds ? { engineerIds: full.engineerIds ?? [] } : {}),
        });
        const after = await loadContract(tx, actor, id);
        w.audit({ entity: 'contract', entityId: id, action: 'update', before, after });
        return after;
      }, { now });
    },
  };
}
export type ContractService = ReturnType<typeof createContractService>;
