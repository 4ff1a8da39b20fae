import { describe, expect, test } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { flakyTest, incident, incidentDetail } from '@/testing/fixtures';
import { installFakeApi, page } from '@/testing/fake-api';
import { renderApp } from '@/testing/render';

describe('incidents', () => {
  test('the list shows status and severity, filters in the URL', async () => {
    const { calls } = installFakeApi({ 'GET /incidents': page([incident(), incident({ id: 10, status: 'resolved', severity: 'low', resolved_at: '2026-12-05T11:01:00Z', title: 'old one' })]) });
    renderApp('/incidents?status=open');
    const row = await screen.findByRole('row', { name: /#9 pytest assertion failed/ });
    expect(within(row).getByText('open')).toBeInTheDocument();
    expect(within(row).getByText('high')).toBeInTheDocument();
    expect(calls[calls.length - 1].query.get('status')).toBe('open');
    expect(screen.getByRole('row', { name: /old one/ })).toHaveTextContent('1 h');
  });

  test('the detail shows timeline, impact, root cause, suspect commits and related runs', async () => {
    installFakeApi({ 'GET /incidents/9': { json: incidentDetail() } });
    renderApp('/incidents/9');
    expect(await screen.findByRole('heading', { name: /Incident #9/ })).toBeInTheDocument();
    const timeline = screen.getByRole('region', { name: 'Timeline' });
    expect(within(timeline).getByText(/cluster #3 failed in 3 runs within 24h/)).toBeInTheDocument();
    expect(within(timeline).getByRole('link', { name: 'run #42' })).toHaveAttribute('href', '/runs/42');
    const impact = screen.getByRole('region', { name: 'Impact' });
    expect(within(impact).getByText(/demo-python/)).toBeInTheDocument();
    const cause = screen.getByRole('region', { name: 'Suspected root cause' });
    expect(within(cause).getByText('11111111')).toBeInTheDocument();
    expect(within(cause).getByText('a1b2c3d4')).toBeInTheDocument();
    expect(within(cause).getByText('90%')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '#41' })).toBeInTheDocument();
  });

  test('a flaky-test incident links to the test, whose history opens on the flaky page', async () => {
    installFakeApi({
      'GET /incidents/9': { json: incidentDetail({ key: 'flaky:1:tests.test_net::test_retry', repo: 'demo-python', cluster_id: null }) },
      'GET /tests/flaky': page([flakyTest()]),
      'GET /tests/5': { json: { ...flakyTest(), outcomes: [{ run_id: 30, commit: 'aaaa1111', outcome: 'failed' }], quarantine: null } },
    });
    renderApp('/incidents/9');
    const link = await screen.findByRole('link', { name: 'tests.test_net::test_retry' });
    expect(link).toHaveAttribute('href', '/flaky?repo=demo-python&test=tests.test_net%3A%3Atest_retry');
    await userEvent.click(link);
    expect(await screen.findByRole('button', { name: 'hide' })).toHaveAttribute('aria-expanded', 'true');
    expect(await screen.findByRole('list', { name: /Outcomes in the window/ })).toBeInTheDocument();
  });

  test('status buttons send PATCH with the note; a forbidden move shows the reason', async () => {
    let status = 'open';
    const { calls } = installFakeApi({
      'GET /incidents/9': () => ({ json: incidentDetail({ status }) }),
      'PATCH /incidents/9': ({ body }) => {
        const b = body as { status: string };
        if (b.status === 'open') return { status: 422, json: { error: { code: 'failed_precondition', message: 'incident 9 is already open' } } };
        status = b.status;
        return { json: incident({ status }) };
      },
    });
    renderApp('/incidents/9');
    await screen.findByRole('heading', { name: /Incident #9/ });
    await userEvent.type(screen.getByLabelText(/Note/), 'rolled back the commit');
    await userEvent.click(screen.getByRole('button', { name: 'Mark mitigating' }));
    expect(await screen.findByText('Status is now mitigating.')).toBeInTheDocument();
    const patch = calls.find((c) => c.method === 'PATCH');
    expect(patch?.body).toEqual({ status: 'mitigating', note: 'rolled back the commit' });
    await userEvent.click(await screen.findByRole('button', { name: 'Reopen' }));
    expect(await screen.findByText('incident 9 is already open')).toBeInTheDocument();
  });

  test('the postmortem reads as a document with every section and a print button', async () => {
    installFakeApi({ 'GET /incidents/9': { json: incidentDetail({ status: 'resolved', resolved_at: '2026-12-05T12:01:00Z' }) } });
    renderApp('/incidents/9/postmortem');
    expect(await screen.findByRole('heading', { level: 1, name: /Postmortem: pytest assertion failed/ })).toBeInTheDocument();
    for (const h of ['Summary', 'Impact', 'Timeline', 'Root cause', 'Follow-ups']) expect(screen.getByRole('heading', { level: 2, name: h })).toBeInTheDocument();
    expect(screen.getByText(/resolved .* after 2 h/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Print' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Markdown' })).toHaveAttribute('href', expect.stringContaining('/incidents/9/postmortem'));
  });

  test('empty, not available and unknown id', async () => {
    installFakeApi({ 'GET /incidents': page([]) });
    renderApp('/incidents');
    expect(await screen.findByText(/No incidents/)).toBeInTheDocument();
  });

  test('a server without incidents: "not available"', async () => {
    installFakeApi({});
    renderApp('/incidents/9');
    expect(await screen.findByText(/not available on this server yet/)).toBeInTheDocument();
  });
});
