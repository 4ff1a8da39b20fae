import { Link } from 'react-router-dom';
import { Pager, usePageCursor } from '@/components/ui/pager';
import { QueryState } from '@/components/ui/query-state';
import { StatusBadge } from '@/components/ui/status-badge';
import { useNow } from '@/components/ui/use-now';
import { formatAgo, formatDuration } from '@/lib/format';
import { useSearchParam } from '@/lib/use-search-param';
import { useIncidents } from '../api/get-incidents';
import { SEVERITIES } from '../types';

export function IncidentsPage() {
  const [status, setStatus] = useSearchParam('status');
  const [severity, setSeverity] = useSearchParam('severity');
  const [repo, setRepo] = useSearchParam('repo');
  const page = usePageCursor();
  const query = useIncidents({ status: status || undefined, severity: severity || undefined, repo: repo || undefined, cursor: page.cursor });
  const now = useNow();
  return (
    <>
      <header className="page-header">
        <h1>Incidents</h1>
      </header>
      <form className="filters" role="search" aria-label="Filter incidents" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">any</option>
            <option value="open">open</option>
            <option value="mitigating">mitigating</option>
            <option value="resolved">resolved</option>
          </select>
        </label>
        <label>
          Severity
          <select value={severity} onChange={(e) => setSeverity(e.target.value)}>
            <option value="">any</option>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Repository
          <input type="search" value={repo} onChange={(e) => setRepo(e.target.value.trim())} placeholder="name or id" />
        </label>
      </form>
      <QueryState
        query={query}
        what="incidents"
        isEmpty={(d) => d.items.length === 0}
        empty={status || severity || repo ? 'No incidents match these filters.' : 'No incidents. Repeated failures open one automatically.'}
      >
        {(data) => (
          <>
            <table className="data">
              <caption className="visually-hidden">Incidents, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Incident</th><th scope="col">Status</th><th scope="col">Severity</th>
                  <th scope="col">Repository</th><th scope="col">Runs</th>
                  <th scope="col">Opened</th><th scope="col">Open for</th><th scope="col">Key</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((i) => (
                  <tr key={i.id} data-incident-id={i.id}>
                    <td><Link to={`/incidents/${i.id}`}>#{i.id} {i.title}</Link></td>
                    <td><StatusBadge status={i.status} /></td>
                    <td><StatusBadge status={i.severity} /></td>
                    <td>{i.repo ?? (i.repo_id ? `#${i.repo_id}` : 'several')}</td>
                    <td>{i.runs ?? '—'}</td>
                    <td>{formatAgo(i.opened_at, now)}</td>
                    <td>{formatDuration((i.resolved_at ? Date.parse(i.resolved_at) : now) - Date.parse(i.opened_at))}</td>
                    <td className="muted small"><code>{i.key}</code></td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager cursor={page.cursor} nextCursor={data.next_cursor} older={page.older} newer={page.newer} />
          </>
        )}
      </QueryState>
    </>
  );
}
