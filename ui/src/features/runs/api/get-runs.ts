import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api, type Page } from '@/lib/api-client';
import { POLL_MS } from '@/lib/react-query';
import type { Run } from '../types';

export interface RunFilters {
  repo?: string;
  status?: string;
  since?: string;
  cursor?: string | null;
  limit?: number;
}

export const getRuns = (f: RunFilters, signal?: AbortSignal): Promise<Page<Run>> =>
  api.get<Page<Run>>('/runs', { repo: f.repo, status: f.status, since: f.since, cursor: f.cursor, limit: f.limit ?? 50 }, signal);

export const getRunsQueryOptions = (f: RunFilters) =>
  queryOptions({
    queryKey: ['runs', f],
    queryFn: ({ signal }) => getRuns(f, signal),
    placeholderData: keepPreviousData,
    refetchInterval: POLL_MS, // running runs update live
  });

export const useRuns = (f: RunFilters) => useQuery(getRunsQueryOptions(f));
