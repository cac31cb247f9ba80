/** Hooks of the live dashboard and the SLA document (their own file, beside hooks.ts). */
import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { Dashboard as DashboardSchema } from '../../src/contract/dashboard.ts';
import type { SlaDocument as SlaDocumentSchema, SlaDocumentTemplates as SlaDocumentTemplatesSchema } from '../../src/contract/sla-document.ts';
import { ApiError, get, qs } from './client.ts';

export type Dashboard = z.infer<typeof DashboardSchema>;
export type SlaDocument = z.infer<typeof SlaDocumentSchema>;
export type SlaDocumentTemplates = z.infer<typeof SlaDocumentTemplatesSchema>;

/** How often the dashboard asks again: a new breach shows within this time, with no reload. */
export const DASHBOARD_REFRESH_MS = 10_000;

export function useDashboard(o: { contractId?: string | undefined; lang: 'ja' | 'en' }) {
  return useQuery<Dashboard, ApiError>({
    queryKey: ['dashboard', o.contractId ?? null, o.lang],
    queryFn: () => get<Dashboard>(`/dashboard${qs({ contractId: o.contractId, lang: o.lang })}`),
    refetchInterval: DASHBOARD_REFRESH_MS,
    // Keep the last answer on screen while a refetch (or a language switch) is under way.
    placeholderData: (previous) => previous,
  });
}

export function useSlaDocument(contractId: string | undefined, lang: 'ja' | 'en') {
  return useQuery<SlaDocument, ApiError>({
    queryKey: ['sla-document', contractId, lang],
    queryFn: () => get<SlaDocument>(`/contracts/${contractId}/sla-document${qs({ lang })}`),
    enabled: Boolean(contractId),
  });
}

export function useSlaTemplates(policyId: string | undefined) {
  return useQuery<SlaDocumentTemplates, ApiError>({
    queryKey: ['sla-templates', policyId],
    queryFn: () => get<SlaDocumentTemplates>(`/sla-policies/${policyId}/templates`),
    enabled: Boolean(policyId),
  });
}

/** A server-rendered SVG chart as an image: no script of it can run, and it scales with its box. */
export const svgDataUrl = (svg: string): string => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
