import { humanize } from '@/lib/format';

// Any JSON value as readable text: scalars as text, lists comma-separated, objects as a
// definition list with humanized keys. For fields the page does not know by name, so that a
// server adding one never shows raw JSON, "[object Object]" or "null" to a reader.
export function ValueView({ value }: { value: unknown }) {
  if (value === null || value === undefined || value === '') return <span className="muted">—</span>;
  if (typeof value === 'boolean') return <>{value ? 'yes' : 'no'}</>;
  if (typeof value === 'number') return <>{Number.isFinite(value) ? String(value) : '—'}</>;
  if (typeof value === 'string') return <>{value}</>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="muted">none</span>;
    if (value.every((v) => v === null || typeof v !== 'object')) return <>{value.map((v) => (v === null ? '—' : String(v))).join(', ')}</>;
    return (
      <ul className="value-list">
        {value.map((v, i) => (
          <li key={i}>
            <ValueView value={v} />
          </li>
        ))}
      </ul>
    );
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return <span className="muted">none</span>;
    return (
      <dl className="value-dl">
        {entries.map(([k, v]) => (
          <div key={k}>
            <dt>{humanize(k)}</dt>
            <dd>
              <ValueView value={v} />
            </dd>
          </div>
        ))}
      </dl>
    );
  }
  return <>{String(value)}</>;
}
