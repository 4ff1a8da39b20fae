import type { ReactNode } from 'react';

// One figure with its label, for the overview's tiles.
export function Stat({ label, value, hint, tone }: { label: string; value: ReactNode; hint?: ReactNode; tone?: string }) {
  return (
    <div className={`stat${tone ? ` tone-${tone}` : ''}`}>
      <dt>{label}</dt>
      <dd>
        <span className="stat-value">{value}</span>
        {hint && <span className="stat-hint">{hint}</span>}
      </dd>
    </div>
  );
}
