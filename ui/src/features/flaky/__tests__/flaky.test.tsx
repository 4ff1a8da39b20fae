import { describe, expect, test } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { flakyTest } from '@/testing/fixtures';
import { installFakeApi, page } from '@/testing/fake-api';
import { renderApp } from '@/testing/render';
import { groupByCommit, intervalOf, type FlakyTest } from '../types';

describe('flaky tests', () => {
  test('lists score with its interval, classification, ratio, flips and the last failing run', async () => {
    installFakeApi({ 'GET /tests/flaky': page([flakyTest(), flakyTest({ id: 6, test_id: 'tests.test_x::test_y', classification: 'failing', score: 0.1, interval: { low: 0.02, high: 0.3 } })]) });
    renderApp('/flaky');
    const row = await screen.findByRole('row', { name: /test_retry/ });
    expect(within(row).getByText('flaky')).toBeInTheDocument();
    expect(within(row).getByText('0.81')).toBeInTheDocument();
    expect(within(row).getByText('(0.62–0.93)')).toBeInTheDocument();
    expect(within(row).getByText('33%')).toBeInTheDocument();
    expect(within(row).getByRole('link', { name: '#40' })).toHaveAttribute('href', '/runs/40');
    expect(screen.getByRole('row', { name: /test_y/ })).toHaveTextContent('(0.02–0.30)');
  });

  test('a row shows its latest results as squares by commit, each linking to its run', async () => {
    const outcomes = [
      { run_id: 40, commit: 'aaaa1111', outcome: 'failed', attempts: 1 },
      { run_id: 41, commit: 'aaaa1111', outcome: 'passed', attempts: 2 },
      { run_id: 42, commit: 'bbbb2222', outcome: 'passed', attempts: 1 },
    ];
    installFakeApi({ 'GET /tests/flaky': page([flakyTest({ outcomes })]) });
    renderApp('/flaky');
    const row = await screen.findByRole('row', { name: /test_retry/ });
    const strip = within(row).getByRole('list', { name: /Outcomes in the window/ });
    expect(within(strip).getAllByRole('listitem')).toHaveLength(2); // two commits
    expect(within(strip).getByRole('link', { name: 'run 40: failed' })).toHaveAttribute('href', '/runs/40');
    expect(within(strip).getByRole('link', { name: 'run 41 (2 attempts): passed' })).toHaveAttribute('href', '/runs/41');
  });

  test('details: the outcome strip by commit, the evidence and quarantine', async () => {
    const { calls } = installFakeApi({
      'GET /tests/flaky': page([flakyTest()]),
      'GET /tests/5': {
        json: {
          ...flakyTest(),
          outcomes: [
            { run_id: 30, commit: 'aaaa1111', outcome: 'passed' },
            { run_id: 31, commit: 'aaaa1111', outcome: 'failed' },
            { run_id: 32, commit: 'bbbb2222', outcome: 'passed' },
          ],
          evidence: ['both outcomes on commit aaaa1111', { kind: 'pass_on_retry', run: 31 }],
          quarantine: null,
        },
      },
      'POST /tests/5/quarantine': { status: 201, json: {} },
    });
    const { router } = renderApp('/flaky');
    await userEvent.click(await screen.findByRole('button', { name: 'details' }));
    expect(router.state.location.search).toContain('test=5');
    const strip = await screen.findByRole('list', { name: /Outcomes in the window/ });
    expect(within(strip).getAllByRole('listitem')).toHaveLength(2); // two commits
    expect(within(strip).getByRole('link', { name: 'run 31: failed' })).toHaveAttribute('href', '/runs/31');
    expect(within(strip).getByRole('link', { name: 'run 31: failed' })).toHaveClass('sq-failed');
    expect(screen.getByText('both outcomes on commit aaaa1111')).toBeInTheDocument();
    expect(screen.getByText(/pass on retry/)).toHaveTextContent('pass on retry (run 31)');
    await userEvent.type(screen.getByLabelText('Reason'), 'known race');
    await userEvent.click(screen.getByRole('button', { name: 'Quarantine' }));
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.path).toBe('/tests/5/quarantine');
    expect(post?.body).toMatchObject({ reason: 'known race' });
  });

  test("details: the server's evidence object reads as facts with run links, never raw JSON", async () => {
    installFakeApi({
      'GET /tests/flaky': page([flakyTest()]),
      'GET /tests/5': {
        json: {
          ...flakyTest(),
          reason: 'passed and failed on the same commit 070bd08a53; 5 flips',
          commits: [{ commit: '070bd08a53e4b668', passes: 2, failures: 1, runs: [
            { run_id: 1, outcome: 'passed' }, { run_id: 2, outcome: 'failed' }, { run_id: 3, outcome: 'passed' },
          ] }],
          evidence: {
            reason: 'passed and failed on the same commit 070bd08a53; 5 flips',
            passes: 6, retry_passes: 1,
            both_outcomes_commits: ['070bd08a53e4b668'], commits: ['070bd08a53e4b668'],
            failing_runs: ['2', '6', '11'], pass_on_retry_runs: ['6'],
            infrastructure_failures: 0, infrastructure_runs: [], last_failing_run: '11',
            streak: { length: 1, first_failing_run: '11', first_failing_commit: '070bd08a53e4b668', last_passing_run: '10', last_passing_commit: '070bd08a53e4b668', regression: false },
            signatures: [{ signature: '2588767568a40b3d', classification: 'flaky', score: 0.35, interval: [0.1042, 0.6522], runs: 9, failures: 3, reason: 'passed and failed on the same commit' }],
            window_note: { kept: 9, dropped: null },
          },
          quarantine: { active: false, history: [], quarantines: [] },
        },
      },
    });
    renderApp('/flaky?test=5');
    const dl = await screen.findByLabelText('Evidence for the verdict');
    const detail = dl.closest('.test-detail') as HTMLElement;
    expect(within(dl).getByText('Failed in 3 runs').nextSibling).toHaveTextContent('#2, #6, #11');
    expect(within(dl).getAllByRole('link', { name: '#6' })[0]).toHaveAttribute('href', '/runs/6');
    expect(within(dl).getByText('Passed').nextSibling).toHaveTextContent('6 runs (1 only on a retry)');
    expect(within(dl).getByText('Passed and failed on the same commit').nextSibling).toHaveTextContent('070bd08a');
    expect(within(dl).getByText('Current failing streak').nextSibling).toHaveTextContent('1 run in a row since #11 on 070bd08a; last passed in #10 on 070bd08a');
    expect(within(dl).getByText('Infrastructure failures set aside').nextSibling).toHaveTextContent('none');
    // an unknown field reads through ValueView
    expect(within(dl).getByText('window note').nextSibling).toHaveTextContent('kept9dropped—');
    const sigs = within(detail).getByRole('table', { name: 'Verdict by failure signature' });
    expect(within(sigs).getByText('2588767568a40b3d')).toBeInTheDocument();
    expect(within(sigs).getByText('3 of 9')).toBeInTheDocument();
    expect(detail.textContent).not.toMatch(/\[object Object\]|undefined|\{"|\bnull\b/);
  });

  test('empty: says no flaky tests were detected', async () => {
    installFakeApi({ 'GET /tests/flaky': page([]) });
    renderApp('/flaky');
    expect(await screen.findByText(/No flaky tests detected/)).toBeInTheDocument();
  });

  test('a server without flaky detection: "not available", no crash', async () => {
    installFakeApi({});
    renderApp('/flaky');
    expect(await screen.findByText(/Flaky tests: not available on this server yet/)).toBeInTheDocument();
  });

  test('the interval and the outcome groups read every documented spelling', () => {
    const base = flakyTest() as unknown as FlakyTest;
    expect(intervalOf({ ...base, interval: [0.1, 0.4] })).toEqual([0.1, 0.4]);
    expect(intervalOf({ ...base, interval: { low: 0.2, high: 0.5 } })).toEqual([0.2, 0.5]);
    expect(intervalOf({ ...base, interval: undefined, interval_low: 0.3, interval_high: 0.6 })).toEqual([0.3, 0.6]);
    expect(intervalOf({ ...base, interval: null })).toBeNull();
    const groups = groupByCommit({ ...base, outcomes: [
      { run_id: 1, commit: 'a', outcome: 'passed' }, { run_id: 2, commit: 'a', outcome: 'failed' }, { run_id: 3, commit: 'b', outcome: 'passed' },
    ] });
    expect(groups.map((g) => [g.commit, g.outcomes.length])).toEqual([['a', 2], ['b', 1]]);
  });
});
