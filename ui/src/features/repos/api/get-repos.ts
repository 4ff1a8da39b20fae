import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, type Page } from '@/lib/api-client';
import { POLL_MS } from '@/lib/react-query';
import type { Repo } from '../types';

export const getRepos = (signal?: AbortSignal) => api.get<Page<Repo>>('/repos', { limit: 500 }, signal);

export const getReposQueryOptions = () =>
  queryOptions({ queryKey: ['repos'], queryFn: ({ signal }) => getRepos(signal), refetchInterval: POLL_MS });

export const useRepos = () => useQuery(getReposQueryOptions());
