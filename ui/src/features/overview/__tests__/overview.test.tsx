import { describe, expect, test } from 'vitest';
import { screen, within } from '@testing-library/react';
import { incident, overview, run } from '@/testing/fixtures';
import { installFakeApi, page } from '@/testing/fake-api';
import { renderApp } from '@/testing/render';
import { normalizeOverview } from '../types';

describe('overview', () => {
  test('shows every headline figure', async () => {
    installFakeApi({ 'GET /overview': { json: overview() } });
    renderApp('/');
    const figures = await screen.findByRole('list', { name: 'Key figures' }).catch(() => screen.findByLabelText('Key figures'));
    expect(within(figures).getByText('84.2%')).toBeInTheDocument();
    expect(within(figures).getByText('30 min')).toBeInTheDocument();
    expect(within(figures).getByText('2 / 0')).toBeInTheDocument();
    expect(within(figures).getByText('1 high')).toBeInTheDocument();
    expect(within(figures).getByText('93%')).toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'Daily success rate' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'pytest assertion failed' })).toHaveAttribute('href', '/clusters/3');
    expect(screen.getByRole('link', { name: 'failed' })).toHaveAttribute('href', '/runs?status=failed');
  });

  test('failing now: open incidents with their age and each repository\'s latest run, failing first', async () => {
    const fiveMinAgo = new Date(Date.now() - 5 * 60_000).toISOString();
    installFakeApi({
      'GET /overview': { json: overview({ top_clusters: [{ id: 3, title: 'pytest assertion failed', category: 'test_failure', occurrences: 12, last_seen: fiveMinAgo }] }) },
      'GET /incidents': ({ url }) =>
        url.searchParams.get('status') === 'open'
          ? page([incident({ opened_at: fiveMinAgo, repo: 'demo-python', category: 'test_failure' })])
          : page([incident({ id: 10, title: 'DNS outage', status: 'mitigating', severity: 'major', opened_at: fiveMinAgo })]),
      'GET /repos': page([
        { id: 2, name: 'demo-node', url: '/x', created_at: fiveMinAgo, finished_runs: 4, succeeded_runs: 4, success_rate: 1, last_run: { id: 50, status: 'succeeded', category: null, created_at: fiveMinAgo } },
        { id: 1, name: 'demo-python', url: '/y', created_at: fiveMinAgo, finished_runs: 10, succeeded_runs: 6, success_rate: 0.6, last_run: { id: 51, status: 'failed', category: 'test_failure', created_at: fiveMinAgo } },
        { id: 3, name: 'demo-cpp', url: '/z', created_at: fiveMinAgo, finished_runs: 0, succeeded_runs: 0, success_rate: null, last_run: null },
      ]),
    });
    renderApp('/');
    const incidents = await screen.findByRole('region', { name: 'Open incidents' });
    const row = await within(incidents).findByRole('row', { name: /pytest assertion failed in demo-python/ });
    expect(within(row).getByRole('link')).toHaveAttribute('href', '/incidents/9');
    expect(within(row).getByText('5 min ago')).toBeInTheDocument();
    expect(within(incidents).getByRole('row', { name: /DNS outage/ })).toHaveTextContent('mitigating');
    const repos = screen.getByRole('region', { name: 'Repositories' });
    const rows = await within(repos).findAllByRole('row');
    expect(rows[1]).toHaveTextContent(/demo-python#51 failed test failure 5 min ago60% of 10/);
    expect(within(rows[1]).getByRole('link', { name: '#51' })).toHaveAttribute('href', '/runs/51');
    expect(within(repos).getByRole('row', { name: /demo-cpp/ })).toHaveTextContent('no runs yet');
    expect(screen.getByRole('region', { name: 'Top failure clusters' })).toHaveTextContent('5 min ago');
    expect(screen.getByRole('link', { name: 'Open incidents' })).toHaveAttribute('href', '/incidents?status=open');
  });

  test('failing now on a server without incidents: says so, the figures stay', async () => {
    installFakeApi({ 'GET /overview': { json: overview() }, 'GET /repos': page([]) });
    renderApp('/');
    const incidents = await screen.findByRole('region', { name: 'Open incidents' });
    expect(await within(incidents).findByText(/not available on this server yet/)).toBeInTheDocument();
    expect(await screen.findByText(/No repositories registered yet/)).toBeInTheDocument();
    expect(screen.getByText('84.2%')).toBeInTheDocument();
  });

  test('reads other spellings of the figures', () => {
    const o = normalizeOverview({ runs_by_status: [{ status: 'failed', count: 2 }], mttr_ms: 5000, busy_workers: 1, idle_workers: 3, open_incidents: 2, flaky_tests: { count: 7 }, explained_failure_share: 0.5 });
    expect(o.runsByStatus).toEqual({ failed: 2 });
    expect(o.mttrMs).toBe(5000);
    expect([o.busyWorkers, o.idleWorkers, o.openIncidents, o.flakyTests, o.explainedShare]).toEqual([1, 3, 2, 7, 0.5]);
  });

  test('without /overview: says so and falls back to the latest runs', async () => {
    installFakeApi({ 'GET /runs': page([run(), run({ id: 43, status: 'succeeded' }), run({ id: 44, status: 'running' })]) });
    renderApp('/');
    expect(await screen.findByText(/not available on this server yet/)).toBeInTheDocument();
    expect(await screen.findByText('50.0%')).toBeInTheDocument();
  });

  test('API down: an error, not a blank page', async () => {
    installFakeApi({ 'GET /overview': 'down', 'GET /health': 'down' });
    renderApp('/');
    expect(await screen.findByText(/The API is not answering/)).toBeInTheDocument();
  });

  test('empty history', async () => {
    installFakeApi({ 'GET /overview': { json: overview({ runs_by_status: {}, daily_trend: [], top_clusters: [], success_rate: null }) } });
    renderApp('/');
    expect(await screen.findByText('No runs yet.')).toBeInTheDocument();
    expect(screen.getByText('No failure clusters.')).toBeInTheDocument();
  });
});
