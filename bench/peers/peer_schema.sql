-- Pipeline-run table used by GET /runs in both the peer (FastAPI) and the C++ API.
-- :rows deterministic rows (psql -v rows=N); /runs returns the 50 newest (ORDER BY id DESC LIMIT 50).
DROP TABLE IF EXISTS runs;
CREATE TABLE runs (
  id           bigserial PRIMARY KEY,
  pipeline     text        NOT NULL,
  branch       text        NOT NULL,
  commit_sha   char(40)    NOT NULL,
  status       text        NOT NULL,
  attempt      int         NOT NULL,
  duration_ms  int         NOT NULL,
  started_at   timestamptz NOT NULL,
  finished_at  timestamptz,
  flaky_score  double precision NOT NULL
);
INSERT INTO runs (pipeline, branch, commit_sha, status, attempt, duration_ms, started_at, finished_at, flaky_score)
SELECT 'pipeline-' || (g % 17),
       CASE WHEN g % 5 = 0 THEN 'main' ELSE 'feature/' || (g % 97) END,
       md5(g::text) || substr(md5((g*7)::text), 1, 8),
       (ARRAY['passed','failed','flaky','cancelled'])[1 + (g % 4)],
       1 + (g % 3),
       1000 + (g * 37) % 600000,
       timestamptz '2024-01-01 00:00:00+00' + g * interval '90 seconds',
       timestamptz '2024-01-01 00:00:00+00' + g * interval '90 seconds' + ((1000 + (g * 37) % 600000) || ' milliseconds')::interval,
       ((g * 13) % 1000) / 1000.0
FROM generate_series(1, :rows) AS g;
CREATE INDEX runs_started_at ON runs (started_at DESC);
ANALYZE runs;
