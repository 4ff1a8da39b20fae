import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api, type Page } from '@/lib/api-client';
import { POLL_MS } from '@/lib/react-query';
import type { Incident } from '../types';

export interface IncidentFilters {
  status?: string;
  severity?: string;
  repo?: string;
  cursor?: string | null;
}

export const getIncidents = (f: IncidentFilters, signal?: AbortSignal) =>
  api.get<Page<Incident>>('/incidents', { status: f.status, severity: f.severity, repo: f.repo, cursor: f.cursor, limit: 50 }, signal);

export const getIncidentsQueryOptions = (f: IncidentFilters) =>
  queryOptions({
    queryKey: ['incidents', f],
    queryFn: ({ signal }) => getIncidents(f, signal),
    placeholderData: keepPreviousData,
    refetchInterval: POLL_MS,
  });

export const useIncidents = (f: IncidentFilters) => useQuery(getIncidentsQueryOptions(f));
