/** Change requests over the API: types inferred from the contract, TanStack Query hooks, and the commands. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  ChangeApproval as ChangeApprovalSchema, ChangeProposal as ChangeProposalSchema, ChangeRequest as ChangeRequestSchema,
  ChangeRequestDetail as ChangeRequestDetailSchema, ChangeRequestList as ChangeRequestListSchema,
} from '../../src/contract/change-requests.ts';
import { api, get, post, qs, type ApiError } from './client.ts';

export type ChangeRequest = z.infer<typeof ChangeRequestSchema>;
export type ChangeRequestDetail = z.infer<typeof ChangeRequestDetailSchema>;
export type ChangeProposal = z.infer<typeof ChangeProposalSchema>;
export type ChangeApproval = z.infer<typeof ChangeApprovalSchema>;

export interface ChangeFilter {
  status?: string | undefined;
  open?: 'true' | 'false' | undefined;
  q?: string | undefined;
  contractId?: string | undefined;
}

export function useChangeRequests(filter: ChangeFilter = {}) {
  return useQuery({
    queryKey: ['change-requests', filter],
    queryFn: () => get<z.infer<typeof ChangeRequestListSchema>>(`/change-requests${qs({ ...filter, limit: 200 })}`),
    refetchInterval: 30_000,
  });
}

export function useChangeRequest(id: string | undefined) {
  return useQuery<ChangeRequestDetail, ApiError>({
    queryKey: ['change-request', id],
    queryFn: () => get<ChangeRequestDetail>(`/change-requests/${id}`),
    enabled: Boolean(id),
    refetchInterval: 30_000,
  });
}

/** A write on one change request: the answer is the fresh detail, put in the cache. */
export function useChangeCommand(id: string) {
  const qc = useQueryClient();
  return async (method: 'POST' | 'PATCH', path: string, body: unknown = {}): Promise<ChangeRequestDetail> => {
    const d = await api<ChangeRequestDetail>(method, `/change-requests/${id}${path}`, body);
    qc.setQueryData(['change-request', id], d);
    await qc.invalidateQueries({ queryKey: ['change-requests'] });
    return d;
  };
}

export const fileChangeRequest = (body: unknown) => post<ChangeRequestDetail>('/change-requests', body);
