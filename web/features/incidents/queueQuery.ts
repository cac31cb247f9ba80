/**
 * The queue's state lives in the URL (filters, search, sort), so a view can be shared,
 * reloaded and navigated back to; the server selects, sorts and pages (cursor) and the
 * page only renders. The same parameters make the CSV export's address.
 */
import { useInfiniteQuery } from '@tanstack/react-query';
import { API, get, qs } from '../../api/client.ts';
import type { IncidentList } from '../../api/types.ts';

/** URL parameter → API query parameter (the URL keeps the short names the queue always had). */
const PARAMS: Record<string, string> = {
  status: 'status', priority: 'priority', client: 'clientId', contract: 'contractId', assignee: 'assigneeId',
  channel: 'channel', scope: 'scope', sla: 'sla', category: 'category', system: 'systemId', q: 'q', sort: 'sort',
};
export const DEFAULT_SORT = 'due';
const PAGE = 50;

/** The API's filter for the URL's search parameters. */
export function apiFilter(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, api] of Object.entries(PARAMS)) {
    const v = params.get(k);
    if (v) out[api] = v;
  }
  if (!out.sort) out.sort = DEFAULT_SORT;
  if (params.get('view') !== 'all') out.open = 'true';
  return out;
}

export const csvHref = (filter: Record<string, string>) => `${API}/incidents.csv${qs(filter)}`;

export function useQueue(filter: Record<string, string>) {
  return useInfiniteQuery({
    queryKey: ['incidents', 'queue', filter],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => get<IncidentList>(`/incidents${qs({ ...filter, limit: PAGE, cursor: pageParam })}`),
    getNextPageParam: (last) => last.nextCursor,
    // Live states: the loaded pages are refetched in turn (TanStack refetches every loaded page).
    refetchInterval: 15_000,
  });
}

/** "1234" or "#1234" → 1234; anything else null. */
export function parseNumber(text: string): number | null {
  const m = /^\s*#?\s*(\d{1,15})\s*$/.exec(text);
  return m ? Number(m[1]) : null;
}
