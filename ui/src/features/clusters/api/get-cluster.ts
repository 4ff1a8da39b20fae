import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { POLL_MS } from '@/lib/react-query';
import { normalizeCluster, type ClusterDetail } from '../types';

export const getCluster = async (id: number, signal?: AbortSignal) => {
  const c = normalizeCluster(await api.get<ClusterDetail>(`/clusters/${id}`, undefined, signal));
  return { ...c, runs: Array.isArray(c.runs) ? c.runs : [] };
};

export const getClusterQueryOptions = (id: number) =>
  queryOptions({ queryKey: ['clusters', 'detail', id], queryFn: ({ signal }) => getCluster(id, signal), refetchInterval: POLL_MS * 2 });

export const useCluster = (id: number) => useQuery(getClusterQueryOptions(id));
