-- /overview at 100,000 runs (issue 8): the success trend and the mean time to
-- recovery are kept up to date when a run finishes (in its finishing
-- transaction, adapters/sqlstore/overview_figures.cc), so the overview reads a
-- few hundred rows by index instead of ranking every run of its window.
-- Counted runs: succeeded, failed, timed_out, errored (cancelled says nothing
-- about health). Keep identical to migrations/postgres/0006_overview_figures.sql
-- (but the id type).

-- Finished counted runs per UTC day (day_no = finished_at / 86400000).
CREATE TABLE run_days (
  day_no    BIGINT PRIMARY KEY,
  finished  BIGINT NOT NULL DEFAULT 0,
  succeeded BIGINT NOT NULL DEFAULT 0
);

-- Per repository: the first failure after its last success, NULL while healthy.
CREATE TABLE repo_health (
  repo_id       BIGINT PRIMARY KEY,
  failing_since BIGINT
);

-- One recovery: a repository's first failure after a success, and the next success.
CREATE TABLE repo_recoveries (
  id           INTEGER PRIMARY KEY,
  repo_id      BIGINT NOT NULL,
  failed_at    BIGINT NOT NULL,
  recovered_at BIGINT NOT NULL,
  run_id       BIGINT NOT NULL
);
CREATE INDEX repo_recoveries_at_idx ON repo_recoveries (recovered_at, failed_at);

-- The history so far.
INSERT INTO run_days (day_no, finished, succeeded)
SELECT finished_at / 86400000, COUNT(*), SUM(CASE WHEN status = 'succeeded' THEN 1 ELSE 0 END) FROM runs
WHERE finished_at IS NOT NULL AND status IN ('succeeded', 'failed', 'timed_out', 'errored')
GROUP BY finished_at / 86400000;

INSERT INTO repo_recoveries (repo_id, failed_at, recovered_at, run_id)
SELECT repo_id, fail, rec, rec_run FROM (
  SELECT repo_id, grp,
    MIN(CASE WHEN status <> 'succeeded' THEN finished_at END) AS fail,
    MAX(CASE WHEN status = 'succeeded' THEN finished_at END) AS rec,
    MAX(CASE WHEN status = 'succeeded' THEN id END) AS rec_run
  FROM (
    SELECT id, repo_id, status, finished_at,
      COALESCE(SUM(CASE WHEN status = 'succeeded' THEN 1 ELSE 0 END) OVER (
        PARTITION BY repo_id ORDER BY finished_at, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS grp
    FROM runs WHERE finished_at IS NOT NULL AND status IN ('succeeded', 'failed', 'timed_out', 'errored')
  ) x GROUP BY repo_id, grp
) g WHERE fail IS NOT NULL AND rec IS NOT NULL;

INSERT INTO repo_health (repo_id, failing_since)
SELECT r.repo_id, MIN(r.finished_at) FROM runs r
WHERE r.finished_at IS NOT NULL AND r.status IN ('failed', 'timed_out', 'errored')
  AND r.finished_at > COALESCE((SELECT MAX(s.finished_at) FROM runs s WHERE s.repo_id = r.repo_id
                                AND s.status = 'succeeded'), -1)
GROUP BY r.repo_id;
