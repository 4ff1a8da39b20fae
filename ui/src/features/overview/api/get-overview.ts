import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { POLL_MS } from '@/lib/react-query';
import { normalizeOverview } from '../types';

export const getOverview = async (signal?: AbortSignal) => normalizeOverview(await api.get<Record<string, unknown>>('/overview', undefined, signal));

export const getOverviewQueryOptions = () =>
  queryOptions({ queryKey: ['overview'], queryFn: ({ signal }) => getOverview(signal), refetchInterval: POLL_MS });

export const useOverview = () => useQuery(getOverviewQueryOptions());
