import { Link, useParams } from 'react-router-dom';
import { ErrorState, QueryState } from '@/components/ui/query-state';
import { formatDuration, formatTime, humanize } from '@/lib/format';
import { useIncident } from '../api/get-incident';
import { postmortemMarkdownUrl } from '../api/get-postmortem';
import { ImpactList, RelatedRuns, RootCause, Timeline } from './incident-facts';

// The postmortem as a document: summary, impact, timeline, root cause, remediation, follow-ups.
// Prints cleanly (the print stylesheet hides the navigation and the buttons).
export function PostmortemPage() {
  const { id } = useParams();
  const incidentId = Number(id);
  const query = useIncident(incidentId, false);
  if (!Number.isInteger(incidentId) || incidentId <= 0) return <ErrorState error={new Error(`"${id}" is not an incident id.`)} what="the postmortem" />;
  return (
    <QueryState query={query} what={`the postmortem of incident #${incidentId}`} showUpdated={false}>
      {(d) => {
        const end = d.resolved_at ? Date.parse(d.resolved_at) : null;
        return (
          <article className="postmortem">
            <nav className="no-print actions" aria-label="Postmortem actions">
              <Link to={`/incidents/${d.id}`}>← Incident #{d.id}</Link>
              <button type="button" onClick={() => window.print()}>
                Print
              </button>
              <a href={postmortemMarkdownUrl(d.id)} download={`incident-${d.id}-postmortem.md`}>
                Markdown
              </a>
            </nav>
            <header>
              <h1>Postmortem: {d.title}</h1>
              <p className="muted">
                Incident #{d.id} · <code>{d.key}</code> · severity {d.severity} · status {d.status}
              </p>
            </header>
            <section>
              <h2>Summary</h2>
              <p>
                {humanize(d.suspected_root_cause?.category ?? d.kind ?? 'failure')} incident opened {formatTime(d.opened_at)}
                {end ? `, resolved ${formatTime(d.resolved_at)} after ${formatDuration(end - Date.parse(d.opened_at))}` : ', not resolved yet'}.
                {d.impact?.runs !== undefined && ` ${d.impact.runs} runs were affected.`}
              </p>
            </section>
            <section>
              <h2>Impact</h2>
              <ImpactList incident={d} />
            </section>
            <section>
              <h2>Timeline</h2>
              <Timeline entries={d.timeline} />
            </section>
            <section>
              <h2>Root cause</h2>
              <RootCause incident={d} />
            </section>
            <section>
              <h2>Related runs</h2>
              <RelatedRuns incident={d} />
            </section>
            <section>
              <h2>Follow-ups</h2>
              <ul className="follow-ups">
                <li>Confirm the suspected cause against the evidence lines of the first failing run.</li>
                <li>Add a test or a guard that would have caught it before merge.</li>
                <li>Review alerting: was the incident opened early enough?</li>
              </ul>
            </section>
          </article>
        );
      }}
    </QueryState>
  );
}
