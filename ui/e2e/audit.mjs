// Walks every page of a running dashboard (every run, cluster, flaky test, incident and
// postmortem the API lists) and reports text that should never reach a reader: raw JSON,
// "[object Object]", "undefined", "NaN", "Invalid Date". A debugging aid over real data,
// not part of `make test` (the end-to-end test asserts the facts).
// Usage: node e2e/audit.mjs UI_URL API_URL [--max-runs N] [--shots DIR]
import { CHROMIUM_ARGS } from './harness.mjs';
import { chromium } from 'playwright-core';

const [ui, api] = process.argv.slice(2);
if (!ui || !api) {
  console.error('usage: node e2e/audit.mjs UI_URL API_URL [--max-runs N]');
  process.exit(2);
}
const maxRunsAt = process.argv.indexOf('--max-runs');
const MAX_RUNS = maxRunsAt > 0 ? Number(process.argv[maxRunsAt + 1]) : 200;
const shotsAt = process.argv.indexOf('--shots');
const SHOTS = shotsAt > 0 ? process.argv[shotsAt + 1] : null; // a folder: a full-page screenshot of every view

const get = async (path) => (await fetch(`${api}${path}`)).json();
const items = (j) => (Array.isArray(j) ? j : (j?.items ?? []));

const BAD = [
  [/\[object Object\]/, '[object Object]'],
  [/\bundefined\b/, 'undefined'],
  [/\bNaN\b/, 'NaN'],
  [/Invalid Date/, 'Invalid Date'],
  [/\{"[a-z_]+":/, 'raw JSON object'],
  [/\[\{"/, 'raw JSON array'],
  [/\bnull\b/, 'null'],
];

const paths = ['/', '/runs', '/clusters', '/flaky', '/incidents', '/repos', '/runs?status=failed'];
const runs = items(await get(`/runs?limit=${Math.min(MAX_RUNS, 200)}`));
for (const r of runs.slice(0, MAX_RUNS)) paths.push(`/runs/${r.id}`);
for (const c of items(await get('/clusters'))) paths.push(`/clusters/${c.id}`);
for (const i of items(await get('/incidents'))) paths.push(`/incidents/${i.id}`, `/incidents/${i.id}/postmortem`);
const flaky = items(await get('/tests/flaky'));

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const errors = [];
page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
let problems = 0;

async function audit(label) {
  await page.waitForLoadState('networkidle').catch(() => {});
  await page.waitForTimeout(300);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${label.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'overview'}.png`, fullPage: true });
  const text = await page.locator('main').innerText().catch(() => '');
  for (const [re, what] of BAD) {
    const m = text.match(re);
    if (m) {
      problems++;
      const at = m.index ?? 0;
      console.log(`${label}: ${what}: …${text.slice(Math.max(0, at - 80), at + 80).replace(/\n/g, ' ⏎ ')}…`);
    }
  }
  if (/This page failed to render/.test(text)) {
    problems++;
    console.log(`${label}: the route failed to render`);
  }
}

for (const p of paths) {
  await page.goto(`${ui}${p}`);
  await audit(p);
}
// The flaky tests' details open inline: open each one.
await page.goto(`${ui}/flaky?all=1`);
await page.waitForLoadState('networkidle').catch(() => {});
for (const t of flaky) {
  await page.goto(`${ui}/flaky?classification=${t.classification}&test=${encodeURIComponent(String(t.id ?? t.test_id))}`);
  await audit(`/flaky test ${t.test_id}`);
}
await browser.close();
for (const e of errors) console.log(`page error: ${e}`);
console.log(`audited ${paths.length + flaky.length} views: ${problems} problem(s), ${errors.length} page error(s)`);
process.exit(problems || errors.length ? 1 : 0);
