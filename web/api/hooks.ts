/** TanStack Query hooks over the API: one key per resource, invalidated after writes. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import { API, ApiError, get, post, qs } from './client.ts';
import type {
  Calendar, Client, Contact, Contract, DeadlineExplanation, DeskInfo, IncidentDetail, IncidentList, IncidentMail, IncidentOutboundMail,
  MailReplyResult, Page, Session,
  SlaPolicy, SlaPolicyVersion, System, TargetKind, User,
} from './types.ts';

export function useSession() {
  return useQuery<Session | null>({
    queryKey: ['session'],
    queryFn: async () => {
      try {
        return await get<Session>('/auth/session');
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
}

export interface IncidentFilter {
  status?: string | undefined;
  priority?: string | undefined;
  contractId?: string | undefined;
  clientId?: string | undefined;
  assigneeId?: string | undefined;
  open?: 'true' | 'false' | undefined;
}

export function useIncidents(filter: IncidentFilter = {}, opts: { refetchMs?: number } = {}) {
  return useQuery({
    queryKey: ['incidents', filter],
    queryFn: () => get<IncidentList>(`/incidents${qs({ ...filter, limit: 200 })}`),
    refetchInterval: opts.refetchMs ?? 15_000,
  });
}

/**
 * One incident. With `open` (the desk's incident page) the first fetch of each visit is
 * POST /incidents/{id}/open: "recognized when an agent first opens it" is a command,
 * since a GET never changes anything; refetches after it only read.
 */
export function useIncident(id: string | undefined, opts: { open?: boolean } = {}) {
  const opened = useRef<string | null>(null);
  return useQuery<IncidentDetail, ApiError>({
    queryKey: ['incident', id],
    queryFn: async () => {
      if (!opts.open || opened.current === id) return get<IncidentDetail>(`/incidents/${id}`);
      const detail = await post<IncidentDetail>(`/incidents/${id}/open`);
      // Only once it succeeded: a failed open is retried as an open, not as a read.
      opened.current = id ?? null;
      return detail;
    },
    enabled: Boolean(id),
    retry: (n, e) => !(e instanceof ApiError && e.status < 500) && n < 2,
    refetchInterval: 30_000,
  });
}

export function useExplanation(id: string, kind: TargetKind, enabled: boolean) {
  return useQuery<DeadlineExplanation, ApiError>({
    queryKey: ['explanation', id, kind],
    queryFn: () => get<DeadlineExplanation>(`/incidents/${id}/targets/${kind}/explanation`),
    enabled,
    retry: false,
  });
}

function useList<T>(key: string, path: string, enabled = true) {
  return useQuery({ queryKey: [key], queryFn: async () => (await get<Page<T>>(path)).items, staleTime: 30_000, enabled });
}

export const useClients = () => useList<Client>('clients', '/clients');
export const useContacts = () => useList<Contact>('contacts', '/contacts');
export const useSystems = () => useList<System>('systems', '/systems');
export const useContracts = () => useList<Contract>('contracts', '/contracts');
export const useCalendars = () => useList<Calendar>('calendars', '/calendars');
export const useSlaPolicies = () => useList<SlaPolicy>('sla-policies', '/sla-policies');
export const useUsers = (enabled: boolean) => useList<User>('users', '/users?limit=500', enabled);

export function usePolicyVersion(id: string | null, version: number | null) {
  return useQuery({
    queryKey: ['sla-policy-version', id, version],
    queryFn: () => get<SlaPolicyVersion>(`/sla-policies/${id}/versions/${version}`),
    enabled: Boolean(id && version),
  });
}

/** A write that refreshes what it touched. */
export function useWrite<TBody, TResult>(fn: (body: TBody) => Promise<TResult>, invalidate: string[][] = []) {
  const qc = useQueryClient();
  return useMutation<TResult, ApiError, TBody>({
    mutationFn: fn,
    onSuccess: async () => {
      await Promise.all(invalidate.map((k) => qc.invalidateQueries({ queryKey: k })));
    },
  });
}

export function useIncidentAction(id: string) {
  const qc = useQueryClient();
  return useMutation<IncidentDetail, ApiError, { path: string; body?: unknown }>({
    mutationFn: ({ path, body }) => post<IncidentDetail>(`/incidents/${id}/${path}`, body),
    onSuccess: async (data) => {
      qc.setQueryData(['incident', id], data);
      await qc.invalidateQueries({ queryKey: ['incidents'] });
      await qc.invalidateQueries({ queryKey: ['explanation', id] });
    },
  });
}

/** The mails that opened or joined an incident (sender, text, attachments). */
export function useIncidentMails(id: string) {
  return useQuery<IncidentMail[], ApiError>({
    queryKey: ['incident-mails', id],
    queryFn: async () => (await get<{ items: IncidentMail[] }>(`/mail/incidents/${id}/messages`)).items,
    refetchInterval: 30_000,
  });
}

/** Whether this desk can send mail at all (pages that send mail warn when it cannot). */
export function useDesk() {
  return useQuery<DeskInfo, ApiError>({ queryKey: ['desk'], queryFn: () => get<DeskInfo>('/desk'), staleTime: 5 * 60_000 });
}

/** Polls while anything is still queued: "sent" or "failed" is what the SMTP server said, a moment later. */
export const whileQueued = (pending: boolean) => (pending ? 3_000 : false);

/** What the desk mailed about an incident (acknowledgements, replies) and what became of each (staff). */
export function useIncidentOutbound(id: string) {
  return useQuery<IncidentOutboundMail[], ApiError>({
    queryKey: ['incident-outbound', id],
    queryFn: async () => (await get<{ items: IncidentOutboundMail[] }>(`/mail/incidents/${id}/outbound`)).items,
    refetchInterval: (q) => whileQueued((q.state.data ?? []).some((m) => m.delivery?.status === 'queued')) || 30_000,
  });
}

/** A reply to the reporter by e-mail (threaded); it is also a public message on the timeline. */
export function useMailReply(id: string) {
  const qc = useQueryClient();
  return useMutation<MailReplyResult, ApiError, { body: string }>({
    mutationFn: (body) => post<MailReplyResult>(`/mail/incidents/${id}/reply`, body),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['incident-outbound', id] });
      await qc.invalidateQueries({ queryKey: ['incident', id] });
      await qc.invalidateQueries({ queryKey: ['incidents'] });
    },
  });
}

/** Where an attachment of a stored mail downloads from, and its HTML is shown from. */
export const mailAttachmentUrl = (messageId: string, index: number) => `${API}/mail/messages/${messageId}/attachments/${index}`;
export const mailHtmlUrl = (messageId: string) => `${API}/mail/messages/${messageId}/html`;
