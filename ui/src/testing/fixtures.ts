// Documented API shapes (CONTRACT.md section 3, issues 7 and 8) for component tests.
export const run = (over: Record<string, unknown> = {}) => ({
  id: 42, repo_id: 1, repo: 'demo-python', ref: 'main', commit: 'a1b2c3d4e5f6a7b8c9d0', scenario: 'testfail',
  status: 'failed', attempt: 1, worker: 'w-1', reason: null, category: 'test_failure',
  created_at: '2026-12-05T10:00:00Z', started_at: '2026-12-05T10:00:01Z', finished_at: '2026-12-05T10:00:31Z', duration_ms: 30000,
  ...over,
});

export const runDetail = (over: Record<string, unknown> = {}) => ({
  ...run(),
  steps: [
    { index: 0, name: 'install', command: 'pip install -e .', status: 'succeeded', exit_code: 0, attempts: 1, started_at: '2026-12-05T10:00:01Z', finished_at: '2026-12-05T10:00:10Z', duration_ms: 9000 },
    { index: 1, name: 'test', command: 'pytest', status: 'failed', exit_code: 1, attempts: 1, started_at: '2026-12-05T10:00:10Z', finished_at: '2026-12-05T10:00:31Z', duration_ms: 21000 },
  ],
  tests: {
    total: 12, passed: 10, failed: 2, errors: 0, skipped: 0,
    failed_cases: [
      { test_id: 'tests.test_math::test_add', suite: 'pytest', class: 'tests.test_math', name: 'test_add', outcome: 'failed', duration_ms: 3, message: 'assert 3 == 4', attempts: 1, step_index: 1 },
      { test_id: 'tests.test_net::test_retry', suite: 'pytest', class: 'tests.test_net', name: 'test_retry', outcome: 'failed', duration_ms: 5, message: 'timeout', attempts: 2, step_index: 1, flaky: true },
    ],
  },
  failures: [
    {
      id: 7, step_index: 1, category: 'test_failure', signature: 'pytest-assert', fingerprint: 'ab12', cluster_id: 3, confidence: 0.92,
      title: 'pytest assertion failed', evidence: [{ line: 3, text: 'E       assert 3 == 4' }], hints: ['A test assertion failed.'],
      remediation: 'Fix the code or the test.',
    },
  ],
  events: [
    { at: '2026-12-05T10:00:00Z', kind: 'queued', message: 'run queued', attempt: 0 },
    { at: '2026-12-05T10:00:01Z', kind: 'claimed', message: 'claimed by w-1', attempt: 1 },
  ],
  ...over,
});

export const flakyTest = (over: Record<string, unknown> = {}) => ({
  id: 5, repo: 'demo-python', test_id: 'tests.test_net::test_retry', window: 30, runs: 12, failures: 4, failure_ratio: 0.333,
  flips: 6, score: 0.81, interval: [0.62, 0.93], classification: 'flaky', last_failing_run: 40, ...over,
});

export const incident = (over: Record<string, unknown> = {}) => ({
  id: 9, key: 'cluster:3', title: 'pytest assertion failed in demo-python', status: 'open', severity: 'high',
  cluster_id: 3, repo_id: 1, opened_at: '2026-12-05T10:01:00Z', resolved_at: null, ...over,
});

export const incidentDetail = (over: Record<string, unknown> = {}) => ({
  ...incident(),
  timeline: [
    { at: '2026-12-05T10:01:00Z', kind: 'opened', message: 'cluster #3 failed in 3 runs within 24h', run_id: 40 },
    { at: '2026-12-05T10:05:00Z', kind: 'occurrence', message: 'failed again', run_id: 42 },
  ],
  related_runs: [
    { id: 40, repo_id: 1, repo: 'demo-python', status: 'failed', commit: 'a1b2c3d4e5f6a7b8', created_at: '2026-12-05T10:00:00Z' },
    41,
    { id: 42, repo_id: 1, repo: 'demo-python', status: 'failed', commit: 'a1b2c3d4e5f6a7b8', created_at: '2026-12-05T10:04:00Z' },
  ],
  impact: { runs: 3, repos: 1, repo_names: ['demo-python'], tests: 1, test_ids: ['tests/test_cart.py::test_total'], first_failure: '2026-12-05T10:00:31Z', last_failure: '2026-12-05T10:05:00Z', failures: 3, duration_ms: 269000 },
  suspected_root_cause: { category: 'test_failure', signature: 'pytest-assert', hint: 'A test assertion failed.', remediation: 'Fix the code.', confidence: 0.9 },
  suspect_commits: { scope: 'repo demo-python', last_good: { run_id: 39, commit: '1111111122222222' }, first_bad: { run_id: 40, commit: 'a1b2c3d4e5f6a7b8' }, range: '1111111122222222..a1b2c3d4e5f6a7b8' },
  ...over,
});

export const overview = (over: Record<string, unknown> = {}) => ({
  runs_by_status: { succeeded: 80, failed: 15, running: 2, queued: 3 },
  success_rate: 0.842,
  daily_trend: [
    { date: '2026-12-03', finished: 30, succeeded: 27, failed: 3, success_rate: 0.9 },
    { date: '2026-12-04', finished: 40, succeeded: 30, failed: 10, success_rate: 0.75 },
  ],
  mttr_ms: 1800000,
  queue_depth: 3,
  workers: { busy: 2, idle: 0 },
  open_incidents: { total: 1, by_severity: { high: 1 } },
  flaky_tests: 4,
  top_clusters: [{ id: 3, title: 'pytest assertion failed', category: 'test_failure', occurrences: 12 }],
  failures: { total: 100, explained: 93, explained_share: 0.93 },
  ...over,
});
