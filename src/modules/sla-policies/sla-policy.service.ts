/**
 * SLA policies with versions. Creating a policy writes version 1; revising it
 * writes version n+1 (改訂) and never touches earlier versions, so incidents
 * opened under version n keep their SLA. Contracts that were on the previous
 * current version follow the revision unless the admin says otherwise.
 * A contact reads only the policies, and the versions, their client's contracts
 * follow (sla-policy.policy.ts); admins edit.
 */
import { uuidv7 } from 'uuidv7';
import { AppError, notFound } from '../../errors.ts';
import { zodIssueParams } from '../../core/issue-params.ts';
import type { Executor } from '../../db/database.ts';
import { fromFlag, toFlag, type ServiceDeps } from '../../db/tx.ts';
import type { Actor } from '../auth/actor.ts';
import { clientScope } from '../auth/access.ts';
import { authorize, may } from '../auth/authorize.ts';
import type { ClientScope } from '../../db/client-scope.ts';
import { unitOfWork, type Work } from '../../db/unit-of-work.ts';
import { repinContractsToVersion } from '../contracts/contract.service.ts';
import { slaPolicyDocumentSchema, type SlaPolicyDocument } from '../../contract/sla-policy-document.ts';
import * as repo from './sla-policy.repository.ts';

export interface SlaPolicyVersion {
  policyId: string;
  version: number;
  revisedOn: string;
  document: SlaPolicyDocument;
  note: string;
  createdBy: string;
  createdAt: number;
}

