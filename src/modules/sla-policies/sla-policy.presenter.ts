import type { z } from 'zod';
import { toIso } from '../../contract/common.ts';
import type { SlaPolicy, SlaPolicyVersion } from '../../contract/desk.ts';
import type { SlaPolicy as PolicyModel, SlaPolicyVersion as VersionModel } from './sla-policy.service.ts';

export const presentSlaPolicy = (p: PolicyModel): z.infer<typeof SlaPolicy> => ({
  id: p.id,
  name: p.name,
  isDefault: p.isDefault,
  establishedOn: p.establishedOn,
  currentVersion: p.currentVersion,
  document: p.document,
  versions: p.versions.map((v) => ({ version: v.version, revisedOn: v.revisedOn, note: v.note, createdAt: toIso(v.createdAt) })),
  createdAt: toIso(p.createdAt),
  updatedAt: toIso(p.updatedAt),
});

export const presentSlaPolicyVersion = (v: VersionModel): z.infer<typeof SlaPolicyVersion> => ({
  policyId: v.policyId, version: v.version, revisedOn: v.revisedOn, document: v.document, note: v.note, createdBy: v.createdBy, createdAt: toIso(v.createdAt),
});
