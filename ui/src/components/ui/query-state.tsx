import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { ApiError } from '@/lib/api-client';
import { UpdatedAgo } from './updated-ago';

export function Loading({ what }: { what: string }) {
  return (
    <p className="state loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="state empty">{children}</p>;
}

// What to say for each kind of failure. Never a blank page, never a spinner forever.
export function ErrorState({ error, what, retry }: { error: unknown; what: string; retry?: () => void }) {
  let title = `Could not load ${what}.`;
  let detail = error instanceof Error ? error.message : String(error);
  let tone = 'bad';
  if (error instanceof ApiError) {
    if (error.kind === 'not_available') {
      title = `${capitalize(what)}: not available on this server yet.`;
      detail = 'This API does not offer it (the endpoint answered 404). It appears once the server is upgraded.';
      tone = 'muted';
    } else if (error.kind === 'network') {
      title = `The API is not answering, so ${what} cannot be shown.`;
    } else if (error.kind === 'not_found') {
      title = `Not found: ${error.message}`;
      detail = '';
    }
  }
  return (
    <div className={`state error tone-${tone}`} role="alert" data-error-kind={error instanceof ApiError ? error.kind : 'other'}>
      <p>
        <strong>{title}</strong>
      </p>
      {detail && <p className="detail">{detail}</p>}
      {retry && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

interface QueryStateProps<T> {
  query: UseQueryResult<T>;
  what: string; // "runs", "the overview": used in messages
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
  showUpdated?: boolean;
}

// Loading, error, empty and partial (stale data while the refresh fails) states for one query.
export function QueryState<T>({ query, what, isEmpty, empty, children, showUpdated = true }: QueryStateProps<T>) {
  if (query.isPending) return <Loading what={what} />;
  if (query.isError && query.data === undefined) {
    return <ErrorState error={query.error} what={what} retry={() => void query.refetch()} />;
  }
  const data = query.data as T;
  return (
    <>
      {showUpdated && (
        <UpdatedAgo updatedAt={query.dataUpdatedAt} fetching={query.isFetching} failed={query.isError} />
      )}
      {query.isError && (
        <p className="state partial" role="alert">
          Showing the last figures received; refreshing failed: {query.error instanceof Error ? query.error.message : ''}
        </p>
      )}
      {isEmpty?.(data) ? <Empty>{empty ?? `No ${what} yet.`}</Empty> : children(data)}
    </>
  );
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
