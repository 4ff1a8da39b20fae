import { memo } from 'react';
import { parseAnsi, type Segment } from './ansi';

function segmentProps(s: Segment): { className?: string; style?: React.CSSProperties } {
  const cls: string[] = [];
  const style: React.CSSProperties = {};
  if (s.fg) {
    if (s.fg.startsWith('#')) style.color = s.fg;
    else cls.push(`ansi-fg-${s.fg}`);
  }
  if (s.bg) {
    if (s.bg.startsWith('#')) style.backgroundColor = s.bg;
    else cls.push(`ansi-bg-${s.bg}`);
  }
  if (s.bold) cls.push('ansi-bold');
  if (s.dim) cls.push('ansi-dim');
  if (s.italic) cls.push('ansi-italic');
  if (s.underline) cls.push('ansi-underline');
  return { className: cls.length ? cls.join(' ') : undefined, style: Object.keys(style).length ? style : undefined };
}

// One log line with its ANSI colours rendered as spans (parsed only when it is on screen).
export const LogLine = memo(function LogLine({ text }: { text: string }) {
  const segments = parseAnsi(text);
  return (
    <>
      {segments.map((s, i) => {
        const p = segmentProps(s);
        return p.className || p.style ? (
          <span key={i} {...p}>
            {s.text}
          </span>
        ) : (
          s.text
        );
      })}
    </>
  );
});
