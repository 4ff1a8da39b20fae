// Time to first render of the overview over a history of N runs (default 10,000).
//
// The history is written straight into a fresh SQLite database before the server starts
// (`sentinel migrate`, then one SQL script through the sqlite3 CLI; triggering 10,000 runs
// through the API would take hours): 3 repositories, N runs spread over the last 30 days
// (about 80% succeeded, 10% failed, 5% timed out, 5% errored), one step each, a triaged
// failure with its evidence for every failed or timed-out run, in 300 clusters. Then a real
// `sentinel up --no-seed --workers 0` serves the API and the built dashboard (ui/dist), and
// Debian's Chromium loads `/` SAMPLES times, each in a fresh browser context (cold HTTP cache).
//
// The figure: navigation start -> the overview's key figures on screen (the first animation
// frame in which every figure tile shows a value, recorded in the page itself). Median and
// every sample are printed, with first contentful paint, GET /overview's own latency, and the
// machine's load. A measurement, not a test: it asserts nothing on time.
//
// Usage: SENTINEL_BIN=build/sentinel node e2e/perf-overview.mjs [N] [SAMPLES]   (npm run perf)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary, launchBrowser, startSentinel } from './harness.mjs';

const N = Number(process.argv[2] ?? 10000);
const SAMPLES = Number(process.argv[3] ?? 7);
const DAY = 86_400_000;

// The history, relative to now: run i (1..N) is created at now - 30 days + i * span / N.
export function historySql(n, now) {
  const t0 = now - 30 * DAY;
  const step = Math.floor((30 * DAY - 3_600_000) / n);
  const clusters = Math.min(300, Math.max(1, Math.floor(n / 20)));
  const g = `WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < ${n})`;
  const at = `${t0} + i * ${step}`;
  return `
BEGIN;
INSERT INTO repos (id, name, url, created_at) VALUES
  (1, 'perf-python', '/srv/perf-python', ${t0}), (2, 'perf-cpp', '/srv/perf-cpp', ${t0}), (3, 'perf-node', '/srv/perf-node', ${t0});
${g}
INSERT INTO runs (id, repo_id, ref, commit_sha, scenario, status, attempt, worker, reason, category,
                  created_at, queued_at, started_at, finished_at, updated_at)
SELECT i, 1 + i % 3, 'main', printf('%040x', 1000000 + i / 4), 'success',
       CASE WHEN i % 20 IN (3, 11) THEN 'failed' WHEN i % 20 = 7 THEN 'timed_out' WHEN i % 20 = 15 THEN 'errored' ELSE 'succeeded' END,
       1, 'perf-w' || (i % 4),
       CASE WHEN i % 20 IN (3, 11) THEN 'step test failed' WHEN i % 20 = 7 THEN 'step test timed out' WHEN i % 20 = 15 THEN 'worker_lost' ELSE '' END,
       CASE WHEN i % 20 IN (3, 11) THEN 'test_failure' WHEN i % 20 = 7 THEN 'timeout' WHEN i % 20 = 15 THEN 'infrastructure' ELSE '' END,
       ${at}, ${at}, ${at} + 800, ${at} + 800 + 20000 + (i % 13) * 1000, ${at} + 800 + 20000 + (i % 13) * 1000
FROM g;
INSERT INTO steps (run_id, idx, name, command, status, exit_code, attempts, started_at, finished_at, duration_ms, log_path, attempt)
SELECT id, 0, 'test', 'pytest -q',
       CASE status WHEN 'succeeded' THEN 'succeeded' WHEN 'failed' THEN 'failed' WHEN 'timed_out' THEN 'timed_out' ELSE 'errored' END,
       CASE status WHEN 'succeeded' THEN 0 WHEN 'failed' THEN 1 ELSE NULL END, 1, started_at, finished_at,
       finished_at - started_at, 'logs/run-' || id || '/0.log', 1
FROM runs;
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ${clusters})
INSERT INTO clusters (id, fingerprint, category, signature, title, template, occurrences, first_seen, last_seen, excerpt, hint, kb_version)
SELECT i, printf('%016x', 4096 + i), CASE WHEN i % 3 = 0 THEN 'timeout' ELSE 'test_failure' END,
       CASE WHEN i % 3 = 0 THEN 'sentinel-step-timeout' ELSE 'pytest-failure' END,
       CASE WHEN i % 3 = 0 THEN 'Timeout: step test timed out after <DUR>' ELSE 'Test failure: E AssertionError in test_' || i END,
       'E AssertionError: assert <NUM> == <NUM>', 0, ${t0}, ${t0},
       '[{"line": 8, "text": "E       AssertionError: assert 589 == 590"}]', 'Run the failed test locally.', 'perf'
FROM c;
INSERT INTO failures (run_id, step_idx, category, signature, fingerprint, cluster_id, confidence, title, evidence, hints, remediation, kb_version, created_at)
SELECT r.id, 0, c.category, c.signature, c.fingerprint, c.id, 0.9, c.title,
       '[{"line": 8, "text": "E       AssertionError: assert 589 == 590"}, {"line": 14, "text": "FAILED tests/test_cart.py::test_total"}]',
       '["Run the failed test locally."]', '["Fix the code or the test."]', 'perf', r.finished_at
FROM runs r JOIN clusters c ON c.id = 1 + (r.id / 20) % ${clusters}
WHERE r.status IN ('failed', 'timed_out');
INSERT INTO cluster_runs (cluster_id, run_id, repo_id) SELECT f.cluster_id, f.run_id, r.repo_id FROM failures f JOIN runs r ON r.id = f.run_id;
UPDATE clusters SET
  occurrences = (SELECT COUNT(*) FROM failures f WHERE f.cluster_id = clusters.id),
  representative_run_id = (SELECT MAX(run_id) FROM failures f WHERE f.cluster_id = clusters.id),
  first_seen = COALESCE((SELECT MIN(created_at) FROM failures f WHERE f.cluster_id = clusters.id), first_seen),
  last_seen = COALESCE((SELECT MAX(created_at) FROM failures f WHERE f.cluster_id = clusters.id), last_seen);
COMMIT;
ANALYZE;`;
}

