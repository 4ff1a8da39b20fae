import { describe, expect, test } from 'vitest';
import { api, ApiError } from '@/lib/api-client';
import { installFakeApi, notAvailable } from '@/testing/fake-api';

async function errorOf(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    return e as ApiError;
  }
  throw new Error('expected a failure');
}

describe('api client: one error path', () => {
  test('classifies every failure by what the page should do', async () => {
    installFakeApi({
      'GET /missing-endpoint': notAvailable('/missing-endpoint'),
      'GET /runs/999': { status: 404, json: { error: { code: 'not_found', message: 'no run with id 999' } } },
      'POST /runs/1/retry': { status: 422, json: { error: { code: 'failed_precondition', message: 'run 1 is running' } } },
      'GET /bad': { status: 400, json: { error: { code: 'invalid_argument', message: 'limit must be an integer' } } },
      'GET /boom': { status: 500, text: 'oops' },
      'GET /down': 'down',
      'GET /clusters': { status: 501, json: { error: { code: 'unimplemented', message: 'clusters are not wired' } } },
    });
    expect((await errorOf(api.get('/missing-endpoint'))).kind).toBe('not_available');
    const nf = await errorOf(api.get('/runs/999'));
    expect(nf.kind).toBe('not_found');
    expect(nf.message).toBe('no run with id 999');
    const st = await errorOf(api.post('/runs/1/retry'));
    expect(st.kind).toBe('invalid_state');
    expect(st.message).toBe('run 1 is running');
    expect((await errorOf(api.get('/bad'))).kind).toBe('bad_request');
    const boom = await errorOf(api.get('/boom'));
    expect(boom.kind).toBe('server');
    expect(boom.status).toBe(500);
    expect((await errorOf(api.get('/down'))).kind).toBe('network');
    expect((await errorOf(api.get('/clusters'))).kind).toBe('not_available');
  });

  test('sends filters in the query string and drops empty ones', async () => {
    const { calls } = installFakeApi({ 'GET /runs': { json: { items: [], next_cursor: null } } });
    await api.get('/runs', { repo: 'demo-node', status: '', cursor: undefined, limit: 50 });
    expect(calls[0].query.get('repo')).toBe('demo-node');
    expect(calls[0].query.has('status')).toBe(false);
    expect(calls[0].query.get('limit')).toBe('50');
  });
});
