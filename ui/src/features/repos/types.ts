export interface RepoRun {
  id: number;
  status: string;
  commit: string | null;
  created_at: string;
  category: string | null;
}

export interface Repo {
  id: number;
  name: string;
  url: string;
  created_at: string;
  last_run: RepoRun | null;
  finished_runs: number;
  succeeded_runs: number;
  success_rate: number | null;
}

export const SCENARIOS = ['success', 'testfail', 'flaky', 'timeout', 'dns', 'disk'] as const;
