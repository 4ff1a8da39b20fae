import { useRef } from 'react';
import { useSearchParams } from 'react-router-dom';

// Cursor paging kept in the URL (?cursor=), so a page is a shareable link. "Newer" walks
// back through the cursors this tab has seen; from a pasted link it returns to the first page.
export function usePageCursor(): { cursor: string | null; older: (next: string) => void; newer: () => void; reset: () => void } {
  const [params, setParams] = useSearchParams();
  const stack = useRef<(string | null)[]>([]);
  const cursor = params.get('cursor');
  const go = (c: string | null) =>
    setParams((prev) => {
      const p = new URLSearchParams(prev);
      if (c) p.set('cursor', c);
      else p.delete('cursor');
      return p;
    });
  return {
    cursor,
    older: (next) => {
      stack.current.push(cursor);
      go(next);
    },
    newer: () => go(stack.current.pop() ?? null),
    reset: () => {
      stack.current = [];
    },
  };
}

export function Pager({ cursor, nextCursor, older, newer }: { cursor: string | null; nextCursor: string | null; older: (c: string) => void; newer: () => void }) {
  if (!cursor && !nextCursor) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" disabled={!cursor} onClick={newer}>
        ← Newer
      </button>
      <button type="button" disabled={!nextCursor} onClick={() => nextCursor && older(nextCursor)}>
        Older →
      </button>
    </nav>
  );
}
