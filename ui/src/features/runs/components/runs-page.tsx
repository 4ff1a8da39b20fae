import { useMemo } from 'react';
import { Pager, usePageCursor } from '@/components/ui/pager';
import { QueryState } from '@/components/ui/query-state';
import { useNow } from '@/components/ui/use-now';
import { useSearchParam } from '@/lib/use-search-param';
import { useRuns } from '../api/get-runs';
import { RUN_STATUSES } from '../types';
import { RunsTable } from './runs-table';

const SINCE: Record<string, number> = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 };

// "24h" -> an RFC 3339 time, rounded to the minute so the query key is stable between polls.
export function sinceToTime(token: string, now: number): string | undefined {
  const span = SINCE[token];
  if (!span) return undefined;
  const t = Math.floor((now - span) / 60_000) * 60_000;
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function RunsPage() {
  const [repo, setRepo] = useSearchParam('repo');
  const [status, setStatus] = useSearchParam('status');
  const [since, setSince] = useSearchParam('since');
  const page = usePageCursor();
  const minute = Math.floor(Date.now() / 60_000);
  const sinceTime = useMemo(() => sinceToTime(since, minute * 60_000), [since, minute]);
  const query = useRuns({ repo: repo || undefined, status: status || undefined, since: sinceTime, cursor: page.cursor });
  const now = useNow();

  return (
    <>
      <header className="page-header">
        <h1>Runs</h1>
      </header>
      <form className="filters" role="search" aria-label="Filter runs" onSubmit={(e) => e.preventDefault()}>
        <label>
          Repository
          <input type="search" value={repo} placeholder="name or id" onChange={(e) => setRepo(e.target.value.trim())} />
        </label>
        <label>
          Status
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">any</option>
            {RUN_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.replace('_', ' ')}
              </option>
            ))}
          </select>
        </label>
        <label>
          Since
          <select value={since} onChange={(e) => setSince(e.target.value)}>
            <option value="">any time</option>
            <option value="1h">last hour</option>
            <option value="24h">last 24 hours</option>
            <option value="7d">last 7 days</option>
            <option value="30d">last 30 days</option>
          </select>
        </label>
      </form>
      <QueryState
        query={query}
        what="runs"
        isEmpty={(d) => d.items.length === 0}
        empty={repo || status || since ? 'No runs match these filters.' : 'No runs yet. Trigger one from Repositories.'}
      >
        {(data) => (
          <>
            <RunsTable runs={data.items} now={now} />
            <Pager cursor={page.cursor} nextCursor={data.next_cursor} older={page.older} newer={page.newer} />
          </>
        )}
      </QueryState>
    </>
  );
}
