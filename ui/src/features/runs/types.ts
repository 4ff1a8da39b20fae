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

export interface EvidenceLine {
  line: number;
  text: string;
}

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
