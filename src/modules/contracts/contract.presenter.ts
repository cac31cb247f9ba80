import type { z } from 'zod';
import { toIso } from '../../contract/common.ts';
import type { Contract } from '../../contract/desk.ts';
import type { Contract as ContractModel } from './contract.service.ts';

export const presentContract = (c: ContractModel): z.infer<typeof Contract> => ({
  ...c,
  createdAt: toIso(c.createdAt),
  updatedAt: toIso(c.updatedAt),
});
