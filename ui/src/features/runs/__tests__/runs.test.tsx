import { describe, expect, test } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { run, runDetail } from '@/testing/fixtures';
import { installFakeApi, page } from '@/testing/fake-api';
import { renderApp } from '@/testing/render';

const LOG = ['collecting ...', '\x1b[32mtests/test_math.py\x1b[0m F', 'E       assert 3 == 4', '\x1b[31m1 failed\x1b[0m, 10 passed'].join('\n') + '\n';
const logAnswer = { text: LOG, headers: { 'X-Next-Offset': String(LOG.length), 'X-Log-Complete': 'true', 'X-Log-Size': String(LOG.length) } };

describe('runs', () => {
  test('lists runs with status, repository, commit, scenario and failure category', async () => {
    installFakeApi({ 'GET /runs': page([run(), run({ id: 43, status: 'succeeded', category: null, scenario: 'success' })], '43') });
    renderApp('/runs');
    const row = await screen.findByRole('row', { name: /#42/ });
    expect(within(row).getByText('failed')).toBeInTheDocument();
    expect(within(row).getByText('demo-python')).toBeInTheDocument();
    expect(within(row).getByText('a1b2c3d4')).toBeInTheDocument();
    expect(within(row).getByText('test failure')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /older/i })).toBeEnabled();
    expect(screen.getByTestId('updated-ago')).toHaveTextContent(/updated \d+ s ago/);
  });

  test('filters live in the URL and reach the API', async () => {
    const { calls } = installFakeApi({ 'GET /runs': page([]) });
    const { router } = renderApp('/runs?status=failed&repo=demo-node');
    expect(await screen.findByText('No runs match these filters.')).toBeInTheDocument();
    expect(calls[calls.length - 1].query.get('status')).toBe('failed');
    expect(calls[calls.length - 1].query.get('repo')).toBe('demo-node');
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'running');
    await waitFor(() => expect(router.state.location.search).toContain('status=running'));
    await waitFor(() => expect(calls[calls.length - 1].query.get('status')).toBe('running'));
  });

  test('empty history says how to start', async () => {
    installFakeApi({ 'GET /runs': page([]) });
    renderApp('/runs');
    expect(await screen.findByText(/No runs yet/)).toBeInTheDocument();
  });

  test('API down: a clear message and a retry, no crash', async () => {
    installFakeApi({ 'GET /runs': 'down', 'GET /health': 'down' });
    renderApp('/runs');
    expect(await screen.findByText(/The API is not answering/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
    expect(await screen.findByText('API not answering')).toBeInTheDocument();
  });
});

describe('run detail', () => {
  test('shows why it failed: category, evidence line, hint; the log with the evidence highlighted', async () => {
    installFakeApi({ 'GET /runs/42': { json: runDetail() }, 'GET /runs/42/steps/1/log': logAnswer });
    renderApp('/runs/42');
    expect(await screen.findByRole('heading', { name: /Run #42/ })).toBeInTheDocument();
    const why = screen.getByRole('region', { name: 'Why it failed' });
    expect(within(why).getByText('test failure')).toBeInTheDocument();
    expect(within(why).getByText(/E +assert 3 == 4/)).toBeInTheDocument();
    expect(within(why).getByText('A test assertion failed.')).toBeInTheDocument();
    expect(within(why).getByText('92%')).toBeInTheDocument();
    const log = await screen.findByRole('log');
    const line3 = log.querySelector('[data-line="3"]')!;
    expect(line3).toHaveClass('evidence');
    expect(line3).toHaveTextContent('assert 3 == 4');
    // ANSI colours become spans with classes, escapes are gone
    const green = log.querySelector('[data-line="2"] .ansi-fg-green')!;
    expect(green).toHaveTextContent('tests/test_math.py');
    expect(log.textContent).not.toContain('\x1b');
    // failed tests, flaky ones marked
    const tests = screen.getByRole('region', { name: 'Tests' });
    expect(within(tests).getByText('tests.test_math::test_add')).toBeInTheDocument();
    expect(within(tests).getByText('flaky')).toBeInTheDocument();
    // is it flaky? each failed test links to its history on the flaky page
    expect(within(tests).getByRole('link', { name: 'History of tests.test_net::test_retry' })).toHaveAttribute('href', '/flaky?repo=demo-python&test=tests.test_net%3A%3Atest_retry');
    // the event timeline
    expect(screen.getByText('claimed by w-1')).toBeInTheDocument();
  });

  test('jump to an evidence line puts it in the URL and focuses it', async () => {
    installFakeApi({ 'GET /runs/42': { json: runDetail() }, 'GET /runs/42/steps/1/log': logAnswer });
    const { router } = renderApp('/runs/42');
    await screen.findByRole('log');
    await userEvent.click(screen.getByRole('button', { name: 'Jump to line 3 of test' }));
    await waitFor(() => expect(router.state.location.search).toContain('line=3'));
    expect(screen.getByRole('log').querySelector('[data-line="3"]')).toHaveClass('focused');
  });

  test('evidence entries that are objects render as clean lines with jump-to-line, never raw JSON', async () => {
    const failure = runDetail().failures[0];
    installFakeApi({
      'GET /runs/42': {
        json: runDetail({
          failures: [
            {
              ...failure,
              evidence: [
                { line: 3, text: { level: 'error', msg: 'assert 3 == 4', test: 'test_add' } },
                { line: 4, text: '{"ts":"2026-12-05T10:00:30Z","level":"error","msg":"1 failed","summary":{"failed":1,"passed":10}}' },
                'a line without a number',
              ],
              hints: ['A test assertion failed.', { message: 'Run it locally.' }],
              remediation: [{ text: 'Fix the code.' }],
            },
          ],
        }),
      },
      'GET /runs/42/steps/1/log': logAnswer,
    });
    const { router } = renderApp('/runs/42');
    const why = await screen.findByRole('region', { name: 'Why it failed' });
    expect(within(why).getByText('[error] assert 3 == 4 (test=test_add)')).toBeInTheDocument();
    expect(within(why).getByText('[error] 1 failed (summary.failed=1, summary.passed=10)')).toBeInTheDocument();
    expect(within(why).getByText('a line without a number')).toBeInTheDocument();
    expect(within(why).getByText('Run it locally.')).toBeInTheDocument();
    expect(within(why).getByText('Fix the code.')).toBeInTheDocument();
    expect(why.textContent).not.toMatch(/\[object Object\]|undefined|\{"|null/);
    // two numbered lines get jump buttons; the unnumbered one none
    expect(within(why).getAllByRole('button', { name: /^Jump to line/ })).toHaveLength(2);
    await userEvent.click(within(why).getByRole('button', { name: 'Jump to line 4 of test' }));
    await waitFor(() => expect(router.state.location.search).toContain('line=4'));
    const log = await screen.findByRole('log');
    expect(log.querySelector('[data-line="3"]')).toHaveClass('evidence');
    expect(log.querySelector('[data-line="4"]')).toHaveClass('evidence', 'focused');
  });

  test('a running step is tailed through ?offset=', async () => {
    let polls = 0;
    const { calls } = installFakeApi({
      'GET /runs/42': { json: runDetail({ status: 'running', failures: [], steps: [{ index: 0, name: 'build', command: 'make', status: 'running', exit_code: null, attempts: 1, started_at: '2026-12-05T10:00:01Z', finished_at: null, duration_ms: null }] }) },
      'GET /runs/42/steps/0/log': ({ url }) => {
        polls++;
        const offset = Number(url.searchParams.get('offset') ?? 0);
        return offset === 0
          ? { text: 'first line\npart', headers: { 'X-Next-Offset': '15', 'X-Log-Complete': 'false' } }
          : { text: 'ial\nlast line\n', headers: { 'X-Next-Offset': '29', 'X-Log-Complete': 'true' } };
      },
    });
    renderApp('/runs/42');
    const log = await screen.findByRole('log');
    expect(log).toHaveTextContent('first line');
    await waitFor(() => expect(screen.getByRole('log')).toHaveTextContent('last line'), { timeout: 4000 });
    expect(screen.getByRole('log').querySelector('[data-line="2"]')).toHaveTextContent('partial');
    expect(polls).toBe(2);
    expect(calls.filter((c) => c.path.endsWith('/log'))[1].query.get('offset')).toBe('15');
  });

  test('cancel is offered on a live run and retry on a finished one; a refusal is shown', async () => {
    const { calls } = installFakeApi({
      'GET /runs/42': { json: runDetail() },
      'GET /runs/42/steps/1/log': logAnswer,
      'POST /runs/42/retry': { status: 422, json: { error: { code: 'failed_precondition', message: 'run 42 cannot be retried now' } } },
    });
    renderApp('/runs/42');
    await screen.findByRole('heading', { name: /Run #42/ });
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('run 42 cannot be retried now')).toBeInTheDocument();
    expect(calls.some((c) => c.method === 'POST' && c.path === '/runs/42/retry')).toBe(true);
  });

  test('an unknown run says so', async () => {
    installFakeApi({ 'GET /runs/7': { status: 404, json: { error: { code: 'not_found', message: 'no run with id 7' } } } });
    renderApp('/runs/7');
    expect(await screen.findByText(/no run with id 7/)).toBeInTheDocument();
  });

  test('a multi-megabyte log renders only the visible lines', async () => {
    const big = Array.from({ length: 100_000 }, (_, i) => `line ${i + 1} ${'x'.repeat(40)}`).join('\n') + '\n';
    installFakeApi({ 'GET /runs/42': { json: runDetail({ failures: [] }) }, 'GET /runs/42/steps/1/log': { text: big, headers: { 'X-Next-Offset': String(big.length), 'X-Log-Complete': 'true' } } });
    renderApp('/runs/42');
    const log = await screen.findByRole('log');
    expect(screen.getByText(/100,000 lines/)).toBeInTheDocument();
    expect(log.querySelectorAll('.log-row').length).toBeLessThan(200);
  });
});
