import { useNow } from './use-now';

interface Props {
  updatedAt: number; // ms epoch of the last successful fetch, 0 when none
  fetching?: boolean;
  failed?: boolean; // the last refresh failed: the figures shown are stale
}

// "updated N s ago": how fresh the figures on screen are. Never claims fresher than they are.
export function UpdatedAgo({ updatedAt, fetching, failed }: Props) {
  const now = useNow();
  if (!updatedAt) return null;
  const s = Math.max(0, Math.round((now - updatedAt) / 1000));
  const label = s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
  return (
    <span className={`updated-ago${failed ? ' stale' : ''}`} role="status" aria-live="off" data-testid="updated-ago">
      updated {label} ago{fetching ? ' · refreshing' : ''}
      {failed ? ' · refresh failed, figures may be stale' : ''}
    </span>
  );
}
