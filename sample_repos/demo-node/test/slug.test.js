'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { slugify } = require('../src/slug');

test('slugify joins words with dashes', () => {
  assert.equal(slugify('Hello, World'), 'hello-world');
});

test('slugify keeps digits', () => {
  assert.equal(slugify('Release 2.0 notes'), 'release-2-0-notes');
});

test('slugify of nothing is empty', () => {
  assert.equal(slugify('  !!  '), '');
});
