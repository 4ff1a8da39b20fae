import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api, type Page } from '@/lib/api-client';
import { POLL_MS } from '@/lib/react-query';
import type { FlakyTest } from '../types';

export interface FlakyFilters {
  repo?: string;
  classification?: string;
  cursor?: string | null;
}

export const getFlakyTests = (f: FlakyFilters, signal?: AbortSignal) =>
  api.get<Page<FlakyTest>>('/tests/flaky', { repo: f.repo, classification: f.classification, cursor: f.cursor, limit: 100 }, signal);

export const getFlakyTestsQueryOptions = (f: FlakyFilters) =>
  queryOptions({
    queryKey: ['tests', 'flaky', f],
    queryFn: ({ signal }) => getFlakyTests(f, signal),
    placeholderData: keepPreviousData,
    refetchInterval: POLL_MS * 2,
  });

export const useFlakyTests = (f: FlakyFilters) => useQuery(getFlakyTestsQueryOptions(f));
