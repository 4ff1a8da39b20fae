import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';

// One figure with its label, for the overview's tiles; `to` makes the label a link to the page
// that explains the figure.
export function Stat({ label, value, hint, tone, to }: { label: string; value: ReactNode; hint?: ReactNode; tone?: string; to?: string }) {
  return (
    <div className={`stat${tone ? ` tone-${tone}` : ''}`}>
      <dt>{to ? <Link to={to}>{label}</Link> : label}</dt>
      <dd>
        <span className="stat-value">{value}</span>
        {hint && <span className="stat-hint">{hint}</span>}
      </dd>
    </div>
  );
}
