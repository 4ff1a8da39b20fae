import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { ErrorState, Loading } from '@/components/ui/query-state';
import { apiBase } from '@/lib/config';
import type { EvidenceLine } from '../types';
import { LogLine } from './log-line';
import { useStepLog } from './use-step-log';

export const LINE_HEIGHT = 18; // px; fixed, so the viewer renders only the lines on screen
const VIEW_HEIGHT = 432; // 24 lines
const OVERSCAN = 30;

interface Props {
  runId: number;
  step: number;
  stepName: string;
  live: boolean; // the step is running: tail it
  evidence: EvidenceLine[]; // 1-based line numbers to highlight
  focusLine?: number | null; // scroll to this line when set (jump-to-line)
  onFocusLine?: (line: number) => void;
}

// A virtualised log: a spacer as tall as the whole log and only the visible window of
// lines rendered in it, so a multi-megabyte log scrolls as fast as a short one.
export function LogViewer({ runId, step, stepName, live, evidence, focusLine, onFocusLine }: Props) {
  const log = useStepLog(runId, step, live);
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [follow, setFollow] = useState(live);
  const numbered = useMemo(() => evidence.filter((e): e is EvidenceLine & { line: number } => e.line !== null), [evidence]);
  const evidenceSet = useMemo(() => new Set(numbered.map((e) => e.line)), [numbered]);
  const total = log.lines.length;

  const scrollToLine = useCallback((line: number) => {
    const el = box.current;
    if (!el) return;
    const top = Math.max(0, (line - 1) * LINE_HEIGHT - VIEW_HEIGHT / 3);
    el.scrollTop = top;
    setScrollTop(top);
  }, []);

  // Jump to the requested line once it has loaded.
  useLayoutEffect(() => {
    if (focusLine && focusLine <= total) {
      setFollow(false);
      scrollToLine(focusLine);
    }
  }, [focusLine, total, scrollToLine]);

  // Following a live log: stay at the bottom as lines arrive.
  useEffect(() => {
    const el = box.current;
    if (follow && el && !focusLine) {
      el.scrollTop = el.scrollHeight;
      setScrollTop(el.scrollTop);
    }
  }, [follow, total, focusLine]);

  if (log.loading) return <Loading what={`the log of ${stepName}`} />;
  if (log.error && total === 0) return <ErrorState error={log.error} what={`the log of ${stepName}`} />;

  const first = Math.max(0, Math.floor(scrollTop / LINE_HEIGHT) - OVERSCAN);
  const last = Math.min(total, Math.ceil((scrollTop + VIEW_HEIGHT) / LINE_HEIGHT) + OVERSCAN);
  const rows = [];
  for (let i = first; i < last; i++) {
    const n = i + 1;
    const cls = `log-row${evidenceSet.has(n) ? ' evidence' : ''}${focusLine === n ? ' focused' : ''}`;
    rows.push(
      <div key={n} className={cls} style={{ top: i * LINE_HEIGHT }} data-line={n}>
        <a
          className="ln"
          href={`#L${n}`}
          aria-label={`line ${n}`}
          onClick={(e) => {
            e.preventDefault();
            onFocusLine?.(n);
          }}
        >
          {n}
        </a>
        <span className="lt">
          <LogLine text={log.lines[i]} />
        </span>
      </div>,
    );
  }

  return (
    <section className="log" aria-label={`Log of step ${stepName}`}>
      <div className="log-toolbar">
        <span>
          {total.toLocaleString()} lines · {(log.bytes / 1024).toFixed(log.bytes < 10240 ? 1 : 0)} KiB
          {!log.complete && <strong className="live"> · live</strong>}
        </span>
        {numbered.length > 0 && (
          <span className="evidence-jumps">
            Evidence:{' '}
            {numbered.map((e) => (
              <button key={e.line} type="button" className="link" onClick={() => onFocusLine?.(e.line)} title={e.text}>
                line {e.line}
              </button>
            ))}
          </span>
        )}
        {!log.complete && (
          <label>
            <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> follow
          </label>
        )}
        <a href={logHref(runId, step)} target="_blank" rel="noreferrer">
          raw
        </a>
      </div>
      {log.error != null && <p className="state partial">Tailing paused: the API did not answer; retrying.</p>}
      {total === 0 ? (
        <p className="state empty">{log.complete ? 'This step wrote no output.' : 'No output yet; waiting for the step…'}</p>
      ) : (
        <div
          ref={box}
          className="log-box"
          tabIndex={0}
          role="log"
          aria-label={`${stepName} output, ${total} lines`}
          style={{ height: Math.min(VIEW_HEIGHT, total * LINE_HEIGHT + 2) }}
          onScroll={(e) => {
            const el = e.currentTarget;
            setScrollTop(el.scrollTop);
            if (!log.complete) setFollow(el.scrollTop + el.clientHeight >= el.scrollHeight - LINE_HEIGHT);
          }}
        >
          <div className="log-spacer" style={{ height: total * LINE_HEIGHT }}>
            {rows}
          </div>
        </div>
      )}
    </section>
  );
}

function logHref(runId: number, step: number): string {
  return `${apiBase()}/runs/${runId}/steps/${step}/log`;
}
