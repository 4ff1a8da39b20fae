import { describe, expect, test } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { installFakeApi, page } from '@/testing/fake-api';
import { renderApp } from '@/testing/render';

const repo = (over: Record<string, unknown> = {}) => ({
  id: 1, name: 'demo-python', url: '/data/repos/demo-python', created_at: '2026-12-05T09:00:00Z',
  last_run: { id: 42, status: 'failed', commit: 'abc', created_at: '2026-12-05T10:00:00Z', category: 'test_failure' },
  finished_runs: 10, succeeded_runs: 7, success_rate: 0.7, ...over,
});

describe('repositories', () => {
  test('lists repositories with their last run and success rate', async () => {
    installFakeApi({ 'GET /repos': page([repo(), repo({ id: 2, name: 'demo-node', url: '/data/repos/demo-node', last_run: null, success_rate: null, finished_runs: 0 })]) });
    renderApp('/repos');
    const row = await screen.findByRole('row', { name: /demo-python/ });
    expect(within(row).getByRole('link', { name: '#42' })).toHaveAttribute('href', '/runs/42');
    expect(within(row).getByText('70%')).toBeInTheDocument();
    expect(screen.getByRole('row', { name: /demo-node/ })).toHaveTextContent('no runs yet');
  });

  test('triggers a run with a scenario and links to it', async () => {
    const { calls } = installFakeApi({ 'GET /repos': page([repo()]), 'POST /runs': { status: 202, json: { id: 77, status: 'queued', repo: 'demo-python' } } });
    renderApp('/repos');
    await screen.findByRole('row', { name: /demo-python/ });
    await userEvent.selectOptions(screen.getByLabelText('Scenario'), 'flaky');
    await userEvent.click(screen.getByRole('button', { name: 'Trigger run' }));
    expect(await screen.findByRole('link', { name: 'run #77' })).toHaveAttribute('href', '/runs/77');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ repo: 'demo-python', scenario: 'flaky' });
  });

  test('adding a repository that exists shows the conflict', async () => {
    installFakeApi({ 'GET /repos': page([]), 'POST /repos': { status: 409, json: { error: { code: 'already_exists', message: 'a repository named demo-python exists' } } } });
    renderApp('/repos');
    expect(await screen.findByText(/No repositories registered yet/)).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Name'), 'demo-python');
    await userEvent.type(screen.getByLabelText('URL'), '/tmp/x');
    await userEvent.click(screen.getByRole('button', { name: 'Add repository' }));
    expect(await screen.findByText('a repository named demo-python exists')).toBeInTheDocument();
  });

  test('API down', async () => {
    installFakeApi({ 'GET /repos': 'down' });
    renderApp('/repos');
    expect(await screen.findByText(/The API is not answering/)).toBeInTheDocument();
  });
});
