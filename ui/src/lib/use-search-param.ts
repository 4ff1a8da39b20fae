import { useSearchParams } from 'react-router-dom';

// A filter kept in the URL's query string, so the view is a shareable link.
// Changing a filter drops the paging cursor (it belongs to the old filter).
export function useSearchParam(name: string): [string, (value: string) => void] {
  const [params, setParams] = useSearchParams();
  const value = params.get(name) ?? '';
  const set = (v: string) =>
    setParams(
      (prev) => {
        const p = new URLSearchParams(prev);
        if (v) p.set(name, v);
        else p.delete(name);
        p.delete('cursor');
        return p;
      },
      { replace: true },
    );
  return [value, set];
}
