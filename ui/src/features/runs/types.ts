import { evidenceText, normalizeEvidence, type Evidence as EvidenceLine } from '@/lib/evidence';
// The run shapes of GET /runs and GET /runs/{id} (CONTRACT.md section 3).
export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'timed_out' | 'errored' | 'cancelled';
export const RUN_STATUSES: RunStatus[] = ['queued', 'running', 'succeeded', 'failed', 'timed_out', 'errored', 'cancelled'];
export const SCENARIOS = ['success', 'testfail', 'flaky', 'timeout', 'dns', 'disk'] as const;

export interface Run {
  id: number;
  repo_id: number;
  repo: string;
  ref: string | null;
  commit: string | null;
  scenario: string | null;
  status: RunStatus;
  attempt: number;
  worker: string | null;
  reason: string | null;
  category: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
}

export interface Step {
  index: number;
  name: string;
  command: string;
  status: string;
  exit_code: number | null;
  attempts: number;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  warnings?: string[];
}

// An evidence line: its 1-based line number in the step's log (null when the producer gave
// none) and clean text (lib/evidence.ts normalizes what the API sends).
export type { EvidenceLine };

export interface Failure {
  id: number;
  step_index: number;
  category: string;
  signature: string;
  fingerprint: string;
  cluster_id: number | null;
  confidence: number;
  title: string;
  evidence: EvidenceLine[];
  hints: string[];
  remediation: string | string[];
  flaky?: boolean;
  created_at?: string;
}

export interface TestCase {
  test_id: string;
  suite: string;
  class: string;
  name: string;
  outcome: string;
  duration_ms: number;
  message: string;
  attempts: number;
  step_index: number;
  file?: string;
  flaky?: boolean;
}

export interface RunEvent {
  at: string;
  kind: string;
  message: string;
  attempt?: number;
}

export interface RunDetail extends Run {
  steps: Step[];
  tests: { total: number; passed: number; failed: number; errors: number; skipped: number; failed_cases: TestCase[] };
  failures: Failure[];
  events: RunEvent[];
}

export const isActive = (status: string | undefined) => status === 'queued' || status === 'running';

const strings = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === null || v === undefined || v === '' ? [] : [v]).map((x) => evidenceText(x)).filter((x) => x !== '');

// GET /runs/{id} as the pages read it: evidence, hints and remediation normalized to clean
// text whatever their stored shape, so no page prints raw JSON.
export function normalizeRunDetail(raw: RunDetail): RunDetail {
  const failures = (Array.isArray(raw.failures) ? raw.failures : []).map((f) => ({
    ...f,
    evidence: normalizeEvidence(f.evidence),
    hints: strings(f.hints),
    remediation: strings(f.remediation),
  }));
  const tests = raw.tests ?? { total: 0, passed: 0, failed: 0, errors: 0, skipped: 0, failed_cases: [] };
  return {
    ...raw,
    steps: Array.isArray(raw.steps) ? raw.steps : [],
    failures,
    tests: { ...tests, failed_cases: (tests.failed_cases ?? []).map((t) => ({ ...t, message: evidenceText(t.message) })) },
    events: (Array.isArray(raw.events) ? raw.events : []).map((e) => ({ ...e, message: evidenceText(e.message) })),
  };
}
