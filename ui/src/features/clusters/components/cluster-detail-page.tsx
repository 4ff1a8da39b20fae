import { Link, useParams } from 'react-router-dom';
import { BarChart } from '@/components/ui/bar-chart';
import { ErrorState, QueryState } from '@/components/ui/query-state';
import { StatusBadge } from '@/components/ui/status-badge';
import { formatTime, humanize } from '@/lib/format';
import { useCluster } from '../api/get-cluster';
import type { ClusterRun } from '../types';

// Runs per day, from the first to the last day seen (days without runs count 0).
export function occurrencesByDay(runs: ClusterRun[]): { day: string; count: number }[] {
  if (runs.length === 0) return [];
  const counts = new Map<string, number>();
  for (const r of runs) {
    const day = r.created_at.slice(0, 10);
    counts.set(day, (counts.get(day) ?? 0) + 1);
  }
  const days = [...counts.keys()].sort();
  const out: { day: string; count: number }[] = [];
  const end = Date.parse(`${days[days.length - 1]}T00:00:00Z`);
  for (let t = Date.parse(`${days[0]}T00:00:00Z`); t <= end && out.length < 366; t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    out.push({ day, count: counts.get(day) ?? 0 });
  }
  return out;
}

export function ClusterDetailPage() {
  const { id } = useParams();
  const clusterId = Number(id);
  const query = useCluster(clusterId);
  if (!Number.isInteger(clusterId) || clusterId <= 0) return <ErrorState error={new Error(`"${id}" is not a cluster id.`)} what="the cluster" />;
  return (
    <QueryState query={query} what={`cluster #${clusterId}`}>
      {(c) => {
        const repos = [...new Set(c.runs.map((r) => r.repo_name))];
        const incidentId = c.incident?.id ?? c.incident_id ?? null;
        return (
          <>
            <header className="page-header">
              <h1>
                {c.title || c.signature || `Cluster #${c.id}`} <span className="category">{humanize(c.category)}</span>
              </h1>
            </header>
            <dl className="facts summary">
              <div><dt>Occurrences</dt><dd>{c.occurrences}</dd></div>
              <div><dt>Affected runs</dt><dd>{c.affected_runs}</dd></div>
              <div><dt>Affected repositories</dt><dd>{c.affected_repos}{repos.length > 0 && `: ${repos.join(', ')}`}</dd></div>
              <div><dt>First seen</dt><dd>{formatTime(c.first_seen)}</dd></div>
              <div><dt>Last seen</dt><dd>{formatTime(c.last_seen)}</dd></div>
              <div><dt>Signature</dt><dd><code>{c.signature || '—'}</code></dd></div>
              <div><dt>Fingerprint</dt><dd><code>{c.fingerprint}</code></dd></div>
              <div>
                <dt>Incident</dt>
                <dd>
                  {incidentId ? (
                    <Link to={`/incidents/${incidentId}`}>
                      #{incidentId}
                      {c.incident?.title ? ` ${c.incident.title}` : ''}
                    </Link>
                  ) : (
                    'none'
                  )}
                  {c.incident?.status && <> <StatusBadge status={c.incident.status} /></>}
                </dd>
              </div>
            </dl>
            {c.hint && <p className="hint"><strong>Hint:</strong> {c.hint}</p>}
            <section aria-labelledby="excerpt-h">
              <h2 id="excerpt-h">Representative evidence</h2>
              {c.excerpt.length === 0 ? (
                <p className="state empty">No evidence lines recorded.</p>
              ) : (
                <ol className="excerpt" aria-label="Evidence lines">
                  {c.excerpt.map((e, i) => (
                    <li key={`${e.line ?? 'n'}-${i}`}>
                      {e.line !== null && c.representative_run_id ? (
                        <Link className="ln" to={`/runs/${c.representative_run_id}?line=${e.line}`} aria-label={`Line ${e.line} in the log of run #${c.representative_run_id}`}>
                          {e.line}
                        </Link>
                      ) : (
                        <span className="ln">{e.line ?? ''}</span>
                      )}{' '}
                      <code>{e.text}</code>
                    </li>
                  ))}
                </ol>
              )}
              {c.representative_run_id && (
                <p>
                  From <Link to={`/runs/${c.representative_run_id}`}>run #{c.representative_run_id}</Link>.
                </p>
              )}
            </section>
            <section aria-labelledby="occ-h">
              <h2 id="occ-h">Occurrences over time</h2>
              <BarChart
                caption="Runs in this cluster per day"
                bars={occurrencesByDay(c.runs).map((d) => ({ label: d.day, value: d.count, tone: 'bad' }))}
              />
            </section>
            <section aria-labelledby="runs-h">
              <h2 id="runs-h">Runs</h2>
              {c.runs.length === 0 ? (
                <p className="state empty">No runs listed.</p>
              ) : (
                <table className="data">
                  <thead>
                    <tr><th scope="col">Run</th><th scope="col">Repository</th><th scope="col">Status</th><th scope="col">Created</th></tr>
                  </thead>
                  <tbody>
                    {c.runs.map((r) => (
                      <tr key={r.id}>
                        <td><Link to={`/runs/${r.id}`}>#{r.id}</Link></td>
                        <td>{r.repo_name}</td>
                        <td><StatusBadge status={r.status} /></td>
                        <td>{formatTime(r.created_at)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
          </>
        );
      }}
    </QueryState>
  );
}
