// GET /incidents, GET /incidents/{id} (CONTRACT.md section 3, issue 8). Optional fields
// are read defensively.
export type IncidentStatus = 'open' | 'mitigating' | 'resolved';

export interface Incident {
  id: number;
  key: string;
  title: string;
  status: IncidentStatus;
  severity: string;
  kind?: string;
  cluster_id: number | null;
  repo_id: number | null;
  opened_at: string;
  resolved_at: string | null;
  updated_at?: string;
}

export interface TimelineEntry {
  at: string;
  kind: string;
  message: string;
  run_id: number | null;
}

export interface RelatedRun {
  id?: number;
  run_id?: number;
  repo?: string;
  repo_name?: string;
  status?: string;
  commit?: string | null;
  created_at?: string;
  category?: string | null;
}

export interface SuspectCommits {
  last_good?: string | null;
  first_bad?: string | null;
  last_passing?: string | null;
  first_failing?: string | null;
  repo?: string;
  commits?: string[];
}

export interface RootCause {
  category?: string;
  signature?: string;
  title?: string;
  hint?: string;
  remediation?: string | string[];
  confidence?: number;
  suspect_commits?: SuspectCommits | null;
}

export interface Impact {
  runs?: number;
  repos?: number | string[];
  tests?: number | string[];
  failures?: number;
  first_failure?: string | null;
  last_failure?: string | null;
  duration_ms?: number | null;
}

export interface IncidentDetail extends Incident {
  timeline: TimelineEntry[];
  related_runs: (number | RelatedRun)[];
  impact: Impact | null;
  suspected_root_cause: RootCause | null;
  suspect_commits?: SuspectCommits | null;
  status_history?: { at: string; from?: string; to?: string; status?: string; note?: string; by?: string }[];
}

export function runIdOf(r: number | RelatedRun): number | null {
  if (typeof r === 'number') return r;
  return r.id ?? r.run_id ?? null;
}

export function suspectsOf(d: IncidentDetail): { lastGood: string | null; firstBad: string | null; commits: string[] } | null {
  const s = d.suspect_commits ?? d.suspected_root_cause?.suspect_commits;
  if (!s) return null;
  const lastGood = s.last_good ?? s.last_passing ?? null;
  const firstBad = s.first_bad ?? s.first_failing ?? null;
  if (!lastGood && !firstBad && !(s.commits && s.commits.length)) return null;
  return { lastGood, firstBad, commits: s.commits ?? [] };
}

export function countOf(v: number | string[] | undefined): number | null {
  if (v === undefined) return null;
  return Array.isArray(v) ? v.length : v;
}

// The moves the dashboard offers from each state (the server has the last word: 422).
export function nextStatuses(s: IncidentStatus): IncidentStatus[] {
  if (s === 'open') return ['mitigating', 'resolved'];
  if (s === 'mitigating') return ['resolved', 'open'];
  return ['open'];
}

export const SEVERITIES = ['critical', 'high', 'medium', 'low'];
