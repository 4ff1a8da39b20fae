import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { POLL_MS } from '@/lib/react-query';
import type { ClusterDetail } from '../types';

export const getCluster = (id: number, signal?: AbortSignal) => api.get<ClusterDetail>(`/clusters/${id}`, undefined, signal);

export const getClusterQueryOptions = (id: number) =>
  queryOptions({ queryKey: ['clusters', 'detail', id], queryFn: ({ signal }) => getCluster(id, signal), refetchInterval: POLL_MS * 2 });

export const useCluster = (id: number) => useQuery(getClusterQueryOptions(id));
