// End-to-end: a real `sentinel up` (API + dashboard + workers, SQLite, temp data dir, free
// loopback ports) driven by Debian's Chromium. Triggers the demo scenarios through the UI and
// the API, then walks every page and asserts on the facts shown; a screenshot per page goes to
// ui/test-artifacts/e2e/. Bounded: the whole run is killed after E2E_TIMEOUT_S (default 420 s; about a minute on a quiet machine).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ARTIFACTS, apiJson, launchBrowser, sampleCopy, sleep, startSentinel } from './harness.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const a11y = []; // WCAG 2 A/AA violations found by axe-core, per page and colour scheme
const raw = []; // text no reader should see: raw JSON, [object Object], undefined, NaN
const RAW = /\[object Object\]|\bundefined\b|\bNaN\b|Invalid Date|\{"[a-z_]+":|\[\{"/;

const LIMIT_S = Number(process.env.E2E_TIMEOUT_S ?? 420);
const results = [];
let sentinel, browserHandle;

const watchdog = setTimeout(async () => {
  console.error(`e2e: over the ${LIMIT_S} s budget; stopping`);
  await browserHandle?.close();
  await sentinel?.stop();
  console.log(`${results.filter((r) => r.ok).length} passed, ${results.filter((r) => !r.ok).length + 1} failed`);
  process.exit(1);
}, LIMIT_S * 1000);

async function check(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`  ok   ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`  FAIL ${name}: ${e.message.split('\n').slice(0, 6).join('\n       ')}`);
  }
}

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

// A screenshot of the page, and an accessibility audit (axe-core, WCAG 2 A/AA) of it in the
// light and the dark colour scheme.
async function shot(page, name) {
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
  const text = await page.locator('main').innerText();
  const m = text.match(RAW);
  if (m) raw.push(`${name}: …${text.slice(Math.max(0, m.index - 60), m.index + 60)}…`);
  await page.addScriptTag({ content: AXE });
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    // The dark pass checks colours only: structure and names do not change with the scheme.
    const only = scheme === 'light' ? { type: 'tag', values: ['wcag2a', 'wcag2aa'] } : { type: 'rule', values: ['color-contrast'] };
    const found = await page.evaluate(async (runOnly) =>
      (await window.axe.run(document, { runOnly, resultTypes: ['violations'] })).violations.map(
        (v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')}`,
      ),
    only);
    for (const v of found) a11y.push(`${name} [${scheme}]: ${v}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

async function waitRuns(api, ids, seconds) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const runs = await Promise.all(ids.map((id) => apiJson(api, `/runs/${id}`).then((r) => r.json)));
    if (runs.every((r) => !['queued', 'running'].includes(r.status))) return runs;
    if (Date.now() > deadline) throw new Error(`runs still live after ${seconds} s: ${runs.filter((r) => ['queued', 'running'].includes(r.status)).map((r) => r.id)}`);
    await sleep(500);
  }
}

async function available(api, path) {
  return (await apiJson(api, path)).status !== 404;
}

async function main() {
  const t0 = Date.now();
  sentinel = await startSentinel({ extraArgs: ['--no-history', '--workers', '2'] });
  const { api, ui } = sentinel;
  console.log(`e2e: sentinel up at API ${api}, UI ${ui} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  browserHandle = await launchBrowser();
  const page = await browserHandle.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.setDefaultTimeout(15_000);

  const ids = { testfail: [], flaky: [], dns: [], success: [] };
  const PY = 'e2e-python';
  const created = await apiJson(api, '/repos', { method: 'POST', body: { name: PY, url: sampleCopy('demo-python', sentinel.dir) } });
  if (created.status !== 201) throw new Error(`POST /repos: ${created.status} ${JSON.stringify(created.json)}`);

  await check('the dashboard is served with its assets and client routes', async () => {
    const index = await fetch(`${ui}/incidents/1/postmortem`);
    assert(index.headers.get('content-type')?.startsWith('text/html'), 'client route is not HTML');
    const cfg = await (await fetch(`${ui}/config.js`)).text();
    assert(cfg.includes(`"apiPort":${new URL(api).port}`), `config.js names the wrong API: ${cfg}`);
  });

  await check('repositories page: trigger a testfail run through the UI', async () => {
    await page.goto(`${ui}/repos`);
    await page.getByRole('row', { name: new RegExp(PY) }).waitFor();
    await page.getByRole('combobox', { name: /^Repository/ }).selectOption(PY);
    await page.getByRole('combobox', { name: /^Scenario/ }).selectOption('testfail');
    await page.getByRole('button', { name: 'Trigger run' }).click();
    const link = page.getByRole('link', { name: /^run #\d+$/ });
    await link.waitFor();
    ids.testfail.push(Number((await link.textContent()).replace(/\D/g, '')));
  });

  // The rest through the API: enough runs for each effect (3 testfail open an incident,
  // 6 flaky runs show both outcomes twice), dns on two repositories, one success.
  const submit = async (repo, scenario) => (await apiJson(api, '/runs', { method: 'POST', body: { repo, scenario } })).json.id;
  for (let i = 0; i < 2; i++) ids.testfail.push(await submit(PY, 'testfail'));
  for (let i = 0; i < 6; i++) ids.flaky.push(await submit(PY, 'flaky'));
  ids.dns.push(await submit('demo-node', 'dns'));
  ids.success.push(await submit('demo-node', 'success'));

  let runs = [];
  await check('every triggered run finishes', async () => {
    runs = await waitRuns(api, Object.values(ids).flat(), 300);
    const tf = runs.filter((r) => ids.testfail.includes(r.id));
    assert(tf.every((r) => r.status === 'failed' && r.category === 'test_failure'), `testfail runs: ${tf.map((r) => `${r.status}/${r.category}`)}`);
  });
  console.log(`e2e: ${runs.length} runs finished (${((Date.now() - t0) / 1000).toFixed(1)} s)`);

  await check('overview: health figures', async () => {
    await page.goto(`${ui}/`);
    await page.getByRole('heading', { name: 'Pipeline health' }).waitFor();
    const main = page.locator('main');
    await main.getByText(/Success rate/).first().waitFor();
    await main.getByText('failed', { exact: true }).first().waitFor();
    // what is failing now: each repository's latest run, and the open incidents
    await page.getByRole('region', { name: 'Repositories' }).getByRole('row', { name: new RegExp(PY) }).getByRole('link', { name: /^#\d+$/ }).waitFor();
    await page.getByRole('region', { name: 'Open incidents' }).locator('table, .state').first().waitFor();
    await shot(page, 'overview');
  });

  const failing = runs.find((r) => ids.testfail.includes(r.id) && r.category === 'test_failure') ?? runs[0] ?? { id: 0, failures: [] };
  await check('runs: the failing runs with their category; filters in the URL', async () => {
    await page.goto(`${ui}/runs?status=failed`);
    const row = page.getByRole('row', { name: new RegExp(`#${failing.id}\\b`) });
    await row.waitFor();
    assert((await row.textContent()).includes('test failure'), 'no category in the row');
    await page.getByText(/updated \d+ s ago/).waitFor();
    await shot(page, 'runs');
  });

  await check('run detail: category, evidence line in the log, jump to it', async () => {
    const f = failing.failures[0];
    assert(f && f.evidence.length > 0, 'the API has no evidence for the failing run');
    await page.goto(`${ui}/runs/${failing.id}`);
    const why = page.getByRole('region', { name: 'Why it failed' });
    await why.getByText('test failure').first().waitFor();
    await why.getByText(f.evidence[0].text.trim()).first().waitFor();
    await page.getByRole('button', { name: `Jump to line ${f.evidence[0].line} of`, exact: false }).first().click();
    const line = page.locator(`.log-row[data-line="${f.evidence[0].line}"]`);
    await line.waitFor();
    assert((await line.getAttribute('class')).includes('evidence'), 'the evidence line is not highlighted');
    assert((await line.textContent()).includes(f.evidence[0].text.trim().slice(0, 20)), 'the log line differs from the evidence');
    // is it flaky? the failed test links to its history on the flaky page
    await page.getByRole('region', { name: 'Tests' }).getByRole('link', { name: /^History of / }).first().waitFor();
    await shot(page, 'run-detail');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'run-detail-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  await check('run detail: retry through the button queues a new attempt', async () => {
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.getByText(/Retry queued as run #\d+|Run #\d+ (queued|running)/).first().waitFor().catch(async () => {
      // A retry may reuse the run (a new attempt): then the run is live again.
      const r = (await apiJson(api, `/runs/${failing.id}`)).json;
      assert(['queued', 'running'].includes(r.status) || r.attempt > failing.attempt, `retry did nothing: ${r.status}`);
    });
  });

  await check('clusters: the test failure cluster and its detail', async () => {
    await page.goto(`${ui}/clusters`);
    const first = page.getByRole('row').filter({ hasText: 'test failure' }).first();
    await first.waitFor();
    await shot(page, 'clusters');
    await first.getByRole('link').first().click();
    await page.getByRole('heading', { name: 'Representative evidence' }).waitFor();
    await page.getByRole('img', { name: 'Runs in this cluster per day' }).waitFor();
    await shot(page, 'cluster-detail');
  });

  await check('flaky tests: the flaky test is in the flaky view (or the view says it is not available)', async () => {
    await page.goto(`${ui}/flaky`);
    if (await available(api, '/tests/flaky')) {
      const row = page.getByRole('row').filter({ hasText: 'flaky' }).nth(1);
      await row.waitFor();
      // the row's latest results as squares, each linking to its run
      const squares = row.getByRole('list', { name: /Outcomes in the window/ });
      await squares.waitFor();
      assert((await squares.getByRole('link', { name: /^run \d+.*: (passed|failed|error)$/ }).count()) > 0, 'no outcome square links to a run');
      await row.getByRole('button', { name: 'details' }).click();
      await page.locator('tr.expanded').getByRole('list', { name: /Outcomes in the window/ }).waitFor();
      // the verdict's evidence as facts, with links to the failing runs
      const facts = page.getByLabel('Evidence for the verdict');
      await facts.getByText(/^Failed in \d+ runs?$/).waitFor();
      assert((await facts.getByRole('link').count()) > 0, 'no run linked from the evidence');
    } else {
      await page.getByText(/not available on this server yet/).waitFor();
    }
    await shot(page, 'flaky');
  });

  let incidentId = null;
  await check('incidents: listed, detail with timeline, status change through the buttons', async () => {
    await page.goto(`${ui}/incidents`);
    if (!(await available(api, '/incidents'))) {
      await page.getByText(/not available on this server yet/).waitFor();
      await shot(page, 'incidents');
      return;
    }
    const link = page.getByRole('link', { name: /^#\d+ / }).first();
    await link.waitFor();
    await shot(page, 'incidents');
    incidentId = Number((await link.textContent()).match(/#(\d+)/)[1]);
    await link.click();
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await timeline.locator('li').first().waitFor();
    // The rules may already have moved it (a green run mitigates or resolves it): read its
    // status, reload so the page shows the same, and reopen it through the button first.
    const before = (await apiJson(api, `/incidents/${incidentId}`)).json;
    await page.reload();
    await timeline.locator('li').first().waitFor();
    if (before.status !== 'open') {
      await page.getByLabel(/Note/).fill('e2e: it came back');
      await page.getByRole('button', { name: 'Reopen' }).click();
      await page.getByText('Status is now open.').waitFor();
    }
    await page.getByLabel(/Note/).fill('e2e: rolled back');
    await page.getByRole('button', { name: 'Mark mitigating' }).click();
    await page.getByText('Status is now mitigating.').waitFor();
    const after = (await apiJson(api, `/incidents/${incidentId}`)).json;
    assert(after.status === 'mitigating', `the API says ${after.status}`);
    await shot(page, 'incident-detail');
  });

  await check('postmortem: a document with every section', async () => {
    if (incidentId === null) {
      await page.goto(`${ui}/incidents/1/postmortem`);
      await page.getByText(/not available on this server yet|Not found/).first().waitFor();
    } else {
      await page.goto(`${ui}/incidents/${incidentId}/postmortem`);
      for (const h of ['Summary', 'Impact', 'Timeline', 'Root cause', 'Follow-ups']) await page.getByRole('heading', { level: 2, name: h }).waitFor();
      await page.emulateMedia({ media: 'print' });
      assert(!(await page.locator('.app-header').isVisible()), 'the navigation prints');
      await page.emulateMedia({ media: 'screen' });
    }
    await shot(page, 'postmortem');
  });

  await check('repositories: last runs and success rates', async () => {
    await page.goto(`${ui}/repos`);
    const row = page.getByRole('row', { name: new RegExp(PY) });
    await row.waitFor();
    await row.getByText('%').first().waitFor();
    await shot(page, 'repos');
  });

  await check('API down: pages say so instead of going blank', async () => {
    // A fresh page whose configured API is a closed loopback port.
    const p2 = await browserHandle.browser.newPage({ viewport: { width: 1280, height: 600 } });
    await p2.route('**/config.js', (r) => r.fulfill({ contentType: 'text/javascript', body: 'window.__SENTINEL_CONFIG__ = { apiBase: "http://127.0.0.1:9" };' }));
    await p2.goto(`${ui}/runs`);
    await p2.getByText(/The API is not answering/).waitFor({ timeout: 20_000 });
    await p2.getByText('API not answering').waitFor();
    await p2.screenshot({ path: `${ARTIFACTS}/api-down.png`, fullPage: true });
    await p2.close();
  });

  await check('no raw JSON, [object Object], undefined or NaN on any page', async () => {
    assert(raw.length === 0, raw.join('\n'));
  });

  await check('accessibility: no WCAG 2 A/AA violation (axe-core) on any page, light and dark', async () => {
    assert(a11y.length === 0, a11y.join('\n'));
  });

  await check('no uncaught errors in the pages', async () => {
    assert(pageErrors.length === 0, pageErrors.join('; '));
  });
}

try {
  await main();
} catch (e) {
  results.push({ name: 'setup', ok: false });
  console.error(`e2e: ${e.stack ?? e}`);
} finally {
  clearTimeout(watchdog);
  await browserHandle?.close();
  await sentinel?.stop();
}
const failed = results.filter((r) => !r.ok).length;
console.log(`e2e screenshots: ${ARTIFACTS}`);
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
