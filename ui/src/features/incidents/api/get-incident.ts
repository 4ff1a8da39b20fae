import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { POLL_MS } from '@/lib/react-query';
import type { IncidentDetail } from '../types';

export const getIncident = (id: number, signal?: AbortSignal) => api.get<IncidentDetail>(`/incidents/${id}`, undefined, signal);

export const getIncidentQueryOptions = (id: number, poll = true) =>
  queryOptions({
    queryKey: ['incidents', 'detail', id],
    queryFn: ({ signal }) => getIncident(id, signal),
    refetchInterval: poll ? POLL_MS : false,
  });

export const useIncident = (id: number, poll = true) => useQuery(getIncidentQueryOptions(id, poll));
