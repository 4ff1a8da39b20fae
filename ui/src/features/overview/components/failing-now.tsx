import { Link } from 'react-router-dom';
import { ErrorState, Loading } from '@/components/ui/query-state';
import { StatusBadge } from '@/components/ui/status-badge';
import { useNow } from '@/components/ui/use-now';
import { formatAgo, formatPercent, formatTime, humanize } from '@/lib/format';
import { useOpenIncidents, useRepoHealth } from '../api/get-failing-now';

const BAD = new Set(['failed', 'timed_out', 'errored']);

// The overview's answer to "what is failing, since when, and is there an incident":
// the open incidents with their age, and each repository's latest run.
export function FailingNow() {
  return (
    <div className="grid-2">
      <OpenIncidents />
      <Repositories />
    </div>
  );
}

function OpenIncidents() {
  const q = useOpenIncidents();
  const now = useNow();
  return (
    <section aria-labelledby="open-incidents-h" className="card">
      <h2 id="open-incidents-h">Open incidents</h2>
      {q.isPending ? (
        <Loading what="the open incidents" />
      ) : q.isError && !q.data ? (
        <ErrorState error={q.error} what="incidents" retry={() => void q.refetch()} />
      ) : q.data.length === 0 ? (
        <p className="state empty">No open incidents.</p>
      ) : (
        <table className="data">
          <thead>
            <tr><th scope="col">Incident</th><th scope="col">Severity</th><th scope="col">Status</th><th scope="col">Open since</th></tr>
          </thead>
          <tbody>
            {q.data.map((i) => (
              <tr key={i.id}>
                <td>
                  <Link to={`/incidents/${i.id}`}>#{i.id} {i.title}</Link>
                  {(i.repo || i.category) && (
                    <div className="muted small">
                      {[i.repo, i.category && humanize(i.category)].filter(Boolean).join(' · ')}
                    </div>
                  )}
                </td>
                <td><StatusBadge status={i.severity} /></td>
                <td><StatusBadge status={i.status} /></td>
                <td><time dateTime={i.opened_at} title={formatTime(i.opened_at)}>{formatAgo(i.opened_at, now)}</time></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Repositories() {
  const q = useRepoHealth();
  const now = useNow();
  return (
    <section aria-labelledby="repo-health-h" className="card">
      <h2 id="repo-health-h">Repositories</h2>
      {q.isPending ? (
        <Loading what="the repositories" />
      ) : q.isError && !q.data ? (
        <ErrorState error={q.error} what="the repositories" retry={() => void q.refetch()} />
      ) : q.data.items.length === 0 ? (
        <p className="state empty">
          No repositories registered yet: <Link to="/repos">add one</Link>.
        </p>
      ) : (
        <table className="data">
          <thead>
            <tr><th scope="col">Repository</th><th scope="col">Latest run</th><th scope="col">Success rate</th></tr>
          </thead>
          <tbody>
            {[...q.data.items]
              .sort((a, b) => Number(BAD.has(b.last_run?.status ?? '')) - Number(BAD.has(a.last_run?.status ?? '')) || a.name.localeCompare(b.name))
              .map((r) => (
                <tr key={r.id}>
                  <td><Link to={`/runs?repo=${encodeURIComponent(r.name)}`}>{r.name}</Link></td>
                  <td>
                    {r.last_run ? (
                      <>
                        <Link to={`/runs/${r.last_run.id}`}>#{r.last_run.id}</Link> <StatusBadge status={r.last_run.status} />
                        {r.last_run.category && ['failed', 'errored'].includes(r.last_run.status) && <> <span className="category">{humanize(r.last_run.category)}</span></>}
                        <span className="muted small"> {formatAgo(r.last_run.created_at, now)}</span>
                      </>
                    ) : (
                      <span className="muted">no runs yet</span>
                    )}
                  </td>
                  <td>
                    {formatPercent(r.success_rate)}
                    {r.finished_runs > 0 && <span className="muted small"> of {r.finished_runs}</span>}
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
