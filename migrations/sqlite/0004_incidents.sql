-- Incidents as the rules keep them (core/incidents): the rule and category that
-- opened one, its clean-run streak and last occurrence; silences and the rule
-- matches they held back; the once-per-run evaluation record and its outbox;
-- indexes for the rules' windows and for GET /overview at 100k+ runs.
ALTER TABLE incidents ADD COLUMN rule TEXT NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN category TEXT NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN clean_streak INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN last_occurrence_at BIGINT;
CREATE INDEX incident_runs_run_idx ON incident_runs (run_id);
CREATE INDEX incidents_cluster_idx ON incidents (cluster_id);

-- A time-boxed silence of a repository or a cluster: matching rule hits open nothing.
CREATE TABLE silences (
  id         INTEGER PRIMARY KEY,
  repo_id    BIGINT REFERENCES repos(id) ON DELETE CASCADE,
  cluster_id BIGINT REFERENCES clusters(id) ON DELETE CASCADE,
  reason     TEXT NOT NULL,
  starts_at  BIGINT NOT NULL,
  ends_at    BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  CHECK (repo_id IS NOT NULL OR cluster_id IS NOT NULL),
  CHECK (ends_at > starts_at)
);
CREATE INDEX silences_ends_idx ON silences (ends_at, id);

CREATE TABLE silenced_matches (
  id         INTEGER PRIMARY KEY,
  silence_id BIGINT NOT NULL REFERENCES silences(id) ON DELETE CASCADE,
  key        TEXT NOT NULL,
  run_id     BIGINT,
  at         BIGINT NOT NULL,
  message    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX silenced_matches_silence_idx ON silenced_matches (silence_id, id);

-- Finished runs whose incident evaluation is due: written by the run's finishing
-- transaction, deleted by the evaluation's. incident_evaluations: runs already
-- evaluated (never twice).
CREATE TABLE incident_pending (
  run_id BIGINT PRIMARY KEY,
  at     BIGINT NOT NULL
);
CREATE TABLE incident_evaluations (
  run_id BIGINT PRIMARY KEY,
  at     BIGINT NOT NULL
);

CREATE INDEX runs_finished_idx ON runs (finished_at, status);
CREATE INDEX runs_repo_finished_idx ON runs (repo_id, finished_at, status);
CREATE INDEX failures_cluster_created_idx ON failures (cluster_id, created_at);
CREATE INDEX failures_created_idx ON failures (created_at);
