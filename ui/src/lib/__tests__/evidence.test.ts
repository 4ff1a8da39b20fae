import { describe, expect, test } from 'vitest';
import { evidenceText, normalizeEvidence } from '../evidence';

describe('evidence lines', () => {
  test('the documented {line, text} shape passes through unchanged', () => {
    expect(normalizeEvidence([{ line: 8, text: 'E       AssertionError: assert 589 == 590' }])).toEqual([
      { line: 8, text: 'E       AssertionError: assert 589 == 590' },
    ]);
  });

  test('a structured (JSON) log line reads as level, message and fields, without its timestamp', () => {
    const t = evidenceText('{"ts":"2026-12-05T22:25:59Z","level":"error","msg":"connect failed","peer":{"host":"db","port":5432}}');
    expect(t).toBe('[error] connect failed (peer.host=db, peer.port=5432)');
  });

  test('entries that are objects: other key names, text that is an object, no line, bare strings', () => {
    const out = normalizeEvidence([
      { line_number: '12', message: 'npm ERR! code ENOTFOUND' },
      { line: 3, text: { level: 'warn', message: 'disk 99% full', path: '/var' } },
      { lineno: 5, code: 'E28', detail: { errno: 28 } },
      'no space left on device',
      null,
      { line: 0, text: 'line 0 is not a line' },
    ]);
    expect(out).toEqual([
      { line: 12, text: 'npm ERR! code ENOTFOUND' },
      { line: 3, text: '[warn] disk 99% full (path=/var)' },
      { line: 5, text: 'errno=28 (code=E28)' },
      { line: null, text: 'no space left on device' },
      { line: null, text: 'line 0 is not a line' },
    ]);
    for (const e of out) {
      expect(e.text).not.toMatch(/\[object Object\]|undefined|\{"/);
    }
  });

  test('text that merely looks like JSON stays as written', () => {
    expect(evidenceText('{ not json }')).toBe('{ not json }');
    expect(evidenceText('{"a": [1, 2]} trailing')).toBe('{"a": [1, 2]} trailing');
  });

  test('absent or empty evidence is an empty list', () => {
    expect(normalizeEvidence(null)).toEqual([]);
    expect(normalizeEvidence(undefined)).toEqual([]);
    expect(normalizeEvidence([])).toEqual([]);
  });
});
