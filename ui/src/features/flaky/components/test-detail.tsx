import { useState, type FormEvent } from 'react';
import { ErrorState, Loading } from '@/components/ui/query-state';
import { errorMessage } from '@/lib/api-client';
import { formatTime } from '@/lib/format';
import { useTest } from '../api/get-test';
import { useQuarantine } from '../api/quarantine-test';
import { groupByCommit, quarantinesOf, type TestDetail } from '../types';
import { OutcomeStrip } from './outcome-strip';

function EvidenceList({ evidence }: { evidence: unknown }) {
  if (evidence == null) return <p className="muted">No evidence recorded.</p>;
  const items = Array.isArray(evidence) ? evidence : typeof evidence === 'object' ? Object.entries(evidence as object) : [evidence];
  if (items.length === 0) return <p className="muted">No evidence recorded.</p>;
  return (
    <ul className="evidence-list">
      {items.map((e, i) => (
        <li key={i}>{describe(e)}</li>
      ))}
    </ul>
  );
}

function describe(e: unknown): string {
  if (typeof e === 'string') return e;
  if (Array.isArray(e) && e.length === 2 && typeof e[0] === 'string') return `${e[0].replace(/_/g, ' ')}: ${describe(e[1])}`;
  if (e && typeof e === 'object') {
    const o = e as Record<string, unknown>;
    if (typeof o.message === 'string') return o.message;
    if (typeof o.kind === 'string') return `${o.kind.replace(/_/g, ' ')}${o.run ? ` (run ${o.run})` : ''}${o.commit ? ` on ${String(o.commit).slice(0, 8)}` : ''}`;
    return JSON.stringify(e);
  }
  return String(e);
}

// The verdict's evidence, the window's outcomes and the quarantine state of one test.
export function TestDetailPanel({ id }: { id: string }) {
  const query = useTest(id);
  if (query.isPending) return <Loading what="the test's history" />;
  if (query.isError) return <ErrorState error={query.error} what="the test's history" retry={() => void query.refetch()} />;
  return <Detail test={query.data} id={id} />;
}

function Detail({ test, id }: { test: TestDetail; id: string }) {
  const q = useQuarantine(id);
  const [reason, setReason] = useState('');
  const quarantines = quarantinesOf(test);
  const quarantined = test.quarantined ?? quarantines.length > 0;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    q.add.mutate({ reason: reason.trim() || 'quarantined from the dashboard', signature: test.signature ?? null });
  };
  return (
    <div className="test-detail">
      <h3>Outcomes in the window</h3>
      <OutcomeStrip groups={groupByCommit(test)} />
      <h3>Evidence for the verdict</h3>
      {test.reason && <p>{test.reason}</p>}
      <EvidenceList evidence={test.evidence} />
      <h3>Quarantine</h3>
      {quarantined ? (
        <>
          <ul>
            {quarantines.map((qq, i) => (
              <li key={i}>
                Quarantined{qq.signature ? ` for signature ${qq.signature}` : ' (all signatures)'}
                {qq.by ? ` by ${qq.by}` : ''}
                {qq.at ? ` at ${formatTime(qq.at)}` : ''}
                {qq.reason ? `: ${qq.reason}` : ''}
              </li>
            ))}
            {quarantines.length === 0 && <li>Quarantined.</li>}
          </ul>
          <button type="button" onClick={() => q.lift.mutate()} disabled={q.lift.isPending}>
            Lift quarantine
          </button>
        </>
      ) : (
        <form onSubmit={submit} className="inline-form">
          <p>Not quarantined: its failures fail the run.</p>
          <label>
            Reason
            <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="why (recorded)" />
          </label>
          <button type="submit" disabled={q.add.isPending}>
            Quarantine
          </button>
        </form>
      )}
      {(q.add.error || q.lift.error) && (
        <p className="state error" role="alert">
          {errorMessage(q.add.error ?? q.lift.error)}
        </p>
      )}
    </div>
  );
}
