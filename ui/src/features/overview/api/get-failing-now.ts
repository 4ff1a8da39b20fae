import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, type Page } from '@/lib/api-client';
import { POLL_MS } from '@/lib/react-query';

// What is failing right now, for the overview's "Failing now" panel: the open incidents
// (GET /incidents?status=open and mitigating) and each repository's latest run (GET /repos).
// Separate queries from /overview, so the key figures never wait for them.

export interface OpenIncident {
  id: number;
  title: string;
  status: string;
  severity: string;
  repo?: string | null;
  category?: string | null;
  opened_at: string;
  runs?: number;
}

export interface RepoHealth {
  id: number;
  name: string;
  last_run: { id: number; status: string; category: string | null; created_at: string } | null;
  success_rate: number | null;
  finished_runs: number;
}

export const getOpenIncidents = async (signal?: AbortSignal): Promise<OpenIncident[]> => {
  const [open, mitigating] = await Promise.all([
    api.get<Page<OpenIncident>>('/incidents', { status: 'open', limit: 20 }, signal),
    api.get<Page<OpenIncident>>('/incidents', { status: 'mitigating', limit: 20 }, signal),
  ]);
  return [...open.items, ...mitigating.items];
};

export const useOpenIncidents = () =>
  useQuery(queryOptions({ queryKey: ['overview', 'open-incidents'], queryFn: ({ signal }) => getOpenIncidents(signal), refetchInterval: POLL_MS }));

export const getRepoHealth = (signal?: AbortSignal) => api.get<Page<RepoHealth>>('/repos', { limit: 500 }, signal);

export const useRepoHealth = () =>
  useQuery(queryOptions({ queryKey: ['overview', 'repos'], queryFn: ({ signal }) => getRepoHealth(signal), refetchInterval: POLL_MS }));
