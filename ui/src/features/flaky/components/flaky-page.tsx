import { Fragment } from 'react';
import { Link } from 'react-router-dom';
import { Pager, usePageCursor } from '@/components/ui/pager';
import { QueryState } from '@/components/ui/query-state';
import { StatusBadge } from '@/components/ui/status-badge';
import { formatPercent } from '@/lib/format';
import { useSearchParam } from '@/lib/use-search-param';
import { useFlakyTests } from '../api/get-flaky-tests';
import { groupByCommit, intervalOf, lastFailingRun, testKey } from '../types';
import { OutcomeStrip } from './outcome-strip';
import { TestDetailPanel } from './test-detail';

export function FlakyPage() {
  const [repo, setRepo] = useSearchParam('repo');
  const [classification, setClassification] = useSearchParam('classification');
  const [open, setOpen] = useSearchParam('test');
  const page = usePageCursor();
  const query = useFlakyTests({ repo: repo || undefined, classification: classification || undefined, cursor: page.cursor });
  return (
    <>
      <header className="page-header">
        <h1>Flaky tests</h1>
      </header>
      <form className="filters" role="search" aria-label="Filter tests" onSubmit={(e) => e.preventDefault()}>
        <label>
          Repository
          <input type="search" value={repo} onChange={(e) => setRepo(e.target.value.trim())} placeholder="name or id" />
        </label>
        <label>
          Classification
          <select value={classification} onChange={(e) => setClassification(e.target.value)}>
            <option value="">default</option>
            <option value="flaky">flaky</option>
            <option value="failing">failing</option>
            <option value="stable">stable</option>
            <option value="insufficient">insufficient</option>
          </select>
        </label>
      </form>
      <QueryState
        query={query}
        what="flaky tests"
        isEmpty={(d) => d.items.length === 0}
        empty={repo || classification ? 'No tests match these filters.' : 'No flaky tests detected. Tests appear here once their history shows flakiness.'}
      >
        {(data) => (
          <>
            <table className="data">
              <caption className="visually-hidden">Tests by flakiness score</caption>
              <thead>
                <tr>
                  <th scope="col">Test</th><th scope="col">Repository</th><th scope="col">Classification</th>
                  <th scope="col">Score (interval)</th><th scope="col">Failure ratio</th><th scope="col">Flips</th>
                  <th scope="col">Window</th><th scope="col">Last failing run</th><th scope="col"><span className="visually-hidden">Details</span></th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((t) => {
                  const key = testKey(t);
                  const iv = intervalOf(t);
                  const lfr = lastFailingRun(t);
                  const expanded = open === key || (open !== '' && open === t.test_id); // ?test= takes the id or the test's name
                  return (
                    <Fragment key={`${t.repo}-${key}`}>
                      <tr data-test-id={t.test_id}>
                        <td>
                          <code>{t.test_id}</code>
                          {t.quarantined && <span className="badge tone-warn">quarantined</span>}
                          {t.outcomes && t.outcomes.length > 0 && <OutcomeStrip groups={groupByCommit(t)} />}
                        </td>
                        <td>{t.repo}</td>
                        <td><StatusBadge status={t.classification} /></td>
                        <td>
                          {t.score.toFixed(2)}
                          {iv && <span className="muted"> ({iv[0].toFixed(2)}–{iv[1].toFixed(2)})</span>}
                        </td>
                        <td>{formatPercent(t.failure_ratio)} <span className="muted small">({t.failures}/{t.runs})</span></td>
                        <td>{t.flips}</td>
                        <td>{t.window}</td>
                        <td>{lfr ? <Link to={`/runs/${lfr}`}>#{lfr}</Link> : '—'}</td>
                        <td>
                          <button type="button" className="link" aria-expanded={expanded} onClick={() => setOpen(expanded ? '' : key)}>
                            {expanded ? 'hide' : 'details'}
                          </button>
                        </td>
                      </tr>
                      {expanded && (
                        <tr className="expanded">
                          <td colSpan={9}>
                            <TestDetailPanel id={key} />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
            <Pager cursor={page.cursor} nextCursor={data.next_cursor} older={page.older} newer={page.newer} />
          </>
        )}
      </QueryState>
    </>
  );
}
