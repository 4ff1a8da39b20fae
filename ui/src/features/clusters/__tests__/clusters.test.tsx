import { describe, expect, test } from 'vitest';
import { screen, within } from '@testing-library/react';
import { installFakeApi, page } from '@/testing/fake-api';
import { renderApp } from '@/testing/render';
import { occurrencesByDay } from '../components/cluster-detail-page';

const cluster = {
  id: 3, fingerprint: 'ab12cd34', category: 'network_dns', signature: 'dns-resolution', title: 'DNS resolution failed',
  template: 'Could not resolve host <*>', occurrences: 5, affected_runs: 4, affected_repos: 2,
  first_seen: '2026-12-03T10:00:00Z', last_seen: '2026-12-05T10:00:00Z',
  excerpt: [{ line: 12, text: 'curl: (6) Could not resolve host: pypi.invalid' }], hint: 'Check DNS.', representative_run_id: 40,
};

describe('failure clusters', () => {
  test('the list shows category, occurrences and evidence', async () => {
    installFakeApi({ 'GET /clusters': page([cluster]) });
    renderApp('/clusters');
    const row = await screen.findByRole('row', { name: /DNS resolution failed/ });
    expect(within(row).getByText('network dns')).toBeInTheDocument();
    expect(within(row).getByText('5')).toBeInTheDocument();
    expect(within(row).getByText(/Could not resolve host/)).toBeInTheDocument();
  });

  test('the detail shows evidence, repositories, runs over time and its incident', async () => {
    installFakeApi({
      'GET /clusters/3': {
        json: {
          ...cluster,
          incident: { id: 9, title: 'DNS outage', status: 'open' },
          runs: [
            { id: 40, repo_id: 1, repo_name: 'demo-python', status: 'failed', created_at: '2026-12-03T10:00:00Z' },
            { id: 44, repo_id: 2, repo_name: 'demo-node', status: 'failed', created_at: '2026-12-05T10:00:00Z' },
          ],
        },
      },
    });
    renderApp('/clusters/3');
    expect(await screen.findByRole('heading', { name: /DNS resolution failed/ })).toBeInTheDocument();
    expect(screen.getByText(/demo-python, demo-node/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /#9 DNS outage/ })).toHaveAttribute('href', '/incidents/9');
    expect(screen.getByText(/pypi.invalid/)).toBeInTheDocument();
    // the evidence line jumps to that line of the representative run's log
    expect(screen.getByRole('link', { name: 'Line 12 in the log of run #40' })).toHaveAttribute('href', '/runs/40?line=12');
    expect(screen.getByRole('img', { name: 'Runs in this cluster per day' })).toBeInTheDocument();
  });

  test('an excerpt stored as objects or JSON text reads as clean lines', async () => {
    installFakeApi({
      'GET /clusters/3': {
        json: {
          ...cluster,
          excerpt: [{ line: 7, text: '{"level":"error","msg":"getaddrinfo ENOTFOUND","host":"registry.invalid"}' }, { line: 9, text: { message: 'npm ERR! network' } }],
          runs: [],
        },
      },
    });
    renderApp('/clusters/3');
    const lines = await screen.findByRole('list', { name: 'Evidence lines' });
    expect(within(lines).getByText('[error] getaddrinfo ENOTFOUND (host=registry.invalid)')).toBeInTheDocument();
    expect(within(lines).getByText('npm ERR! network')).toBeInTheDocument();
    expect(lines.textContent).not.toMatch(/\[object Object\]|\{"/);
  });

  test('occurrences by day fill the days in between', () => {
    const days = occurrencesByDay([
      { id: 1, repo_id: 1, repo_name: 'a', status: 'failed', created_at: '2026-12-01T01:00:00Z' },
      { id: 2, repo_id: 1, repo_name: 'a', status: 'failed', created_at: '2026-12-03T01:00:00Z' },
      { id: 3, repo_id: 1, repo_name: 'a', status: 'failed', created_at: '2026-12-03T05:00:00Z' },
    ]);
    expect(days).toEqual([
      { day: '2026-12-01', count: 1 },
      { day: '2026-12-02', count: 0 },
      { day: '2026-12-03', count: 2 },
    ]);
  });

  test('empty and not-available states', async () => {
    installFakeApi({ 'GET /clusters': page([]) });
    renderApp('/clusters');
    expect(await screen.findByText('No failures have been clustered yet.')).toBeInTheDocument();
  });

  test('a server without clusters says so', async () => {
    installFakeApi({ 'GET /clusters': { status: 501, json: { error: { code: 'unimplemented', message: 'clusters are not wired in this server' } } } });
    renderApp('/clusters');
    expect(await screen.findByText(/not available on this server yet/)).toBeInTheDocument();
  });
});
