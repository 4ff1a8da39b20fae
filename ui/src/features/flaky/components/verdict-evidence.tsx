import { Fragment, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { StatusBadge } from '@/components/ui/status-badge';
import { ValueView } from '@/components/ui/value-view';
import { shortSha } from '@/lib/format';

// The evidence behind a test's verdict (GET /tests/{id} `evidence`), written out as facts:
// which runs failed, whether one commit saw both outcomes, retries that passed, the current
// failing streak, infrastructure failures set aside, and the verdict per failure signature.
// Fields this page does not know are shown through ValueView, never as raw JSON.

type Raw = Record<string, unknown>;
const KNOWN = new Set([
  'reason', 'passes', 'retry_passes', 'both_outcomes_commits', 'pass_on_retry_runs', 'failing_runs', 'commits',
  'streak', 'infrastructure_failures', 'infrastructure_runs', 'last_failing_run', 'signatures',
]);

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const runId = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) && n > 0 ? n : null;
};
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function RunLinks({ runs }: { runs: unknown[] }) {
  const ids = runs.map(runId).filter((r): r is number => r !== null);
  if (ids.length === 0) return <span className="muted">none</span>;
  return (
    <>
      {ids.map((id, i) => (
        <Fragment key={id}>
          {i > 0 && ', '}
          <Link to={`/runs/${id}`}>#{id}</Link>
        </Fragment>
      ))}
    </>
  );
}

