import { useState, type FormEvent } from 'react';
import { ErrorState, Loading } from '@/components/ui/query-state';
import { errorMessage } from '@/lib/api-client';
import { formatTime } from '@/lib/format';
import { useTest } from '../api/get-test';
import { useQuarantine } from '../api/quarantine-test';
import { groupByCommit, quarantinesOf, type TestDetail } from '../types';
import { OutcomeStrip } from './outcome-strip';
import { VerdictEvidence } from './verdict-evidence';

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
      <VerdictEvidence evidence={test.evidence} reason={test.reason} />
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
