import { Link } from 'react-router-dom';
import { BarChart } from '@/components/ui/bar-chart';
import { ErrorState, Loading } from '@/components/ui/query-state';
import { Stat } from '@/components/ui/stat';
import { StatusBadge } from '@/components/ui/status-badge';
import { UpdatedAgo } from '@/components/ui/updated-ago';
import { ApiError } from '@/lib/api-client';
import { useNow } from '@/components/ui/use-now';
import { formatAgo, formatDuration, formatPercent, formatTime, humanize } from '@/lib/format';
import { useOverview } from '../api/get-overview';
import { useRecentRuns } from '../api/get-recent-runs';
import type { Overview } from '../types';
import { FailingNow } from './failing-now';

const STATUS_ORDER = ['running', 'queued', 'succeeded', 'failed', 'timed_out', 'errored', 'cancelled'];

export function OverviewPage() {
  const query = useOverview();
  const notAvailable = query.error instanceof ApiError && query.error.kind === 'not_available' && !query.data;
  return (
    <>
      <header className="page-header">
        <h1>Pipeline health</h1>
        {query.data && <UpdatedAgo updatedAt={query.dataUpdatedAt} fetching={query.isFetching} failed={query.isError} />}
      </header>
      {query.isPending ? (
        <Loading what="the overview" />
      ) : notAvailable ? (
        <RecentRunsFallback />
      ) : query.isError && !query.data ? (
        <ErrorState error={query.error} what="the overview" retry={() => void query.refetch()} />
      ) : (
        <>
          {query.isError && <p className="state partial" role="alert">Showing the last figures received; refreshing failed.</p>}
          <OverviewBody o={query.data as Overview} />
        </>
      )}
    </>
  );
}

function OverviewBody({ o, full = true }: { o: Overview; full?: boolean }) {
  const now = useNow();
  const statuses = STATUS_ORDER.filter((s) => o.runsByStatus[s] !== undefined).concat(
    Object.keys(o.runsByStatus).filter((s) => !STATUS_ORDER.includes(s)),
  );
  const totalRuns = Object.values(o.runsByStatus).reduce((a, b) => a + b, 0);
  const severities = Object.entries(o.incidentsBySeverity).filter(([, n]) => n > 0);
  return (
    <>
      <dl className="stats" aria-label="Key figures">
        <Stat label="Success rate" value={formatPercent(o.successRate, 1)} tone={o.successRate === null ? undefined : o.successRate < 0.8 ? 'bad' : 'ok'} />
        <Stat
          label="Open incidents"
          to="/incidents?status=open"
          value={o.openIncidents ?? '—'}
          tone={o.openIncidents === null ? undefined : o.openIncidents > 0 ? 'bad' : 'ok'}
          hint={severities.length ? severities.map(([s, n]) => `${n} ${s}`).join(', ') : undefined}
        />
        <Stat label="Mean time to recovery" value={formatDuration(o.mttrMs)} />
        <Stat label="Queue depth" to="/runs?status=queued" value={o.queueDepth ?? '—'} />
        <Stat label="Workers busy / idle" value={o.busyWorkers === null && o.idleWorkers === null ? '—' : `${o.busyWorkers ?? 0} / ${o.idleWorkers ?? 0}`} />
        <Stat label="Flaky tests" to="/flaky" value={o.flakyTests ?? '—'} tone={o.flakyTests ? 'warn' : undefined} />
        <Stat label="Failures explained by a signature" value={formatPercent(o.explainedShare)} />
      </dl>

      {full && <FailingNow />}

      <div className="grid-2">
        <section aria-labelledby="trend-h" className="card">
          <h2 id="trend-h">Success rate by day</h2>
          <BarChart
            caption="Daily success rate"
            max={1}
            format={(v) => formatPercent(v)}
            bars={o.trend.map((t) => ({
              label: t.day,
              value: t.success_rate ?? 0,
              tone: t.success_rate === null ? 'muted' : t.success_rate >= 0.9 ? 'ok' : t.success_rate >= 0.6 ? 'warn' : 'bad',
              title: `${t.day}: ${formatPercent(t.success_rate)} of ${t.runs} runs (${t.failed} failed)`,
            }))}
          />
        </section>
        <section aria-labelledby="status-h" className="card">
          <h2 id="status-h">Runs by status</h2>
          {totalRuns === 0 ? (
            <p className="state empty">No runs yet.</p>
          ) : (
            <ul className="status-list">
              {statuses.map((s) => (
                <li key={s}>
                  <Link to={`/runs?status=${s}`}>
                    <StatusBadge status={s} />
                  </Link>{' '}
                  <strong>{o.runsByStatus[s]}</strong>
                  <span className="meter" aria-hidden="true">
                    <span className={`fill status-${s}`} style={{ width: `${(100 * o.runsByStatus[s]) / totalRuns}%` }} />
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      <section aria-labelledby="clusters-h" className="card">
        <h2 id="clusters-h">Top failure clusters</h2>
        {o.topClusters.length === 0 ? (
          <p className="state empty">No failure clusters.</p>
        ) : (
          <table className="data">
            <thead>
              <tr><th scope="col">Cluster</th><th scope="col">Category</th><th scope="col">Occurrences</th><th scope="col">Last seen</th></tr>
            </thead>
            <tbody>
              {o.topClusters.map((c) => (
                <tr key={c.id}>
                  <td><Link to={`/clusters/${c.id}`}>{c.title || `#${c.id}`}</Link></td>
                  <td><span className="category">{humanize(c.category)}</span></td>
                  <td>{c.occurrences}</td>
                  <td>{c.last_seen ? <time dateTime={c.last_seen} title={formatTime(c.last_seen)}>{formatAgo(c.last_seen, now)}</time> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

// /overview is not offered by this server: say so, and show what the runs list can tell.
function RecentRunsFallback() {
  const runs = useRecentRuns(true);
  const counts: Record<string, number> = {};
  for (const r of runs.data?.items ?? []) counts[r.status] = (counts[r.status] ?? 0) + 1;
  const finished = (counts.succeeded ?? 0) + (counts.failed ?? 0) + (counts.timed_out ?? 0) + (counts.errored ?? 0);
  return (
    <>
      <p className="state partial" role="status">
        The full overview is not available on this server yet (no <code>/overview</code>); these figures come from the latest runs.
      </p>
      {runs.isPending ? (
        <Loading what="the latest runs" />
      ) : runs.isError ? (
        <ErrorState error={runs.error} what="the latest runs" retry={() => void runs.refetch()} />
      ) : (
        <OverviewBody
          full={false}
          o={{
            runsByStatus: counts,
            successRate: finished ? (counts.succeeded ?? 0) / finished : null,
            trend: [],
            mttrMs: null,
            queueDepth: counts.queued ?? 0,
            busyWorkers: counts.running ?? 0,
            idleWorkers: null,
            openIncidents: null,
            incidentsBySeverity: {},
            flakyTests: null,
            topClusters: [],
            explainedShare: null,
            generatedAt: null,
          }}
        />
      )}
    </>
  );
}
