import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api, type Page } from '@/lib/api-client';
import { POLL_MS } from '@/lib/react-query';
import type { Cluster } from '../types';

export interface ClusterFilters {
  category?: string;
  repo?: string;
  cursor?: string | null;
}

export const getClusters = (f: ClusterFilters, signal?: AbortSignal) =>
  api.get<Page<Cluster>>('/clusters', { category: f.category, repo: f.repo, cursor: f.cursor, limit: 50 }, signal);

export const getClustersQueryOptions = (f: ClusterFilters) =>
  queryOptions({
    queryKey: ['clusters', f],
    queryFn: ({ signal }) => getClusters(f, signal),
    placeholderData: keepPreviousData,
    refetchInterval: POLL_MS * 2,
  });

export const useClusters = (f: ClusterFilters) => useQuery(getClustersQueryOptions(f));
