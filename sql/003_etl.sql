-- ETL bookkeeping: every run, what it read from each file, and every rejected row.
-- Kept in its own schema, apart from the warehouse tables.
CREATE SCHEMA etl;

CREATE TABLE etl.runs (
  run_id        INTEGER PRIMARY KEY,
  extract_id    VARCHAR,
  kind          VARCHAR,             -- full | incremental
  source_dir    VARCHAR NOT NULL,
  status        VARCHAR NOT NULL,    -- loaded | refused
  message       VARCHAR,             -- why a refused run was refused
  period_from   DATE,
  period_to     DATE,
  started_at    TIMESTAMP NOT NULL,
  finished_at   TIMESTAMP NOT NULL,
  duration_ms   INTEGER NOT NULL,
  rows_read     BIGINT NOT NULL,
  rows_loaded   BIGINT NOT NULL,
  rows_rejected BIGINT NOT NULL
);

CREATE TABLE etl.run_files (
  run_id        INTEGER NOT NULL,
  file          VARCHAR NOT NULL,
  sha256        VARCHAR NOT NULL,
  bytes         BIGINT NOT NULL,
  rows_read     BIGINT NOT NULL,
  rows_loaded   BIGINT NOT NULL,
  rows_rejected BIGINT NOT NULL,
  duration_ms   INTEGER NOT NULL
);

CREATE TABLE etl.rejects (
  run_id      INTEGER NOT NULL,
  extract_id  VARCHAR NOT NULL,
  file        VARCHAR NOT NULL,
  line        BIGINT NOT NULL,       -- line in the file; the header is line 1
  column_name VARCHAR,               -- NULL when the reason concerns the whole row
  reason      VARCHAR NOT NULL,
  record      VARCHAR NOT NULL       -- the rejected row as JSON, so nothing is lost
);
