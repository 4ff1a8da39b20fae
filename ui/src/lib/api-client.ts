// The one API client. Every request goes through request(); every failure becomes an
// ApiError with a kind the pages act on:
//   network         the API did not answer (down, CORS, DNS)
//   not_available   this server has no such endpoint yet (404 "no such path", 501)
//   not_found       the endpoint exists but the id does not
//   invalid_state   409/422: the state forbids the change (message says why)
//   bad_request     400/413
//   server          5xx
import { apiBase } from './config';
import { takeEarly } from './early-fetch';

export type ApiErrorKind = 'network' | 'not_available' | 'not_found' | 'invalid_state' | 'bad_request' | 'server';

export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

type Query = Record<string, string | number | boolean | null | undefined>;

export function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return `${apiBase()}${path}${qs ? `?${qs}` : ''}`;
}

function kindFor(status: number, code: string, message: string): ApiErrorKind {
  if (status === 404) return code === 'not_found' && message.startsWith('no such path') ? 'not_available' : 'not_found';
  if (status === 501 || status === 405) return 'not_available';
  if (status === 409 || status === 422) return 'invalid_state';
  if (status === 400 || status === 413) return 'bad_request';
  return 'server';
}

export interface RawResponse {
  body: ArrayBuffer;
  headers: Headers;
  status: number;
}

async function send(method: string, path: string, opts: { query?: Query; body?: unknown; signal?: AbortSignal }): Promise<RawResponse> {
  let res: Response;
  try {
    const early = method === 'GET' && !opts.query ? takeEarly(path) : null;
    res = await (early ?? fetch(buildUrl(path, opts.query), {
      method,
      headers: opts.body !== undefined ? { 'Content-Type': 'application/json' } : undefined,
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
      signal: opts.signal,
    }));
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError('network', 0, 'network', `The API at ${apiBase()} did not answer.`);
  }
  const body = await res.arrayBuffer();
  if (!res.ok) {
    const text = new TextDecoder().decode(body);
    let code = `http_${res.status}`;
    let message = `The API answered ${res.status} ${res.statusText}`.trim() + '.';
    try {
      const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } };
      if (parsed.error?.code) code = parsed.error.code;
      if (parsed.error?.message) message = parsed.error.message;
    } catch {
      // not JSON: keep the generic message
    }
    throw new ApiError(kindFor(res.status, code, message), res.status, code, message);
  }
  return { body, headers: res.headers, status: res.status };
}

async function json<T>(method: string, path: string, opts: { query?: Query; body?: unknown; signal?: AbortSignal }): Promise<T> {
  const raw = await send(method, path, opts);
  const text = new TextDecoder().decode(raw.body);
  if (text === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError('server', raw.status, 'bad_json', `The API sent a response that is not JSON (${path}).`);
  }
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => json<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => json<T>('POST', path, { body: body ?? {} }),
  patch: <T>(path: string, body: unknown) => json<T>('PATCH', path, { body }),
  delete: <T>(path: string, body?: unknown) => json<T>('DELETE', path, { body }),
  raw: (path: string, query?: Query, signal?: AbortSignal) => send('GET', path, { query, signal }),
};

export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}
