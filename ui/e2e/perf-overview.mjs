// Time to first render of the overview over a history of N runs (default 10,000):
// a real `sentinel up` (no workers, nothing seeded) over a SQLite history written directly,
// then Chromium loads `/` five times; the figure is the time from navigation start until the
// overview's key figures are on screen (median), with first-contentful-paint beside it.
// Usage: node e2e/perf-overview.mjs [N]     (a measurement, not a test: it asserts nothing on time)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiJson, launchBrowser, REPO_ROOT, startSentinel } from './harness.mjs';

const N = Number(process.argv[2] ?? 10000);
const dir = mkdtempSync(join(tmpdir(), 'sentinel-perf-'));
const sentinel = await startSentinel({ dataDir: dir, extraArgs: ['--no-seed', '--workers', '0'] });
let browser;
try {
  const repos = [];
  for (const name of ['perf-a', 'perf-b', 'perf-c']) {
    const r = await apiJson(sentinel.api, '/repos', { method: 'POST', body: { name, url: join(REPO_ROOT, 'sample_repos', 'demo-python') } });
    if (r.status !== 201) throw new Error(`POST /repos: ${r.status} ${JSON.stringify(r.json)}`);
    repos.push(r.json.id);
  }
  const now = Date.now();
  const span = 30 * 86_400_000;
  const sql = `
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${N})
    INSERT INTO runs (repo_id, ref, commit_sha, scenario, status, attempt, worker, category, reason,
                      created_at, queued_at, started_at, finished_at, updated_at)
    SELECT ${repos[0]} + (i % 3), 'main', printf('%040x', i), 'success',
           CASE WHEN i % 7 = 0 THEN 'failed' WHEN i % 23 = 0 THEN 'timed_out' ELSE 'succeeded' END,
           1, 'perf', CASE WHEN i % 7 = 0 THEN 'test_failure' WHEN i % 23 = 0 THEN 'timeout' ELSE '' END, '',
           ${now} - (${N} - i) * ${Math.floor(span / N)}, ${now} - (${N} - i) * ${Math.floor(span / N)},
           ${now} - (${N} - i) * ${Math.floor(span / N)} + 1000, ${now} - (${N} - i) * ${Math.floor(span / N)} + 60000,
           ${now} - (${N} - i) * ${Math.floor(span / N)} + 60000
    FROM n;`;
  execFileSync('sqlite3', ['-cmd', '.timeout 10000', join(dir, 'sentinel.db'), sql]);
  const count = execFileSync('sqlite3', [join(dir, 'sentinel.db'), 'SELECT count(*) FROM runs']).toString().trim();
  const hasOverview = (await apiJson(sentinel.api, '/overview')).status === 200;
  const b = await launchBrowser();
  browser = b;
  const samples = [];
  for (let i = 0; i < 5; i++) {
    const page = await b.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${sentinel.ui}/`, { waitUntil: 'commit' });
    await page.waitForFunction(() => [...document.querySelectorAll('.stats .stat-value')].some((e) => /\d/.test(e.textContent ?? '')), null, { timeout: 30_000, polling: 'raf' });
    const t = await page.evaluate(() => ({
      figures: performance.now(),
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
    }));
    samples.push(t);
    await page.close();
  }
  const med = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`history: ${count} runs; GET /overview ${hasOverview ? 'available' : 'not available (overview from the latest runs)'}`);
  console.log(`overview key figures on screen: median ${med(samples.map((s) => s.figures)).toFixed(0)} ms (runs: ${samples.map((s) => s.figures.toFixed(0)).join(', ')} ms)`);
  console.log(`first contentful paint: median ${med(samples.map((s) => s.fcp ?? NaN)).toFixed(0)} ms`);
} finally {
  await browser?.close();
  await sentinel.stop();
  rmSync(dir, { recursive: true, force: true });
}
