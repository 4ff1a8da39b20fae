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
  repo?: string | null;
  rule?: string;
  category?: string | null;
  runs?: number;
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

// last_good / first_bad: a commit, or {run_id, commit} (the run it was seen in).
type CommitRef = string | { run_id?: number | null; commit?: string | null } | null;

export interface SuspectCommits {
  scope?: string;
  range?: string | null;
  last_good?: CommitRef;
  first_bad?: CommitRef;
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
  cluster_id?: number | null;
  suspect_commits?: SuspectCommits | null;
}

export interface Impact {
  runs?: number;
  repos?: number | string[];
  repo_names?: string[];
  tests?: number | string[];
  test_ids?: string[];
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

export function repoNamesOf(i: Impact): string[] | null {
  if (i.repo_names && i.repo_names.length) return i.repo_names;
  return Array.isArray(i.repos) ? i.repos : null;
}

export function runIdOf(r: number | RelatedRun): number | null {
  if (typeof r === 'number') return r;
  return r.id ?? r.run_id ?? null;
}

export interface Suspects {
  lastGood: string | null;
  lastGoodRun: number | null;
  firstBad: string | null;
  firstBadRun: number | null;
  commits: string[];
  scope: string | null;
}

function commitOf(r: CommitRef | undefined): [string | null, number | null] {
  if (r == null) return [null, null];
  if (typeof r === 'string') return [r || null, null];
  return [r.commit || null, r.run_id ?? null];
}

export function suspectsOf(d: IncidentDetail): Suspects | null {
  const s = d.suspect_commits ?? d.suspected_root_cause?.suspect_commits;
  if (!s) return null;
  const [lastGood, lastGoodRun] = commitOf(s.last_good ?? s.last_passing);
  const [firstBad, firstBadRun] = commitOf(s.first_bad ?? s.first_failing);
  if (!lastGood && !firstBad && !(s.commits && s.commits.length)) return null;
  return { lastGood, lastGoodRun, firstBad, firstBadRun, commits: s.commits ?? [], scope: s.scope ?? null };
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
