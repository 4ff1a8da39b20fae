'use strict';

// Runs async jobs with a concurrency limit; resolves to the order they finished in.
async function drain(jobs, limit) {
  const finished = [];
  let next = 0;
  async function worker() {
    while (next < jobs.length) {
      const job = jobs[next++];
      finished.push(await job());
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return finished;
}

module.exports = { drain };
