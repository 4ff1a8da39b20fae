import { Link, useParams, useSearchParams } from 'react-router-dom';
import { ErrorState, Loading } from '@/components/ui/query-state';
import { StatusBadge } from '@/components/ui/status-badge';
import { UpdatedAgo } from '@/components/ui/updated-ago';
import { useNow } from '@/components/ui/use-now';
import { errorMessage } from '@/lib/api-client';
import { formatAgo, formatDuration, formatTime, humanize } from '@/lib/format';
import { useCancelRun } from '../api/cancel-run';
import { useRun } from '../api/get-run';
import { useRetryRun } from '../api/retry-run';
import { isActive, type RunDetail } from '../types';
import { FailureCard } from './failure-card';
import { LogViewer } from './log-viewer';

export function RunDetailPage() {
  const { id } = useParams();
  const runId = Number(id);
  if (!Number.isInteger(runId) || runId <= 0) return <ErrorState error={new Error(`"${id}" is not a run id.`)} what="the run" />;
  return <RunDetailView runId={runId} />;
}

function defaultStep(run: RunDetail): number | null {
  if (run.steps.length === 0) return null;
  const failing = run.failures[0]?.step_index ?? run.steps.find((s) => ['failed', 'timed_out', 'errored'].includes(s.status))?.index;
  if (failing !== undefined) return failing;
  const running = run.steps.find((s) => s.status === 'running');
  if (running) return running.index;
  const started = run.steps.filter((s) => s.status !== 'pending' && s.status !== 'skipped');
  return (started[started.length - 1] ?? run.steps[0]).index;
}

