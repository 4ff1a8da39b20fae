// Evidence lines as the pages show them. The API sends `{line, text}` with a 1-based line
// number into the step's log; older records and other producers send bare strings, objects
// under other names, or a structured (JSON) log line as the text. Every shape becomes a line
// number (or null) and one clean sentence: never raw JSON, "[object Object]" or "undefined".

export interface Evidence {
  line: number | null;
  text: string;
}

type Raw = Record<string, unknown>;
const isObj = (v: unknown): v is Raw => !!v && typeof v === 'object' && !Array.isArray(v);

const MESSAGE_KEYS = ['msg', 'message', 'text', 'error', 'err', 'reason', 'detail', 'event'];
const LEVEL_KEYS = ['level', 'severity', 'lvl', 'log.level'];
const TIME_KEYS = new Set(['ts', 'time', 'timestamp', '@timestamp', 'at', 'date', 't']);

function scalar(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(scalar).join(', ');
  return fields(v as Raw).join(', ');
}

// key=value pairs, nested objects flattened with dots.
function fields(o: Raw, prefix = ''): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(o)) {
    if (isObj(v)) out.push(...fields(v, `${prefix}${k}.`));
    else out.push(`${prefix}${k}=${scalar(v)}`);
  }
  return out;
}

// A structured log record as one line: "[level] message (key=value, …)"; timestamps dropped
// (the log viewer shows the line itself).
export function describeRecord(o: Raw): string {
  const msgKey = MESSAGE_KEYS.find((k) => typeof o[k] === 'string' || isObj(o[k]));
  const levelKey = LEVEL_KEYS.find((k) => typeof o[k] === 'string');
  const msg = msgKey ? (typeof o[msgKey] === 'string' ? (o[msgKey] as string) : describeRecord(o[msgKey] as Raw)) : '';
  const rest: Raw = {};
  for (const [k, v] of Object.entries(o)) if (k !== msgKey && k !== levelKey && !TIME_KEYS.has(k)) rest[k] = v;
  const extra = fields(rest);
  const parts = [levelKey ? `[${o[levelKey] as string}]` : '', msg, extra.length ? (msg ? `(${extra.join(', ')})` : extra.join(', ')) : ''];
  return parts.filter(Boolean).join(' ');
}

// The text of an evidence line: a JSON object log line reads as its message and fields.
export function evidenceText(t: unknown): string {
  if (typeof t === 'string') {
    const s = t.trim();
    if (s.startsWith('{') && s.endsWith('}')) {
      try {
        const parsed: unknown = JSON.parse(s);
        if (isObj(parsed)) return describeRecord(parsed);
      } catch {
        // not JSON: the line as written
      }
    }
    return t;
  }
  if (isObj(t)) return describeRecord(t);
  if (t === null || t === undefined) return '';
  return scalar(t);
}

function lineOf(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isInteger(n) && n > 0 ? n : null;
}

export function normalizeEvidenceLine(e: unknown): Evidence | null {
  if (typeof e === 'string') return e.trim() ? { line: null, text: evidenceText(e) } : null;
  if (!isObj(e)) return e === null || e === undefined ? null : { line: null, text: scalar(e) };
  const line = lineOf(e.line ?? e.line_number ?? e.lineno ?? e.line_no ?? e.n);
  const rawText = e.text ?? e.content ?? e.excerpt ?? e.message ?? e.msg;
  if (rawText === undefined) {
    // No text field: the object itself is the record (minus its line number).
    const rest: Raw = {};
    for (const [k, v] of Object.entries(e)) if (!['line', 'line_number', 'lineno', 'line_no', 'n'].includes(k)) rest[k] = v;
    return { line, text: describeRecord(rest) };
  }
  return { line, text: evidenceText(rawText) };
}

export function normalizeEvidence(raw: unknown): Evidence[] {
  if (raw === null || raw === undefined) return [];
  const items = Array.isArray(raw) ? raw : [raw];
  return items.map(normalizeEvidenceLine).filter((e): e is Evidence => e !== null);
}
