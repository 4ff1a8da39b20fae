// GET /tests/flaky and GET /tests/{id} (issue 7). Optional fields are read defensively:
// the server may add or omit them.
export type Classification = 'flaky' | 'failing' | 'stable' | 'insufficient';

export interface FlakyTest {
  id?: number | string;
  repo: string;
  repo_id?: number;
  test_id: string;
  signature?: string | null;
  window: number;
  runs: number;
  failures: number;
  failure_ratio: number;
  flips: number;
  score: number;
  interval?: [number, number] | { low: number; high: number } | null;
  interval_low?: number;
  interval_high?: number;
  reason?: string; // one sentence: why this classification
  classification: Classification;
  last_failing_run: number | { id: number } | null;
  quarantined?: boolean;
  outcomes?: Outcome[];
}

export interface Outcome {
  run_id?: number;
  run?: number;
  commit: string | null;
  outcome: string;
  attempt?: number;
  attempts?: number; // how many attempts the run made of it (GET /tests/flaky, /tests/{id})
  at?: string;
}

export interface Quarantine {
  signature?: string | null;
  reason?: string;
  by?: string;
  at?: string;
}

export interface TestDetail extends FlakyTest {
  outcomes?: Outcome[];
  by_commit?: { commit: string | null; outcomes: Outcome[] }[];
  // GET /tests/{id}: the window's outcomes grouped by commit, oldest first.
  commits?: { commit: string | null; runs: Outcome[] }[];
  evidence?: unknown;
  // GET /tests/{id}: {active, quarantines, history}; older shapes: one quarantine or a list.
  quarantine?: Quarantine | Quarantine[] | { active: boolean; quarantines?: Quarantine[] } | null;
}

export function intervalOf(t: FlakyTest): [number, number] | null {
  const i = t.interval;
  if (!i) return t.interval_low !== undefined && t.interval_high !== undefined ? [t.interval_low, t.interval_high] : null;
  if (Array.isArray(i)) return [i[0], i[1]];
  return [i.low, i.high];
}

export function lastFailingRun(t: FlakyTest): number | null {
  const r = t.last_failing_run;
  if (r == null) return null;
  return typeof r === 'number' ? r : r.id;
}

export function testKey(t: FlakyTest): string {
  return String(t.id ?? t.test_id);
}

// The window's outcomes grouped by commit, in run order.
export function groupByCommit(d: TestDetail): { commit: string | null; outcomes: Outcome[] }[] {
  if (d.by_commit) return d.by_commit;
  if (d.commits) return d.commits.map((c) => ({ commit: c.commit, outcomes: c.runs }));
  const groups: { commit: string | null; outcomes: Outcome[] }[] = [];
  for (const o of d.outcomes ?? []) {
    const last = groups[groups.length - 1];
    if (last && last.commit === o.commit) last.outcomes.push(o);
    else groups.push({ commit: o.commit, outcomes: [o] });
  }
  return groups;
}

export function quarantinesOf(d: TestDetail): Quarantine[] {
  const q = d.quarantine;
  if (!q) return [];
  if (Array.isArray(q)) return q;
  if ('active' in q) return q.active ? (q.quarantines ?? []) : [];
  return [q];
}
