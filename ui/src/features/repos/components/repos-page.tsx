import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { QueryState } from '@/components/ui/query-state';
import { StatusBadge } from '@/components/ui/status-badge';
import { useNow } from '@/components/ui/use-now';
import { errorMessage } from '@/lib/api-client';
import { formatAgo, formatPercent, humanize } from '@/lib/format';
import { useCreateRepo } from '../api/create-repo';
import { useRepos } from '../api/get-repos';
import { useTriggerRun } from '../api/trigger-run';
import { SCENARIOS, type Repo } from '../types';

export function ReposPage() {
  const query = useRepos();
  const now = useNow();
  return (
    <>
      <header className="page-header">
        <h1>Repositories</h1>
      </header>
      <QueryState query={query} what="repositories" isEmpty={(d) => d.items.length === 0} empty="No repositories registered yet. Add one below.">
        {(data) => (
          <>
            <table className="data">
              <caption className="visually-hidden">Registered repositories</caption>
              <thead>
                <tr>
                  <th scope="col">Repository</th><th scope="col">Source</th><th scope="col">Last run</th>
                  <th scope="col">Success rate</th><th scope="col">Runs</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((r) => (
                  <tr key={r.id} data-repo={r.name}>
                    <td><Link to={`/runs?repo=${encodeURIComponent(r.name)}`}>{r.name}</Link></td>
                    <td className="muted small"><code>{r.url}</code></td>
                    <td>
                      {r.last_run ? (
                        <>
                          <Link to={`/runs/${r.last_run.id}`}>#{r.last_run.id}</Link> <StatusBadge status={r.last_run.status} />{' '}
                          {r.last_run.category && <span className="category">{humanize(r.last_run.category)}</span>}{' '}
                          <span className="muted">{formatAgo(r.last_run.created_at, now)}</span>
                        </>
                      ) : (
                        'no runs yet'
                      )}
                    </td>
                    <td>{formatPercent(r.success_rate)}</td>
                    <td>{r.finished_runs}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <TriggerRunForm repos={data.items} />
          </>
        )}
      </QueryState>
      <AddRepoForm />
    </>
  );
}

function TriggerRunForm({ repos }: { repos: Repo[] }) {
  const trigger = useTriggerRun();
  const [repo, setRepo] = useState(repos[0]?.name ?? '');
  const [scenario, setScenario] = useState('');
  const [ref, setRef] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    trigger.mutate({ repo: repo || repos[0]?.name, scenario: scenario || undefined, ref: ref.trim() || undefined });
  };
  return (
    <form className="card form" onSubmit={submit} aria-labelledby="trigger-h">
      <h2 id="trigger-h">Trigger a run</h2>
      <label>
        Repository
        <select name="repo" value={repo || repos[0]?.name} onChange={(e) => setRepo(e.target.value)} required>
          {repos.map((r) => (
            <option key={r.id} value={r.name}>
              {r.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Scenario
        <select name="scenario" value={scenario} onChange={(e) => setScenario(e.target.value)}>
          <option value="">none (the repository as it is)</option>
          {SCENARIOS.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        Ref (optional)
        <input name="ref" value={ref} onChange={(e) => setRef(e.target.value)} placeholder="branch or commit" />
      </label>
      <button type="submit" disabled={trigger.isPending}>
        {trigger.isPending ? 'Triggering…' : 'Trigger run'}
      </button>
      {trigger.isError && <p className="state error" role="alert">{errorMessage(trigger.error)}</p>}
      {trigger.data && (
        <p role="status" className="ok-message">
          Queued <Link to={`/runs/${trigger.data.id}`}>run #{trigger.data.id}</Link>.
        </p>
      )}
    </form>
  );
}

function AddRepoForm() {
  const create = useCreateRepo();
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ name: name.trim(), url: url.trim() }, { onSuccess: () => { setName(''); setUrl(''); } });
  };
  return (
    <form className="card form" onSubmit={submit} aria-labelledby="add-h">
      <h2 id="add-h">Add a repository</h2>
      <label>
        Name
        <input name="name" value={name} onChange={(e) => setName(e.target.value)} required placeholder="my-service" />
      </label>
      <label>
        URL
        <input name="url" value={url} onChange={(e) => setUrl(e.target.value)} required placeholder="a local path, file:// or git URL" />
      </label>
      <button type="submit" disabled={create.isPending}>
        {create.isPending ? 'Adding…' : 'Add repository'}
      </button>
      {create.isError && <p className="state error" role="alert">{errorMessage(create.error)}</p>}
      {create.isSuccess && <p role="status" className="ok-message">Added {create.data.name}.</p>}
    </form>
  );
}
