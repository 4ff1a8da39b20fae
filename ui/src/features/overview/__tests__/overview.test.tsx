import { describe, expect, test } from 'vitest';
import { screen, within } from '@testing-library/react';
import { overview, run } from '@/testing/fixtures';
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
