import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';

test('top level passes', () => {
  assert.equal(1 + 1, 2);
});

describe('outer', () => {
  it('passes inside outer', () => {});
  describe('inner', () => {
    it('fails deep <inside>', () => {
      assert.equal('actual', 'expected');
    });
    it('skipped deep', { skip: 'not today' }, () => {});
    it('todo deep', { todo: true }, () => {});
  });
  it('throws an error', () => {
    throw new TypeError('boom & bust');
  });
});
