import { Link } from 'react-router-dom';
import { shortSha } from '@/lib/format';
import type { Outcome } from '../types';

// Pass/fail squares by run, grouped by commit: flakiness shows as both colours on one commit.
export function OutcomeStrip({ groups }: { groups: { commit: string | null; outcomes: Outcome[] }[] }) {
  if (groups.length === 0) return <p className="state empty">No outcomes in the window.</p>;
  return (
    <ol className="outcome-strip" aria-label="Outcomes in the window, grouped by commit, oldest first">
      {groups.map((g, i) => (
        <li key={`${g.commit}-${i}`} className="commit-group">
          <span className="commit" title={g.commit ?? 'unknown commit'}>
            {shortSha(g.commit)}
          </span>
          <span className="squares">
            {g.outcomes.map((o, j) => {
              const run = o.run_id ?? o.run;
              const retried = o.attempt && o.attempt > 1 ? ` attempt ${o.attempt}` : o.attempts && o.attempts > 1 ? ` (${o.attempts} attempts)` : '';
              const label = `run ${run ?? '?'}${retried}: ${o.outcome}`;
              // A square links to its run (keyboard reachable); without a run id it is a picture.
              return run ? (
                <Link key={j} to={`/runs/${run}`} className={`sq sq-${o.outcome}`} title={label} aria-label={label} />
              ) : (
                <span key={j} className={`sq sq-${o.outcome}`} title={label} aria-label={label} role="img" />
              );
            })}
          </span>
        </li>
      ))}
    </ol>
  );
}
