import { Link } from 'react-router-dom';
import { formatDuration, formatPercent, formatTime, humanize, shortSha } from '@/lib/format';
import { countOf, repoNamesOf, runIdOf, suspectsOf, type IncidentDetail, type TimelineEntry } from '../types';

// The pieces the detail page and the postmortem share.

export function ImpactList({ incident: d }: { incident: IncidentDetail }) {
  const i = d.impact;
  if (!i) return <p className="muted">No impact figures recorded.</p>;
  const repos = repoNamesOf(i);
  return (
    <dl className="facts">
      <div><dt>Runs affected</dt><dd>{i.runs ?? '—'}</dd></div>
      <div><dt>Repositories affected</dt><dd>{countOf(i.repos) ?? repos?.length ?? '—'}{repos && repos.length > 0 && `: ${repos.join(', ')}`}</dd></div>
      {i.tests !== undefined && (
        <div>
          <dt>Tests affected</dt>
          <dd>
            {countOf(i.tests)}
            {i.test_ids && i.test_ids.length > 0 && `: ${i.test_ids.slice(0, 5).join(', ')}${i.test_ids.length > 5 ? '…' : ''}`}
          </dd>
        </div>
      )}
      {i.failures !== undefined && <div><dt>Failures</dt><dd>{i.failures}</dd></div>}
      <div><dt>First failure</dt><dd>{formatTime(i.first_failure)}</dd></div>
      <div><dt>Last failure</dt><dd>{formatTime(i.last_failure)}</dd></div>
      <div><dt>Duration</dt><dd>{formatDuration(i.duration_ms ?? (d.resolved_at ? Date.parse(d.resolved_at) - Date.parse(d.opened_at) : null))}</dd></div>
    </dl>
  );
}

export function RootCause({ incident: d }: { incident: IncidentDetail }) {
  const rc = d.suspected_root_cause;
  const s = suspectsOf(d);
  const remediation = rc?.remediation ? (Array.isArray(rc.remediation) ? rc.remediation : [rc.remediation]) : [];
  return (
    <>
      {rc ? (
        <dl className="facts">
          {rc.category && <div><dt>Category</dt><dd><span className="category">{humanize(rc.category)}</span></dd></div>}
          {rc.title && <div><dt>Failure</dt><dd>{rc.title}</dd></div>}
          {rc.signature && <div><dt>Signature</dt><dd><code>{rc.signature}</code></dd></div>}
          {rc.confidence !== undefined && <div><dt>Confidence</dt><dd>{formatPercent(rc.confidence)}</dd></div>}
          {rc.hint && <div><dt>Hint</dt><dd>{rc.hint}</dd></div>}
          {(d.cluster_id ?? rc.cluster_id) && (
            <div><dt>Cluster</dt><dd><Link to={`/clusters/${d.cluster_id ?? rc.cluster_id}`}>#{d.cluster_id ?? rc.cluster_id}</Link></dd></div>
          )}
        </dl>
      ) : (
        <p className="muted">No root cause suspected yet.</p>
      )}
      <h3>Suspect commits</h3>
      {s ? (
        <p className="suspects">
          Last passing: <code title={s.lastGood ?? ''}>{shortSha(s.lastGood)}</code>
          {s.lastGoodRun && <> (<Link to={`/runs/${s.lastGoodRun}`}>run #{s.lastGoodRun}</Link>)</>} → first failing:{' '}
          <code title={s.firstBad ?? ''}>{shortSha(s.firstBad)}</code>
          {s.firstBadRun && <> (<Link to={`/runs/${s.firstBadRun}`}>run #{s.firstBadRun}</Link>)</>}
          {s.scope && <span className="muted"> · {s.scope}</span>}
          {s.commits.length > 0 && <> ({s.commits.length} commits in range: {s.commits.map(shortSha).join(', ')})</>}
        </p>
      ) : (
        <p className="muted">No suspect commit range (no passing run before the failures, or not a code failure).</p>
      )}
      {remediation.length > 0 && (
        <>
          <h3>Remediation</h3>
          <ul>
            {remediation.map((r, i) => (
              <li key={i}>{r}</li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

export function Timeline({ entries }: { entries: TimelineEntry[] }) {
  if (entries.length === 0) return <p className="state empty">The timeline is empty.</p>;
  return (
    <ol className="timeline">
      {entries.map((e, i) => (
        <li key={i} data-kind={e.kind}>
          <time dateTime={e.at}>{formatTime(e.at)}</time> <strong>{humanize(e.kind)}</strong> {e.message}
          {e.run_id ? (
            <>
              {' '}
              (<Link to={`/runs/${e.run_id}`}>run #{e.run_id}</Link>)
            </>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

export function RelatedRuns({ incident: d }: { incident: IncidentDetail }) {
  const ids = d.related_runs.map(runIdOf).filter((x): x is number => x !== null);
  if (ids.length === 0) return <p className="muted">No related runs.</p>;
  return (
    <ul className="inline-list">
      {d.related_runs.map((r, i) => {
        const id = runIdOf(r);
        if (id === null) return null;
        const extra = typeof r === 'object' ? [r.repo ?? r.repo_name, r.status ? humanize(r.status) : null, r.commit ? shortSha(r.commit) : null].filter(Boolean).join(' · ') : '';
        return (
          <li key={i}>
            <Link to={`/runs/${id}`}>#{id}</Link>
            {extra && <span className="muted small"> {extra}</span>}
          </li>
        );
      })}
    </ul>
  );
}
