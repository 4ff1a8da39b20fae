import { describe, expect, test } from 'vitest';
import { api, ApiError } from '@/lib/api-client';
import { startEarlyFetches } from '@/lib/early-fetch';
import { installFakeApi } from '@/testing/fake-api';

describe('early fetches of the landing page', () => {
  test('on /, GET /overview starts at once and the first api.get takes that response', async () => {
    const { calls } = installFakeApi({ 'GET /overview': { json: { success_rate: 0.5 } } });
    startEarlyFetches('/');
    expect(calls.map((c) => c.path)).toEqual(['/overview']);
    expect(await api.get('/overview')).toEqual({ success_rate: 0.5 });
    expect(calls).toHaveLength(1); // reused, not sent again
    await api.get('/overview');
    expect(calls).toHaveLength(2); // taken once only
  });

  test('other pages start nothing; a query string never takes the early response', async () => {
    const { calls } = installFakeApi({ 'GET /overview': { json: {} }, 'GET /runs': { json: { items: [], next_cursor: null } } });
    startEarlyFetches('/runs');
    expect(calls).toHaveLength(0);
    startEarlyFetches('/');
    await api.get('/overview', { window: 7 });
    expect(calls).toHaveLength(2);
    await api.get('/overview'); // the early one, still unused
    expect(calls).toHaveLength(2);
  });

  test('an early request that fails is the page\'s network error, not an unhandled rejection', async () => {
    installFakeApi({ 'GET /overview': 'down' });
    startEarlyFetches('/');
    const e = await api.get('/overview').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).kind).toBe('network');
  });
});
