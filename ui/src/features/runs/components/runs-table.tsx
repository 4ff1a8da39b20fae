import { Link } from 'react-router-dom';
import { StatusBadge } from '@/components/ui/status-badge';
import { formatAgo, formatDuration, humanize, shortSha } from '@/lib/format';
import type { Run } from '../types';

export function RunsTable({ runs, now, caption = 'Runs' }: { runs: Run[]; now: number; caption?: string }) {
  return (
    <table className="data">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Run</th>
          <th scope="col">Status</th>
          <th scope="col">Repository</th>
          <th scope="col">Commit</th>
          <th scope="col">Scenario</th>
          <th scope="col">Failure category</th>
          <th scope="col">Duration</th>
          <th scope="col">Created</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((r) => (
          <tr key={r.id} data-run-id={r.id}>
            <td>
              <Link to={`/runs/${r.id}`}>#{r.id}</Link>
            </td>
            <td>
              <StatusBadge status={r.status} />
            </td>
            <td>{r.repo}</td>
            <td>
              <code title={r.commit ?? undefined}>{shortSha(r.commit)}</code>
              {r.ref && <span className="muted"> {r.ref}</span>}
            </td>
            <td>{r.scenario ?? '—'}</td>
            <td>{r.category ? <span className="category">{humanize(r.category)}</span> : '—'}</td>
            <td>{r.status === 'running' && r.started_at ? `${formatDuration(now - Date.parse(r.started_at))}…` : formatDuration(r.duration_ms)}</td>
            <td>
              <time dateTime={r.created_at} title={r.created_at}>
                {formatAgo(r.created_at, now)}
              </time>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
