/** The risk register's API shapes (inferred from src/contract/risks.ts) and TanStack Query hooks. */
import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { ApiError, get, qs } from '../../api/client.ts';
import type {
  HeatMap as HeatMapSchema, Risk as RiskSchema, RiskCriteriaVersion as CriteriaSchema, RiskDetail as RiskDetailSchema,
} from '../../../src/contract/risks.ts';

export type Risk = z.infer<typeof RiskSchema>;
export type RiskDetail = z.infer<typeof RiskDetailSchema>;
export type RiskCriteriaVersion = z.infer<typeof CriteriaSchema>;
export type HeatMap = z.infer<typeof HeatMapSchema>;
export type Level = Risk['inherent']['level'];
export type ScaleStep = RiskCriteriaVersion['document']['likelihood'][number];

export interface RiskFilter {
  clientId?: string | undefined;
  status?: 'open' | 'closed' | undefined;
  level?: string | undefined;
  review?: 'due' | 'overdue' | undefined;
}

export const useRisks = (filter: RiskFilter = {}) =>
  useQuery({ queryKey: ['risks', filter], queryFn: async () => (await get<{ items: Risk[] }>(`/risks${qs({ ...filter })}`)).items, refetchInterval: 30_000 });

export const useRisk = (id: string | undefined) =>
  useQuery<RiskDetail, ApiError>({
    queryKey: ['risk', id],
    queryFn: () => get<RiskDetail>(`/risks/${id}`),
    enabled: Boolean(id),
    retry: (n, e) => !(e instanceof ApiError && e.status < 500) && n < 2,
  });

export const useHeatMap = (clientId?: string) =>
  useQuery({ queryKey: ['risks', 'heatmap', clientId], queryFn: () => get<HeatMap>(`/risks/heatmap${qs({ clientId })}`) });

export const useCurrentCriteria = () =>
  useQuery({ queryKey: ['risk-criteria', 'current'], queryFn: () => get<RiskCriteriaVersion>('/risk-criteria/current'), staleTime: 60_000 });

export const LEVEL_COLOURS: Record<Level, string> = { low: 'teal', medium: 'yellow', high: 'orange', critical: 'red' };
