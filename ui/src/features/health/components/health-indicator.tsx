import { ApiError } from '@/lib/api-client';
import { useHealth } from '../api/get-health';

// The API's health in the header: every page says plainly when the API is down.
export function HealthIndicator() {
  const q = useHealth();
  let tone = 'muted';
  let text = 'checking the API…';
  if (q.data && !q.isError) {
    tone = q.data.status === 'ok' ? 'ok' : 'warn';
    text = q.data.status === 'ok' ? `API ok · ${q.data.workers} workers · ${q.data.version}` : `API degraded (database ${q.data.database}, queue ${q.data.queue})`;
  } else if (q.isError) {
    tone = 'bad';
    // 503 carries the report; anything else means no answer.
    text = q.error instanceof ApiError && q.error.status === 503 ? 'API degraded' : 'API not answering';
  }
  return (
    <span className={`health tone-${tone}`} role="status" aria-live="polite" data-testid="health">
      <span className="dot" aria-hidden="true" /> {text}
    </span>
  );
}
