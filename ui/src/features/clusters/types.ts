import { normalizeEvidence, type Evidence } from '@/lib/evidence';

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
  excerpt: Evidence[];
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

// The excerpt as clean evidence lines, whatever shape the server stored.
export function normalizeCluster<T extends Cluster>(c: T): T {
  return { ...c, excerpt: normalizeEvidence(c.excerpt) };
}
