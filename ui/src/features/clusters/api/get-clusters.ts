import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api, type Page } from '@/lib/api-client';
import { POLL_MS } from '@/lib/react-query';
import { normalizeCluster, type Cluster } from '../types';

export interface ClusterFilters {
  category?: string;
  repo?: string;
  cursor?: string | null;
}

export const getClusters = async (f: ClusterFilters, signal?: AbortSignal): Promise<Page<Cluster>> => {
  const page = await api.get<Page<Cluster>>('/clusters', { category: f.category, repo: f.repo, cursor: f.cursor, limit: 50 }, signal);
  return { ...page, items: page.items.map(normalizeCluster) };
};

export const getClustersQueryOptions = (f: ClusterFilters) =>
  queryOptions({
    queryKey: ['clusters', f],
    queryFn: ({ signal }) => getClusters(f, signal),
    placeholderData: keepPreviousData,
    refetchInterval: POLL_MS * 2,
  });

export const useClusters = (f: ClusterFilters) => useQuery(getClustersQueryOptions(f));
