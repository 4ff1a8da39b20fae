// ANSI SGR colours to styled segments, for one log line at a time. Other escape
// sequences (cursor moves, erase line, OSC titles) are dropped. Pure; no DOM.

export interface Segment {
  text: string;
  fg?: string; // a CSS class suffix ("red", "bright-red") or a CSS colour ("#aabbcc")
  bg?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
}

const NAMES = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];

// eslint-disable-next-line no-control-regex
const ESC = /\x1b(?:\[([0-9;:?]*)([A-Za-z])|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][A-Za-z0-9]|[=>NOMc78])/g;

function xterm256(n: number): string {
  if (n < 8) return NAMES[n];
  if (n < 16) return `bright-${NAMES[n - 8]}`;
  if (n < 232) {
    const i = n - 16;
    const c = (v: number) => (v === 0 ? 0 : 55 + v * 40).toString(16).padStart(2, '0');
    return `#${c(Math.floor(i / 36))}${c(Math.floor(i / 6) % 6)}${c(i % 6)}`;
  }
  const g = (8 + (n - 232) * 10).toString(16).padStart(2, '0');
  return `#${g}${g}${g}`;
}

export function hasAnsi(line: string): boolean {
  return line.includes('\x1b');
}

// A terminal shows what follows the last carriage return of a line (progress bars redraw).
export function lastRedraw(line: string): string {
  const r = line.lastIndexOf('\r');
  if (r < 0) return line;
  if (r === line.length - 1) {
    const prev = line.lastIndexOf('\r', r - 1);
    return line.slice(prev + 1, r);
  }
  return line.slice(r + 1);
}

export function parseAnsi(input: string): Segment[] {
  const line = lastRedraw(input);
  if (!hasAnsi(line)) return line ? [{ text: line }] : [];
  const out: Segment[] = [];
  let style: Omit<Segment, 'text'> = {};
  let last = 0;
  ESC.lastIndex = 0;
  for (let m = ESC.exec(line); m; m = ESC.exec(line)) {
    if (m.index > last) out.push({ text: line.slice(last, m.index), ...style });
    last = ESC.lastIndex;
    if (m[2] !== 'm') continue; // not a colour: drop it
    const codes = (m[1] || '0').split(/[;:]/).map((c) => (c === '' ? 0 : Number(c)));
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i];
      if (c === 0) style = {};
      else if (c === 1) style = { ...style, bold: true };
      else if (c === 2) style = { ...style, dim: true };
      else if (c === 3) style = { ...style, italic: true };
      else if (c === 4) style = { ...style, underline: true };
      else if (c === 22) style = { ...style, bold: false, dim: false };
      else if (c === 23) style = { ...style, italic: false };
      else if (c === 24) style = { ...style, underline: false };
      else if (c >= 30 && c <= 37) style = { ...style, fg: NAMES[c - 30] };
      else if (c >= 90 && c <= 97) style = { ...style, fg: `bright-${NAMES[c - 90]}` };
      else if (c >= 40 && c <= 47) style = { ...style, bg: NAMES[c - 40] };
      else if (c >= 100 && c <= 107) style = { ...style, bg: `bright-${NAMES[c - 100]}` };
      else if (c === 39) style = { ...style, fg: undefined };
      else if (c === 49) style = { ...style, bg: undefined };
      else if ((c === 38 || c === 48) && codes[i + 1] === 5 && i + 2 < codes.length) {
        const colour = xterm256(codes[i + 2]);
        style = c === 38 ? { ...style, fg: colour } : { ...style, bg: colour };
        i += 2;
      } else if ((c === 38 || c === 48) && codes[i + 1] === 2 && i + 4 < codes.length) {
        const hex = codes.slice(i + 2, i + 5).map((v) => Math.max(0, Math.min(255, v)).toString(16).padStart(2, '0')).join('');
        style = c === 38 ? { ...style, fg: `#${hex}` } : { ...style, bg: `#${hex}` };
        i += 4;
      }
    }
  }
  if (last < line.length) out.push({ text: line.slice(last), ...style });
  return out.filter((s) => s.text !== '');
}

// The line without escapes (for search and copy).
export function stripAnsi(line: string): string {
  return parseAnsi(line).map((s) => s.text).join('');
}
