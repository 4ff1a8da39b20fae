-- A failure of a test whose verdict for that failure's signature is `flaky` is a flaky
-- failure: shown on the run, counted apart from deterministic failures everywhere
-- (clusters, the overview, incident rules). Booleans are INTEGER 0/1.
ALTER TABLE failures ADD COLUMN flaky INTEGER NOT NULL DEFAULT 0;