export interface SlaPolicy {
  id: string;
  name: string;
  isDefault: boolean;
  establishedOn: string;
  currentVersion: number;
  createdAt: number;
  updatedAt: number;
  /** The current version's document. */
  document: SlaPolicyDocument;
  /** Revision history (改訂履歴), oldest first. */
  versions: { version: number; revisedOn: string; note: string; createdAt: number }[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function validatePolicyDocument(raw: unknown): SlaPolicyDocument {
  const r = slaPolicyDocumentSchema.safeParse(raw, { reportInput: true });
  if (!r.success) {
    throw new AppError(
      'sla_policy.invalid_document',
      'invalid SLA policy document',
      r.error.issues.map((i) => ({
        path: ['document', ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
        code: i.code,
        message: i.message,
        params: zodIssueParams(i),
      })),
    );
  }
  return r.data;
}

function checkDate(field: string, v: string): string {
  if (!DATE.test(v)) throw new AppError('sla_policy.invalid', `${field} must be YYYY-MM-DD`, [{ path: [field], code: 'invalid_date', message: 'YYYY-MM-DD' }]);
  return v;
}

function toVersion(r: repo.PolicyVersionRow): SlaPolicyVersion {
  return {
    policyId: r.policyId,
    version: r.version,
    revisedOn: r.revisedOn,
    document: JSON.parse(r.document) as SlaPolicyDocument,
    note: r.note,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
  };
}

/** A specific version (for incidents pinned to it). */
export async function loadPolicyVersion(ex: Executor, policyId: string, version: number): Promise<SlaPolicyVersion> {
  const row = await repo.findPolicyVersion(ex, policyId, version);
  if (!row) throw notFound('sla_policy');
  return toVersion(row);
}

/** The default policy's id and current version (for new contracts). */
export async function defaultPolicyRef(ex: Executor): Promise<{ id: string; version: number } | null> {
  const p = await repo.findDefaultPolicy(ex);
  return p ? { id: p.id, version: p.currentVersion } : null;
}

/**
 * The policy as the scope may see it. For a contact (scope = their client) the
 * versions are those their contracts follow, and `currentVersion` / `document` are
 * the latest of them: a newer revision their contracts do not follow is not theirs.
 */
async function assemble(ex: Executor, p: repo.PolicyRow, scope: ClientScope = null): Promise<SlaPolicy> {
  const versions = await repo.listPolicyVersions(ex, p.id, scope);
  const current = scope === null ? versions.find((v) => v.version === p.currentVersion) : versions.at(-1);
  if (!current) throw new Error(`policy ${p.id} lacks its current version ${p.currentVersion}`);
  return {
    ...p,
    currentVersion: current.version,
    isDefault: fromFlag(p.isDefault),
    document: JSON.parse(current.document) as SlaPolicyDocument,
    versions: versions.map((v) => ({ version: v.version, revisedOn: v.revisedOn, note: v.note, createdAt: v.createdAt })),
  };
}

export interface NewPolicyInput {
  name: string;
  establishedOn: string;
  document: unknown;
  isDefault?: boolean;
  note?: string;
}

/** Inserts a policy with its version 1 inside the caller's unit of work (service and seed share it). */
export async function insertPolicyWithVersion(w: Work, input: NewPolicyInput): Promise<string> {
  const { tx: ex, actor, now } = w;
  const document = validatePolicyDocument(input.document);
  const id = uuidv7();
  if (input.isDefault) await repo.clearDefault(ex);
  const policy = {
    id,
    name: input.name.trim(),
    isDefault: toFlag(input.isDefault ?? false),
    establishedOn: checkDate('establishedOn', input.establishedOn),
    currentVersion: 1,
    createdAt: now,
    updatedAt: now,
  };
  await repo.insertPolicy(ex, policy);
  const version = {
    id: uuidv7(),
    policyId: id,
    version: 1,
    revisedOn: input.establishedOn,
    document: JSON.stringify(document),
    note: input.note ?? '',
    createdBy: actor.userId,
    createdAt: now,
  };
  await repo.insertPolicyVersion(ex, version);
  w.audit({ entity: 'sla_policy', entityId: id, action: 'create', after: { ...policy, document } });
  return id;
}

export interface ReviseInput {
  document: unknown;
  revisedOn: string;
  note?: string;
  name?: string;
  /** Move contracts that were on the previous current version to the new one (default true). */
  applyToContracts?: boolean;
}

/**
 * Writes version n+1 inside the caller's unit of work (the revise command, and the SLA
 * document's template edit, which is a revision too) and returns its number. Contracts
 * on the previous current version follow unless `applyToContracts` is false; incidents
 * already opened keep the version they were opened under either way.
 */
export async function reviseIn(w: Work, id: string, input: ReviseInput): Promise<number> {
  const document = validatePolicyDocument(input.document);
  checkDate('revisedOn', input.revisedOn);
  const { tx, now, actor } = w;
  const before = await repo.findPolicy(tx, id);
  if (!before) throw notFound('sla_policy');
  const version = before.currentVersion + 1;
  await repo.insertPolicyVersion(tx, {
    id: uuidv7(),
    policyId: id,
    version,
    revisedOn: input.revisedOn,
    document: JSON.stringify(document),
    note: input.note ?? '',
    createdBy: actor.userId,
    createdAt: now,
  });
  await repo.updatePolicy(tx, id, {
    currentVersion: version,
    updatedAt: now,
    ...(input.name ? { name: input.name.trim() } : {}),
  });
  w.audit({
    entity: 'sla_policy', entityId: id, action: 'revise',
    before: { version: before.currentVersion }, after: { version, revisedOn: input.revisedOn, document },
  });
  if (input.applyToContracts ?? true) {
    await repinContractsToVersion(w, id, before.currentVersion, version);
  }
  return version;
}

/** Which policies and versions the actor reads: all, or those of their client's contracts. */
const readScope = (actor: Actor): ClientScope => (may(actor, 'sla_policy.read_all') ? null : clientScope(actor));

export function createSlaPolicyService(deps: ServiceDeps) {
  const { db, clock } = deps;
  const uow = deps.uow ?? unitOfWork(db, clock);
  return {
    async create(actor: Actor, input: NewPolicyInput): Promise<SlaPolicy> {
      authorize(actor, 'sla_policy.create');
      const now = clock();
      return uow.command(actor, async (w) => {
        const tx = w.tx;
        const id = await insertPolicyWithVersion(w, input);
        return assemble(tx, (await repo.findPolicy(tx, id))!);
      }, { now });
    },

    async get(actor: Actor, id: string): Promise<SlaPolicy> {
      authorize(actor, 'sla_policy.read');
      const scope = readScope(actor);
      const p = await repo.findScopedPolicy(db, id, scope);
      if (!p) throw notFound('sla_policy');
      return assemble(db, p, scope);
    },

    async list(actor: Actor): Promise<SlaPolicy[]> {
      authorize(actor, 'sla_policy.list');
      const scope = readScope(actor);
      const rows = await repo.listPolicies(db, scope);
      return Promise.all(rows.map((p) => assemble(db, p, scope)));
    },

    async getVersion(actor: Actor, id: string, version: number): Promise<SlaPolicyVersion> {
      authorize(actor, 'sla_policy.read_version');
      const row = await repo.findPolicyVersion(db, id, version, readScope(actor));
      if (!row) throw notFound('sla_policy');
      return toVersion(row);
    },

    /**
     * Writes a new version. `applyToContracts` (default true) moves contracts that
     * were on the previous current version to the new one; incidents already opened
     * keep the version they were opened under either way.
     */
    async revise(actor: Actor, id: string, input: ReviseInput): Promise<SlaPolicy> {
      authorize(actor, 'sla_policy.revise');
      const now = clock();
      return uow.command(actor, async (w) => {
        await reviseIn(w, id, input);
        return assemble(w.tx, (await repo.findPolicy(w.tx, id))!);
      }, { now });
    },

    async setDefault(actor: Actor, id: string): Promise<SlaPolicy> {
      authorize(actor, 'sla_policy.set_default');
      const now = clock();
      return uow.command(actor, async (w) => {
        const tx = w.tx;
        const p = await repo.findPolicy(tx, id);
        if (!p) throw notFound('sla_policy');
        await repo.clearDefault(tx);
        await repo.updatePolicy(tx, id, { isDefault: 1, updatedAt: now });
        w.audit({ entity: 'sla_policy', entityId: id, action: 'set_default' });
        return assemble(tx, (await repo.findPolicy(tx, id))!);
      }, { now });
    },
  };
}
export type SlaPolicyService = ReturnType<typeof createSlaPolicyService>;
