// Where the API is. In order: window.__SENTINEL_CONFIG__.apiBase (set by /config.js, which
// `sentinel up` serves from its settings), VITE_API_BASE at build time, else the page's own
// host on port 8000 (the default API port). A base of "" means same origin (a reverse proxy).
declare global {
  interface Window {
    __SENTINEL_CONFIG__?: { apiBase?: string | null; apiPort?: number | null };
  }
}

export function apiBase(): string {
  const runtime = typeof window !== 'undefined' ? window.__SENTINEL_CONFIG__ : undefined;
  if (runtime?.apiBase != null) return trimSlash(runtime.apiBase);
  const built = import.meta.env.VITE_API_BASE as string | undefined;
  if (built != null && built !== '') return trimSlash(built);
  if (typeof window === 'undefined' || !window.location?.hostname) return 'http://127.0.0.1:8000';
  const port = runtime?.apiPort ?? 8000;
  return `${window.location.protocol}//${window.location.hostname}:${port}`;
}

function trimSlash(s: string): string {
  return s.endsWith('/') ? s.slice(0, -1) : s;
}
