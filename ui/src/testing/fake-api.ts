// A fake of the API for component tests: routes "METHOD /path" (query ignored) to a JSON
// answer, an error, or "down" (the fetch rejects, as when the API does not answer).
// Records every call so tests can assert what the page sent.
import { vi } from 'vitest';

export type FakeAnswer =
  | { status?: number; json?: unknown; text?: string; headers?: Record<string, string> }
  | 'down'
  | ((req: { url: URL; method: string; body: unknown }) => FakeAnswer);

export interface FakeCall {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

export function notAvailable(path: string): FakeAnswer {
  return { status: 404, json: { error: { code: 'not_found', message: `no such path: ${path}` } } };
}

export function installFakeApi(routes: Record<string, FakeAnswer>) {
  const calls: FakeCall[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const method = (init?.method ?? 'GET').toUpperCase();
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    calls.push({ method, path: url.pathname, query: url.searchParams, body });
    let answer: FakeAnswer | undefined = routes[`${method} ${url.pathname}`];
    if (answer === undefined) answer = notAvailable(url.pathname);
    while (typeof answer === 'function') answer = answer({ url, method, body });
    if (answer === 'down') throw new TypeError('Failed to fetch');
    const status = answer.status ?? 200;
    const text = answer.text ?? (answer.json !== undefined ? JSON.stringify(answer.json) : '');
    return new Response(status === 204 || status === 304 ? null : text, {
      status,
      headers: { 'Content-Type': answer.text !== undefined ? 'text/plain' : 'application/json', ...(answer.headers ?? {}) },
    });
  });
  vi.stubGlobal('fetch', fetchMock);
  return { calls, fetchMock };
}

export const page = <T,>(items: T[], next: string | null = null) => ({ json: { items, next_cursor: next } });
