import { Link } from 'react-router-dom';
import { Pager, usePageCursor } from '@/components/ui/pager';
import { QueryState } from '@/components/ui/query-state';
import { useNow } from '@/components/ui/use-now';
import { formatAgo, humanize } from '@/lib/format';
import { useSearchParam } from '@/lib/use-search-param';
import { useClusters } from '../api/get-clusters';
import { CATEGORIES } from '../types';

export function ClustersPage() {
  const [category, setCategory] = useSearchParam('category');
  const [repo, setRepo] = useSearchParam('repo');
  const page = usePageCursor();
  const query = useClusters({ category: category || undefined, repo: repo || undefined, cursor: page.cursor });
  const now = useNow();
  return (
    <>
      <header className="page-header">
        <h1>Failure clusters</h1>
      </header>
      <form className="filters" role="search" aria-label="Filter clusters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Category
          <select value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">any</option>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {humanize(c)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Repository id
          <input type="search" inputMode="numeric" value={repo} onChange={(e) => setRepo(e.target.value.trim())} />
        </label>
      </form>
      <QueryState
        query={query}
        what="failure clusters"
        isEmpty={(d) => d.items.length === 0}
        empty={category || repo ? 'No clusters match these filters.' : 'No failures have been clustered yet.'}
      >
        {(data) => (
          <>
            <table className="data">
              <caption className="visually-hidden">Failure clusters, most recently seen first</caption>
              <thead>
                <tr>
                  <th scope="col">Cluster</th><th scope="col">Category</th><th scope="col">Occurrences</th>
                  <th scope="col">Runs</th><th scope="col">Repos</th><th scope="col">First seen</th><th scope="col">Last seen</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((c) => (
                  <tr key={c.id} data-cluster-id={c.id}>
                    <td>
                      <Link to={`/clusters/${c.id}`}>{c.title || c.signature || `#${c.id}`}</Link>
                      {c.excerpt[0] && <div className="muted small"><code>{c.excerpt[0].text}</code></div>}
                    </td>
                    <td><span className="category">{humanize(c.category)}</span></td>
                    <td>{c.occurrences}</td>
                    <td>{c.affected_runs}</td>
                    <td>{c.affected_repos}</td>
                    <td>{formatAgo(c.first_seen, now)}</td>
                    <td>{formatAgo(c.last_seen, now)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager cursor={page.cursor} nextCursor={data.next_cursor} older={page.older} newer={page.newer} />
          </>
        )}
      </QueryState>
    </>
  );
}
