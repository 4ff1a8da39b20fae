// A small hand-rolled SVG bar chart (no chart library: the bundle stays small).
// Each bar has a <title> and the figures are also given as a visually hidden table.

export interface Bar {
  label: string; // x label, e.g. "2026-12-05"
  value: number; // bar height in the chart's unit
  tone?: 'ok' | 'bad' | 'warn' | 'info' | 'muted';
  title?: string; // the tooltip; defaults to "label: value"
}

interface Props {
  bars: Bar[];
  max?: number; // the value of a full-height bar; default: the largest value
  caption: string;
  format?: (v: number) => string;
  height?: number;
}

export function BarChart({ bars, max, caption, format = String, height = 120 }: Props) {
  if (bars.length === 0) return <p className="state empty">No data for {caption.toLowerCase()} yet.</p>;
  const top = max ?? Math.max(1, ...bars.map((b) => b.value));
  const w = 18;
  const gap = 4;
  const width = bars.length * (w + gap);
  const labelEvery = Math.max(1, Math.ceil(bars.length / 8));
  return (
    <figure className="chart">
      <svg
        role="img"
        aria-label={caption}
        viewBox={`0 0 ${width} ${height + 16}`}
        width={Math.max(width, 120)}
        height={height + 16}
        style={{ maxWidth: '100%', height: 'auto' }}
      >
        <line x1={0} x2={width} y1={height} y2={height} className="axis" />
        {bars.map((b, i) => {
          const h = top > 0 ? Math.max(b.value > 0 ? 2 : 0, (b.value / top) * height) : 0;
          return (
            <g key={`${b.label}-${i}`}>
              <rect x={i * (w + gap)} y={height - h} width={w} height={h} className={`bar tone-${b.tone ?? 'info'}`}>
                <title>{b.title ?? `${b.label}: ${format(b.value)}`}</title>
              </rect>
              {i % labelEvery === 0 && (
                <text x={i * (w + gap)} y={height + 12} className="tick">
                  {b.label.slice(5)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption>{caption}</figcaption>
      <table className="visually-hidden">
        <caption>{caption}</caption>
        <tbody>
          {bars.map((b, i) => (
            <tr key={`${b.label}-${i}`}>
              <th scope="row">{b.label}</th>
              <td>{format(b.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