function RunDetailView({ runId }: { runId: number }) {
  const query = useRun(runId);
  const retry = useRetryRun(runId);
  const cancel = useCancelRun(runId);
  const [params, setParams] = useSearchParams();
  const now = useNow();

  if (query.isPending) return <Loading what={`run #${runId}`} />;
  if (query.isError && !query.data) return <ErrorState error={query.error} what={`run #${runId}`} retry={() => void query.refetch()} />;
  const run = query.data;
  const stepParam = params.get('step');
  const selected = stepParam !== null && run.steps.some((s) => String(s.index) === stepParam) ? Number(stepParam) : defaultStep(run);
  const line = Number(params.get('line')) || null;
  const selectedStep = run.steps.find((s) => s.index === selected);
  const jump = (step: number, l: number | null) =>
    setParams(
      (prev) => {
        const p = new URLSearchParams(prev);
        p.set('step', String(step));
        if (l) p.set('line', String(l));
        else p.delete('line');
        return p;
      },
      { replace: true },
    );
  const active = isActive(run.status);
  const stepName = (i: number) => run.steps.find((s) => s.index === i)?.name ?? `step ${i}`;
  const failedCases = [...run.tests.failed_cases].sort((a, b) => Number(Boolean(a.flaky)) - Number(Boolean(b.flaky)));

  return (
    <>
      <header className="page-header">
        <h1>
          Run #{run.id} <StatusBadge status={run.status} />
        </h1>
        <UpdatedAgo updatedAt={query.dataUpdatedAt} fetching={query.isFetching} failed={query.isError} />
        <div className="actions">
          <button type="button" onClick={() => retry.mutate()} disabled={active || retry.isPending}>
            {retry.isPending ? 'Retrying…' : 'Retry'}
          </button>
          <button type="button" className="danger" onClick={() => cancel.mutate()} disabled={!active || cancel.isPending}>
            {cancel.isPending ? 'Cancelling…' : 'Cancel'}
          </button>
        </div>
      </header>
      {(retry.error || cancel.error) && (
        <p className="state error" role="alert">
          {errorMessage(retry.error ?? cancel.error)}
        </p>
      )}
      {retry.data && retry.data.id !== run.id && <p role="status">Retry queued as run #{retry.data.id}.</p>}
      {query.isError && <p className="state partial" role="alert">Showing the last state received; refreshing failed: {errorMessage(query.error)}</p>}

      <dl className="facts summary">
        <div><dt>Repository</dt><dd>{run.repo}</dd></div>
        <div><dt>Commit</dt><dd><code>{run.commit ?? '—'}</code>{run.ref && <span className="muted"> ({run.ref})</span>}</dd></div>
        <div><dt>Scenario</dt><dd>{run.scenario ?? '—'}</dd></div>
        <div><dt>Failure category</dt><dd>{run.category ? <span className="category">{humanize(run.category)}</span> : '—'}</dd></div>
        <div><dt>Attempt</dt><dd>{run.attempt}</dd></div>
        <div><dt>Worker</dt><dd>{run.worker ?? '—'}</dd></div>
        <div><dt>Created</dt><dd><time dateTime={run.created_at}>{formatTime(run.created_at)}</time> ({formatAgo(run.created_at, now)})</dd></div>
        <div><dt>Duration</dt><dd>{active && run.started_at ? `${formatDuration(now - Date.parse(run.started_at))} so far` : formatDuration(run.duration_ms)}</dd></div>
        {run.reason && <div><dt>Reason</dt><dd>{run.reason}</dd></div>}
      </dl>

      {run.failures.length > 0 && (
        <section aria-labelledby="failures-h">
          <h2 id="failures-h">Why it failed</h2>
          {run.failures.map((f) => (
            <FailureCard key={f.id} failure={f} stepName={stepName(f.step_index)} onJump={jump} />
          ))}
        </section>
      )}

      <section aria-labelledby="steps-h">
        <h2 id="steps-h">Steps</h2>
        {run.steps.length === 0 ? (
          <p className="state empty">{active ? 'The worker has not started the pipeline yet.' : 'This run has no steps (the pipeline did not start).'}</p>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">#</th><th scope="col">Step</th><th scope="col">Status</th><th scope="col">Exit</th>
                <th scope="col">Attempts</th><th scope="col">Duration</th><th scope="col">Log</th>
              </tr>
            </thead>
            <tbody>
              {run.steps.map((s) => (
                <tr key={s.index} aria-current={s.index === selected ? 'true' : undefined}>
                  <td>{s.index}</td>
                  <td>
                    <strong>{s.name}</strong>
                    <div className="muted small"><code>{s.command}</code></div>
                  </td>
                  <td><StatusBadge status={s.status} /></td>
                  <td>{s.exit_code ?? '—'}</td>
                  <td>{s.attempts}</td>
                  <td>{s.status === 'running' && s.started_at ? `${formatDuration(now - Date.parse(s.started_at))}…` : formatDuration(s.duration_ms)}</td>
                  <td>
                    <button type="button" className="link" onClick={() => jump(s.index, null)} disabled={s.status === 'pending' || s.status === 'skipped'}>
                      {s.index === selected ? 'shown' : 'show log'}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {selectedStep && selectedStep.status !== 'pending' && selectedStep.status !== 'skipped' && (
        <section aria-labelledby="log-h">
          <h2 id="log-h">Log: {selectedStep.name}</h2>
          <LogViewer
            key={`${run.id}-${selectedStep.index}-${run.attempt}`}
            runId={run.id}
            step={selectedStep.index}
            stepName={selectedStep.name}
            live={selectedStep.status === 'running'}
            evidence={run.failures.filter((f) => f.step_index === selectedStep.index).flatMap((f) => f.evidence)}
            focusLine={line}
            onFocusLine={(l) => jump(selectedStep.index, l)}
          />
        </section>
      )}

      <section aria-labelledby="tests-h">
        <h2 id="tests-h">Tests</h2>
        {run.tests.total === 0 ? (
          <p className="state empty">No test results were reported{active ? ' yet' : ''}.</p>
        ) : (
          <>
            <p className="test-counts">
              {run.tests.total} tests: <span className="tone-ok">{run.tests.passed} passed</span>,{' '}
              <span className="tone-bad">{run.tests.failed} failed</span>, {run.tests.errors} errors, {run.tests.skipped} skipped
            </p>
            {failedCases.length > 0 && (
              <table className="data">
                <caption className="visually-hidden">Failed tests</caption>
                <thead>
                  <tr><th scope="col">Test</th><th scope="col">Outcome</th><th scope="col">Attempts</th><th scope="col">Message</th></tr>
                </thead>
                <tbody>
                  {failedCases.map((t) => (
                    <tr key={`${t.step_index}-${t.test_id}`}>
                      <td>
                        <code>{t.test_id}</code>{' '}
                        <Link className="small" to={`/flaky?${new URLSearchParams({ repo: run.repo, test: t.test_id })}`} aria-label={`History of ${t.test_id}`}>
                          history
                        </Link>
                      </td>
                      <td><StatusBadge status={t.outcome} />{t.flaky && <span className="badge tone-warn">flaky</span>}</td>
                      <td>{t.attempts}</td>
                      <td className="message">{t.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </section>

      <section aria-labelledby="events-h">
        <h2 id="events-h">Events</h2>
        {run.events.length === 0 ? (
          <p className="state empty">No events recorded.</p>
        ) : (
          <ol className="timeline">
            {run.events.map((e, i) => (
              <li key={i} data-kind={e.kind}>
                <time dateTime={e.at}>{formatTime(e.at)}</time> <strong>{humanize(e.kind)}</strong> {e.message}
                {e.attempt && !/attempt \d/.test(e.message) ? <span className="muted"> (attempt {e.attempt})</span> : null}
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}
