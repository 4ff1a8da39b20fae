'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { drain } = require('../src/queue');

const scenario = process.env.SENTINEL_SCENARIO || 'success';
const runId = Number.parseInt(process.env.SENTINEL_RUN_ID || '0', 10) || 0;

test('drains every job', async () => {
  const jobs = [1, 2, 3, 4].map((n) => async () => n);
  assert.deepEqual((await drain(jobs, 2)).sort(), [1, 2, 3, 4]);
});

test('drains in submission order', async () => {
  // The flaky scenario stands in for a race: on every third run
  // (run id % 3 == 1) the first job is slow and finishes last.
  const slowFirst = scenario === 'flaky' && runId % 3 === 1;
  const jobs = ['a', 'b', 'c'].map((name, i) => () =>
    new Promise((resolve) => setTimeout(() => resolve(name), slowFirst && i === 0 ? 30 : 0)));
  assert.deepEqual(await drain(jobs, 3), ['a', 'b', 'c']);
});

test('syncs with the warehouse', async () => {
  if (scenario === 'timeout') {
    // The warehouse never answers: the step outlives its timeout.
    await new Promise((resolve) => setInterval(() => {}, 1000));
  }
  assert.ok(true);
});
