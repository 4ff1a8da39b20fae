import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { TestDetail } from '../types';

export const getTest = (id: string, signal?: AbortSignal) =>
  api.get<TestDetail>(`/tests/${encodeURIComponent(id)}`, undefined, signal);

export const getTestQueryOptions = (id: string) =>
  queryOptions({ queryKey: ['tests', 'detail', id], queryFn: ({ signal }) => getTest(id, signal) });

export const useTest = (id: string) => useQuery(getTestQueryOptions(id));
