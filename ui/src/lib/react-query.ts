import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './api-client';

// How often lists refresh while the page is open. Pages show "updated N s ago" from dataUpdatedAt.
export const POLL_MS = 5000;

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 2000,
        refetchOnWindowFocus: true,
        // Retry only what may pass on a second try: not a missing endpoint, an unknown id or bad input.
        retry: (count, error) =>
          count < 2 && (!(error instanceof ApiError) || error.kind === 'network' || error.kind === 'server'),
        retryDelay: (n) => Math.min(1000 * 2 ** n, 4000),
      },
      mutations: { retry: false },
    },
  });
}
