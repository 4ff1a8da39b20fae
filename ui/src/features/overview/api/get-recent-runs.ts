import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, type Page } from '@/lib/api-client';
import { POLL_MS } from '@/lib/react-query';

// The fallback when /overview is not offered: the latest runs, to show at least their statuses.
export interface RecentRun {
  id: number;
  status: string;
  repo: string;
  category: string | null;
  created_at: string;
}

export const getRecentRuns = (signal?: AbortSignal) => api.get<Page<RecentRun>>('/runs', { limit: 200 }, signal);

export const useRecentRuns = (enabled: boolean) =>
  useQuery(queryOptions({ queryKey: ['overview', 'recent-runs'], queryFn: ({ signal }) => getRecentRuns(signal), refetchInterval: POLL_MS, enabled }));
