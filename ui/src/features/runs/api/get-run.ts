import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { isActive, normalizeRunDetail, type RunDetail } from '../types';

export const getRun = async (id: number, signal?: AbortSignal) => normalizeRunDetail(await api.get<RunDetail>(`/runs/${id}`, undefined, signal));

export const getRunQueryOptions = (id: number) =>
  queryOptions({
    queryKey: ['runs', 'detail', id],
    queryFn: ({ signal }) => getRun(id, signal),
    // A live run refreshes every 2 s; a finished one rarely changes (retries make a new attempt).
    refetchInterval: (q) => (isActive(q.state.data?.status) ? 2000 : 15000),
  });

export const useRun = (id: number) => useQuery(getRunQueryOptions(id));
