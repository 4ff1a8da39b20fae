// Requests a landing page needs, sent before the application's code has loaded: the entry
// chunk (main.tsx) is tiny and starts them, then loads the app. The API client takes such a
// response (once, if fresh) instead of sending the same GET again. On the overview this
// overlaps GET /overview with the parsing of the app bundle.
import { apiBase } from './config';

// Landing path -> the GETs (no query) worth starting early.
const EARLY: Record<string, string[]> = { '/': ['/overview'] };
const MAX_AGE_MS = 10_000;

const pending = new Map<string, { at: number; response: Promise<Response> }>();

export function startEarlyFetches(pathname: string): void {
  if (typeof fetch !== 'function') return;
  for (const path of EARLY[pathname] ?? []) {
    const response = fetch(`${apiBase()}${path}`);
    response.catch(() => {}); // an early failure is reported when the page asks for it
    pending.set(path, { at: Date.now(), response });
  }
}

// The early response for a GET of `path`, once; null when none was started or it is stale.
export function takeEarly(path: string): Promise<Response> | null {
  const e = pending.get(path);
  if (!e) return null;
  pending.delete(path);
  return Date.now() - e.at <= MAX_AGE_MS ? e.response : null;
}
