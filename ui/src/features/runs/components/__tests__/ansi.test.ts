import { describe, expect, test } from 'vitest';
import { lastRedraw, parseAnsi, stripAnsi } from '../ansi';

describe('ANSI colours', () => {
  test('plain text is one segment', () => {
    expect(parseAnsi('hello')).toEqual([{ text: 'hello' }]);
  });
  test('SGR colours, bold and reset', () => {
    expect(parseAnsi('\x1b[31mFAILED\x1b[0m ok \x1b[1;32mPASS\x1b[m')).toEqual([
      { text: 'FAILED', fg: 'red' },
      { text: ' ok ' },
      { text: 'PASS', bold: true, fg: 'green' },
    ]);
  });
  test('bright, 256 and true colours', () => {
    expect(parseAnsi('\x1b[91ma\x1b[38;5;196mb\x1b[38;2;1;2;255mc')).toEqual([
      { text: 'a', fg: 'bright-red' },
      { text: 'b', fg: '#ff0000' },
      { text: 'c', fg: '#0102ff' },
    ]);
  });
  test('other escapes are dropped, not shown', () => {
    expect(stripAnsi('\x1b[2K\x1b[1Gdone\x1b]0;title\x07!')).toBe('done!');
  });
  test('a carriage return redraw shows the last state', () => {
    expect(lastRedraw('10%\r50%\r100%')).toBe('100%');
    expect(lastRedraw('done\r')).toBe('done');
    expect(stripAnsi('Downloading 1%\rDownloading 100%')).toBe('Downloading 100%');
  });
});