function Commits({ commits }: { commits: unknown[] }) {
  const shas = commits.filter((c): c is string => typeof c === 'string' && c !== '');
  if (shas.length === 0) return <span className="muted">none</span>;
  return (
    <>
      {shas.map((c, i) => (
        <Fragment key={c}>
          {i > 0 && ', '}
          <code title={c}>{shortSha(c)}</code>
        </Fragment>
      ))}
    </>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Streak({ s }: { s: Raw }) {
  const length = typeof s.length === 'number' ? s.length : 0;
  if (length === 0) return <>none: the latest counted run passed</>;
  const first = runId(s.first_failing_run);
  const lastPass = runId(s.last_passing_run);
  return (
    <>
      {plural(length, 'run')} in a row
      {first !== null && (
        <>
          {' '}since <Link to={`/runs/${first}`}>#{first}</Link>
        </>
      )}
      {typeof s.first_failing_commit === 'string' && (
        <>
          {' '}on <code title={s.first_failing_commit}>{shortSha(s.first_failing_commit)}</code>
        </>
      )}
      {lastPass !== null && (
        <>
          ; last passed in <Link to={`/runs/${lastPass}`}>#{lastPass}</Link>
          {typeof s.last_passing_commit === 'string' && (
            <>
              {' '}on <code title={s.last_passing_commit}>{shortSha(s.last_passing_commit)}</code>
            </>
          )}
        </>
      )}
      {s.regression === true && <strong> (a regression: it fails on every run since a commit)</strong>}
    </>
  );
}

function Signatures({ sigs }: { sigs: Raw[] }) {
  return (
    <table className="data compact">
      <caption>Verdict by failure signature</caption>
      <thead>
        <tr>
          <th scope="col">Signature</th><th scope="col">Verdict</th><th scope="col">Score (interval)</th>
          <th scope="col">Failures</th><th scope="col">Why</th>
        </tr>
      </thead>
      <tbody>
        {sigs.map((s, i) => {
          const iv = Array.isArray(s.interval) && s.interval.length === 2 ? (s.interval as number[]) : null;
          return (
            <tr key={`${String(s.signature)}-${i}`}>
              <td><code>{typeof s.signature === 'string' && s.signature ? s.signature : '—'}</code></td>
              <td>{typeof s.classification === 'string' ? <StatusBadge status={s.classification} /> : '—'}</td>
              <td>
                {typeof s.score === 'number' ? s.score.toFixed(2) : '—'}
                {iv && <span className="muted"> ({Number(iv[0]).toFixed(2)}–{Number(iv[1]).toFixed(2)})</span>}
              </td>
              <td>{typeof s.failures === 'number' && typeof s.runs === 'number' ? `${s.failures} of ${s.runs}` : '—'}</td>
              <td>{typeof s.reason === 'string' ? s.reason : '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

// One entry of an evidence list (older servers sent a list of sentences or {kind, run, commit}).
function describe(e: unknown): ReactNode {
  if (typeof e === 'string') return e;
  if (e && typeof e === 'object' && !Array.isArray(e)) {
    const o = e as Raw;
    if (typeof o.message === 'string') return o.message;
    if (typeof o.kind === 'string') {
      const run = runId(o.run ?? o.run_id);
      return (
        <>
          {o.kind.replace(/_/g, ' ')}
          {run !== null && (
            <>
              {' '}(<Link to={`/runs/${run}`}>run {run}</Link>)
            </>
          )}
          {typeof o.commit === 'string' && <> on <code title={o.commit}>{shortSha(o.commit)}</code></>}
        </>
      );
    }
  }
  return <ValueView value={e} />;
}

export function VerdictEvidence({ evidence, reason }: { evidence: unknown; reason?: string }) {
  if (evidence == null) return <p className="muted">No evidence recorded.</p>;
  if (Array.isArray(evidence) || typeof evidence !== 'object') {
    const items = Array.isArray(evidence) ? evidence : [evidence];
    if (items.length === 0) return <p className="muted">No evidence recorded.</p>;
    return (
      <ul className="evidence-list">
        {items.map((e, i) => (
          <li key={i}>{describe(e)}</li>
        ))}
      </ul>
    );
  }
  const ev = evidence as Raw;
  const failing = list(ev.failing_runs);
  const passes = typeof ev.passes === 'number' ? ev.passes : null;
  const retryPasses = typeof ev.retry_passes === 'number' ? ev.retry_passes : 0;
  const infra = typeof ev.infrastructure_failures === 'number' ? ev.infrastructure_failures : list(ev.infrastructure_runs).length;
  const streak = ev.streak && typeof ev.streak === 'object' && !Array.isArray(ev.streak) ? (ev.streak as Raw) : null;
  const sigs = list(ev.signatures).filter((s): s is Raw => !!s && typeof s === 'object' && !Array.isArray(s));
  const rest = Object.entries(ev).filter(([k]) => !KNOWN.has(k));
  const lastFailing = runId(ev.last_failing_run);
  return (
    <>
      {typeof ev.reason === 'string' && ev.reason !== reason && <p>{ev.reason}</p>}
      <dl className="facts evidence-facts" aria-label="Evidence for the verdict">
        {'failing_runs' in ev && (
          <Fact term={`Failed in ${plural(failing.length, 'run')}`}>
            <RunLinks runs={failing} />
          </Fact>
        )}
        {passes !== null && (
          <Fact term="Passed">
            {plural(passes, 'run')}
            {retryPasses > 0 && ` (${retryPasses} only on a retry)`}
          </Fact>
        )}
        {'both_outcomes_commits' in ev && (
          <Fact term="Passed and failed on the same commit">
            <Commits commits={list(ev.both_outcomes_commits)} />
          </Fact>
        )}
        {'pass_on_retry_runs' in ev && (
          <Fact term="Passed on a retry of the same run">
            <RunLinks runs={list(ev.pass_on_retry_runs)} />
          </Fact>
        )}
        {'commits' in ev && <Fact term="Commits in the window">{list(ev.commits).length}</Fact>}
        {('infrastructure_failures' in ev || 'infrastructure_runs' in ev) && (
          <Fact term="Infrastructure failures set aside">
            {infra === 0 ? 'none' : <>{infra} (<RunLinks runs={list(ev.infrastructure_runs)} />)</>}
          </Fact>
        )}
        {streak && (
          <Fact term="Current failing streak">
            <Streak s={streak} />
          </Fact>
        )}
        {'last_failing_run' in ev && (
          <Fact term="Last failing run">{lastFailing !== null ? <Link to={`/runs/${lastFailing}`}>#{lastFailing}</Link> : 'none in the window'}</Fact>
        )}
        {rest.map(([k, v]) => (
          <Fact key={k} term={k.replace(/_/g, ' ')}>
            <ValueView value={v} />
          </Fact>
        ))}
      </dl>
      {sigs.length > 0 && <Signatures sigs={sigs} />}
    </>
  );
}
