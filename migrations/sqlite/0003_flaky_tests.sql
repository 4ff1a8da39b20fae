-- Flaky tests (issue 7): test history keyed by repository, normalised test id and
-- run (commit via runs), the latest verdict per test and per failure signature,
-- and quarantines with their who/why history. Must stay identical to
-- migrations/postgres/0003_flaky_tests.sql but for the id column types.

-- History columns of a test result. `finished` = 1 once its run finished (only
-- those count); `category` is the failure category of its step (infrastructure-
-- class failures do not count as flakiness); `mass_failure` = 1 when most tests
-- of the run failed at once; `flaky`/`quarantined` flag the result on the run.
ALTER TABLE test_results ADD COLUMN repo_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE test_results ADD COLUMN norm_id TEXT NOT NULL DEFAULT '';
ALTER TABLE test_results ADD COLUMN signature TEXT NOT NULL DEFAULT '';
ALTER TABLE test_results ADD COLUMN category TEXT NOT NULL DEFAULT '';
ALTER TABLE test_results ADD COLUMN finished INTEGER NOT NULL DEFAULT 0;
ALTER TABLE test_results ADD COLUMN mass_failure INTEGER NOT NULL DEFAULT 0;
ALTER TABLE test_results ADD COLUMN flaky INTEGER NOT NULL DEFAULT 0;
ALTER TABLE test_results ADD COLUMN quarantined INTEGER NOT NULL DEFAULT 0;
UPDATE test_results SET repo_id = COALESCE((SELECT r.repo_id FROM runs r WHERE r.id = test_results.run_id), 0),
  norm_id = test_id,
  finished = COALESCE((SELECT 1 FROM runs r WHERE r.id = test_results.run_id AND r.finished_at IS NOT NULL), 0);
-- A test's window: its newest finished runs, by index only.
CREATE INDEX test_results_history_idx ON test_results (repo_id, norm_id, finished, run_id);

-- Nothing wrote the 0001 table; it is replaced by one with a surrogate id (the
-- {id} of /tests/{id}), the `insufficient` class and the evidence.
DROP TABLE test_flakiness;
CREATE TABLE test_flakiness (
  id                  INTEGER PRIMARY KEY,
  repo_id             BIGINT NOT NULL REFERENCES repos(id),
  test_id             TEXT NOT NULL,
  window_size         INTEGER NOT NULL,
  runs                INTEGER NOT NULL DEFAULT 0,
  passes              INTEGER NOT NULL DEFAULT 0,
  failures            INTEGER NOT NULL DEFAULT 0,
  failure_ratio       DOUBLE PRECISION NOT NULL DEFAULT 0,
  flips               INTEGER NOT NULL DEFAULT 0,
  score               DOUBLE PRECISION NOT NULL DEFAULT 0,
  interval_low        DOUBLE PRECISION NOT NULL DEFAULT 0,
  interval_high       DOUBLE PRECISION NOT NULL DEFAULT 1,
  classification      TEXT NOT NULL CHECK (classification IN ('flaky', 'failing', 'stable', 'insufficient')),
  reason              TEXT NOT NULL DEFAULT '',
  evidence            TEXT NOT NULL DEFAULT '{}',
  last_failing_run_id BIGINT,
  last_run_id         BIGINT,
  updated_at          BIGINT NOT NULL,
  UNIQUE (repo_id, test_id)
);
CREATE INDEX test_flakiness_class_idx ON test_flakiness (classification, score, id);
CREATE INDEX test_flakiness_repo_idx ON test_flakiness (repo_id, classification, score, id);

-- The verdict of a test for one failure signature (a failure is flaky when this is `flaky`).
CREATE TABLE test_signature_verdicts (
  flakiness_id   BIGINT NOT NULL REFERENCES test_flakiness(id) ON DELETE CASCADE,
  signature      TEXT NOT NULL,
  classification TEXT NOT NULL CHECK (classification IN ('flaky', 'failing', 'stable', 'insufficient')),
  score          DOUBLE PRECISION NOT NULL DEFAULT 0,
  interval_low   DOUBLE PRECISION NOT NULL DEFAULT 0,
  interval_high  DOUBLE PRECISION NOT NULL DEFAULT 1,
  runs           INTEGER NOT NULL DEFAULT 0,
  failures       INTEGER NOT NULL DEFAULT 0,
  reason         TEXT NOT NULL DEFAULT '',
  updated_at     BIGINT NOT NULL,
  PRIMARY KEY (flakiness_id, signature)
);

-- Active quarantines: a (test, signature) whose failures do not fail the run;
-- signature '*' = every signature. clean_runs counts clean runs in a row (auto-release).
CREATE TABLE test_quarantines (
  repo_id    BIGINT NOT NULL REFERENCES repos(id),
  test_id    TEXT NOT NULL,
  signature  TEXT NOT NULL,
  who        TEXT NOT NULL,
  reason     TEXT NOT NULL,
  automatic  INTEGER NOT NULL DEFAULT 0,
  since      BIGINT NOT NULL,
  clean_runs INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (repo_id, test_id, signature)
);

-- Every quarantine change, with who and why.
CREATE TABLE test_quarantine_events (
  id        INTEGER PRIMARY KEY,
  repo_id   BIGINT NOT NULL,
  test_id   TEXT NOT NULL,
  signature TEXT NOT NULL,
  action    TEXT NOT NULL CHECK (action IN ('quarantined', 'released')),
  who       TEXT NOT NULL,
  reason    TEXT NOT NULL DEFAULT '',
  at        BIGINT NOT NULL,
  run_id    BIGINT
);
CREATE INDEX test_quarantine_events_test_idx ON test_quarantine_events (repo_id, test_id, id);

-- Flaky failures are counted apart in their cluster.
ALTER TABLE clusters ADD COLUMN flaky_occurrences BIGINT NOT NULL DEFAULT 0;
