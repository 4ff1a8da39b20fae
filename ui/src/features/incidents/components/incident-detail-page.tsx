import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ErrorState, QueryState } from '@/components/ui/query-state';
import { StatusBadge } from '@/components/ui/status-badge';
import { errorMessage } from '@/lib/api-client';
import { useNow } from '@/components/ui/use-now';
import { formatAgo, formatTime, humanize } from '@/lib/format';
import { useIncident } from '../api/get-incident';
import { useUpdateIncident } from '../api/update-incident';
import { nextStatuses, type IncidentDetail, type IncidentStatus } from '../types';
import { ImpactList, RelatedRuns, RootCause, Timeline } from './incident-facts';

const VERB: Record<IncidentStatus, string> = { open: 'Reopen', mitigating: 'Mark mitigating', resolved: 'Resolve' };

function StatusControls({ incident }: { incident: IncidentDetail }) {
  const update = useUpdateIncident(incident.id);
  const [note, setNote] = useState('');
  return (
    <form className="card form status-controls" onSubmit={(e) => e.preventDefault()} aria-labelledby="status-h">
      <h2 id="status-h">Change status</h2>
      <label>
        Note (recorded on the timeline)
        <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={2} placeholder="what was done, who owns it" />
      </label>
      <div className="actions">
        {nextStatuses(incident.status).map((s) => (
          <button
            key={s}
            type="button"
            disabled={update.isPending}
            onClick={() => update.mutate({ status: s, note: note.trim() || undefined }, { onSuccess: () => setNote('') })}
          >
            {VERB[s]}
          </button>
        ))}
      </div>
      {update.isError && <p className="state error" role="alert">{errorMessage(update.error)}</p>}
      {update.isSuccess && <p role="status" className="ok-message">Status is now {update.data?.status ?? update.variables?.status}.</p>}
    </form>
  );
}

// A flaky-test incident's key is "flaky:<repo id>:<test id>": the test, to link to its history.
export function flakyTestOf(key: string | undefined): string | null {
  const m = /^flaky:\d+:(.+)$/.exec(key ?? '');
  return m ? m[1] : null;
}

export function IncidentDetailPage() {
  const { id } = useParams();
  const incidentId = Number(id);
  const query = useIncident(incidentId);
  const now = useNow();
  if (!Number.isInteger(incidentId) || incidentId <= 0) return <ErrorState error={new Error(`"${id}" is not an incident id.`)} what="the incident" />;
  return (
    <QueryState query={query} what={`incident #${incidentId}`}>
      {(d) => (
        <>
          <header className="page-header">
            <h1>
              Incident #{d.id}: {d.title} <StatusBadge status={d.status} /> <StatusBadge status={d.severity} />
            </h1>
            <div className="actions">
              <Link to={`/incidents/${d.id}/postmortem`} className="button">
                Postmortem
              </Link>
            </div>
          </header>
          <dl className="facts summary">
            <div><dt>Key</dt><dd><code>{d.key}</code></dd></div>
            {d.kind && <div><dt>Kind</dt><dd>{humanize(d.kind)}</dd></div>}
            {flakyTestOf(d.key) && (
              <div>
                <dt>Flaky test</dt>
                <dd>
                  <Link to={`/flaky?${new URLSearchParams({ ...(d.repo ? { repo: d.repo } : {}), test: flakyTestOf(d.key) as string })}`}>{flakyTestOf(d.key)}</Link>
                </dd>
              </div>
            )}
            <div><dt>Opened</dt><dd><time dateTime={d.opened_at}>{formatTime(d.opened_at)}</time> ({formatAgo(d.opened_at, now)})</dd></div>
            <div><dt>Resolved</dt><dd>{formatTime(d.resolved_at)}</dd></div>
          </dl>
          <StatusControls incident={d} />
          <section aria-labelledby="impact-h">
            <h2 id="impact-h">Impact</h2>
            <ImpactList incident={d} />
          </section>
          <section aria-labelledby="cause-h">
            <h2 id="cause-h">Suspected root cause</h2>
            <RootCause incident={d} />
          </section>
          <section aria-labelledby="timeline-h">
            <h2 id="timeline-h">Timeline</h2>
            <Timeline entries={d.timeline} />
          </section>
          <section aria-labelledby="related-h">
            <h2 id="related-h">Related runs</h2>
            <RelatedRuns incident={d} />
          </section>
        </>
      )}
    </QueryState>
  );
}
