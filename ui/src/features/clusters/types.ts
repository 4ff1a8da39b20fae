export interface Cluster {
  id: number;
  fingerprint: string;
  category: string;
  signature: string;
  title: string;
  template: string;
  occurrences: number;
  affected_runs: number;
  affected_repos: number;
  first_seen: string;
  last_seen: string;
  excerpt: { line: number; text: string }[];
  hint: string;
  representative_run_id: number | null;
  incident_id?: number | null; // once incidents land (issue 8)
  incident?: { id: number; key?: string; title?: string; status: string; severity?: string } | null;
}

export interface ClusterRun {
  id: number;
  repo_id: number;
  repo_name: string;
  status: string;
  created_at: string;
}

export interface ClusterDetail extends Cluster {
  runs: ClusterRun[];
}

export const CATEGORIES = [
  'test_failure', 'compilation_error', 'dependency_error', 'network_dns', 'network_error', 'disk_full',
  'out_of_memory', 'timeout', 'crash', 'permission_denied', 'config_error', 'lint_error', 'infrastructure', 'unknown',
];
