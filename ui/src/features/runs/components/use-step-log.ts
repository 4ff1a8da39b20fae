import { useEffect, useRef, useState } from 'react';
import { getStepLog } from '../api/get-step-log';

export interface StepLogState {
  lines: string[];
  complete: boolean;
  loading: boolean;
  error: unknown;
  bytes: number;
}

const TAIL_MS = 1500;

// Loads a step's log and, while the step runs, tails it through ?offset=: each poll appends
// the new bytes (decoded as a stream, so a UTF-8 character split across chunks survives).
export function useStepLog(runId: number, step: number, live: boolean): StepLogState {
  const [state, setState] = useState<StepLogState>({ lines: [], complete: false, loading: true, error: null, bytes: 0 });
  const liveRef = useRef(live);
  liveRef.current = live;

  useEffect(() => {
    const abort = new AbortController();
    const decoder = new TextDecoder();
    let offset = 0;
    let lines: string[] = [''];
    let timer: number | undefined;
    setState({ lines: [], complete: false, loading: true, error: null, bytes: 0 });

    const poll = async () => {
      try {
        const chunk = await getStepLog(runId, step, offset, abort.signal);
        offset = chunk.nextOffset;
        const text = decoder.decode(chunk.bytes, { stream: !chunk.complete });
        if (text) {
          const parts = text.split('\n');
          lines = lines.slice(0, -1).concat(lines[lines.length - 1] + parts[0], parts.slice(1));
        }
        // A final newline leaves an empty last element: not a line of its own.
        const shown = lines[lines.length - 1] === '' ? lines.slice(0, -1) : lines.slice();
        setState({ lines: shown, complete: chunk.complete, loading: false, error: null, bytes: offset });
        if (!chunk.complete && !abort.signal.aborted) timer = window.setTimeout(poll, TAIL_MS);
      } catch (e) {
        if (abort.signal.aborted) return;
        setState((s) => ({ ...s, loading: false, error: e }));
        // A running step's log may not exist yet: keep trying while the run is live.
        if (liveRef.current) timer = window.setTimeout(poll, TAIL_MS * 2);
      }
    };
    void poll();
    return () => {
      abort.abort();
      window.clearTimeout(timer);
    };
  }, [runId, step]);

  return state;
}
