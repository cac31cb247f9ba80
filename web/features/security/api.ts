/** Security incidents over the API: types from the contract, queries and one mutation per record. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  SecurityIncident as SecurityIncidentSchema, SecurityIncidentDetail as SecurityIncidentDetailSchema,
} from '../../../src/contract/security-incidents.ts';
import { API, ApiError, get, post, qs } from '../../api/client.ts';

export type SecurityIncident = z.infer<typeof SecurityIncidentSchema>;
export type SecurityIncidentDetail = z.infer<typeof SecurityIncidentDetailSchema>;

export function useSecurityIncidents(filter: { open?: 'true' | 'false' } = {}) {
  return useQuery({
    queryKey: ['security-incidents', filter],
    queryFn: async () => (await get<{ items: SecurityIncident[] }>(`/security-incidents${qs({ ...filter, limit: 200 })}`)).items,
    refetchInterval: 15_000,
  });
}

export function useSecurityIncident(id: string | undefined) {
  return useQuery<SecurityIncidentDetail, ApiError>({
    queryKey: ['security-incident', id],
    queryFn: () => get<SecurityIncidentDetail>(`/security-incidents/${id}`),
    enabled: Boolean(id),
    retry: (n, e) => !(e instanceof ApiError && e.status < 500) && n < 2,
    // The report clock's timers fire in the background: their entries appear without a reload.
    refetchInterval: 10_000,
  });
}

/** POST /security-incidents/{id}/<path>; the answer is the whole record, put straight into the cache. */
export function useSecurityAction(id: string) {
  const qc = useQueryClient();
  return useMutation<SecurityIncidentDetail, ApiError, { path: string; body?: unknown }>({
    mutationFn: ({ path, body }) => post<SecurityIncidentDetail>(`/security-incidents/${id}/${path}`, body),
    onSuccess: async (data) => {
      qc.setQueryData(['security-incident', id], data);
      await qc.invalidateQueries({ queryKey: ['security-incidents'] });
    },
  });
}

export const evidenceUrl = (id: string, evidenceId: string) => `${API}/security-incidents/${id}/evidence/${evidenceId}/content`;

/** A file as base64 (the upload body is JSON). */
export async function fileToBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}
