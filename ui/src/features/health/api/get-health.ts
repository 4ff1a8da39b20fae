import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

export interface Health {
  status: 'ok' | 'degraded';
  database: string;
  queue: string;
  workers: number;
  version: string;
}

export const getHealth = (signal?: AbortSignal) => api.get<Health>('/health', undefined, signal);

export const useHealth = () =>
  useQuery(queryOptions({ queryKey: ['health'], queryFn: ({ signal }) => getHealth(signal), refetchInterval: 10000, retry: false }));