// In the page, from its first script on: the time at which every key-figure tile holds a
// value (an animation frame after the DOM shows it, so the figures were painted).
const MARK_SCRIPT = () => {
  const ready = () => {
    const v = [...document.querySelectorAll('.stats .stat-value')];
    return v.length >= 6 && v.every((e) => /\d/.test(e.textContent ?? ''));
  };
  const tick = () => {
    if (ready()) requestAnimationFrame(() => (window.__figuresAt = performance.now()));
    else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
};

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const bin = findBinary();
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-perf-'));
  const db = join(dir, 'sentinel.db');
  let sentinel;
  let browser;
  try {
    const t0 = Date.now();
    execFileSync(bin, ['migrate', '--database-url', `sqlite://${db}`], { stdio: 'ignore', env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=0' } });
    execFileSync('sqlite3', ['-bail', db], { input: historySql(N, Date.now()) });
    const count = execFileSync('sqlite3', [db, "SELECT count(*) || ' runs, ' || (SELECT count(*) FROM failures) || ' failures, ' || (SELECT count(*) FROM clusters) || ' clusters' FROM runs"]).toString().trim();
    const seeded = Date.now() - t0;

    sentinel = await startSentinel({ dataDir: dir, extraArgs: ['--no-seed', '--workers', '0'] });
    // GET /overview on its own (warm: the first call is discarded).
    const api = [];
    for (let i = 0; i < 6; i++) {
      const s = performance.now();
      const res = await fetch(`${sentinel.api}/overview`);
      if (!res.ok) throw new Error(`GET /overview: ${res.status}`);
      await res.arrayBuffer();
      if (i > 0) api.push(performance.now() - s);
    }

    browser = await launchBrowser();
    const samples = [];
    for (let i = 0; i < SAMPLES; i++) {
      const ctx = await browser.browser.newContext({ viewport: { width: 1280, height: 900 } });
      await ctx.addInitScript(MARK_SCRIPT);
      const page = await ctx.newPage();
      await page.goto(`${sentinel.ui}/`, { waitUntil: 'commit' });
      await page.waitForFunction(() => typeof window.__figuresAt === 'number', null, { timeout: 60_000 });
      samples.push(
        await page.evaluate(() => ({
          figures: window.__figuresAt,
          fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
          // where the time goes: the bundle loaded, /overview asked and answered
          js: Math.max(...performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.js') && e.name.includes('/assets/')).map((e) => e.responseEnd)),
          overviewStart: performance.getEntriesByType('resource').find((e) => e.name.endsWith('/overview'))?.startTime ?? NaN,
          overviewEnd: performance.getEntriesByType('resource').find((e) => e.name.endsWith('/overview'))?.responseEnd ?? NaN,
        })),
      );
      await ctx.close();
    }
    const [l1, l5] = loadavg();
    const fmt = (xs) => xs.map((x) => x.toFixed(0)).join(', ');
    console.log(`binary: ${bin}`);
    console.log(`history: ${count} (seeded in ${(seeded / 1000).toFixed(1)} s)`);
    console.log(`GET /overview: median ${median(api).toFixed(0)} ms (${fmt(api)} ms)`);
    console.log(`overview key figures on screen (navigation start -> figures painted, cold cache): median ${median(samples.map((s) => s.figures)).toFixed(0)} ms (${fmt(samples.map((s) => s.figures))} ms)`);
    console.log(`first contentful paint: median ${median(samples.map((s) => s.fcp)).toFixed(0)} ms`);
    const m = (k) => median(samples.map((s) => s[k])).toFixed(0);
    console.log(`where the time goes (medians): bundle loaded ${m('js')} ms, GET /overview sent ${m('overviewStart')} ms, answered ${m('overviewEnd')} ms, figures painted ${m('figures')} ms`);
    console.log(`machine: load average ${l1.toFixed(2)} (1 min), ${l5.toFixed(2)} (5 min)`);
  } finally {
    await browser?.close();
    await sentinel?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
