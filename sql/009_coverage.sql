-- What the warehouse's data covers, per extract file: the union of the windows (period_from …
-- period_to) of the extracts that loaded it since the last full load. A metric reads a period only
-- where its sources cover it; elsewhere it has no value ("no data"), never 0. Balances are valid
-- only from the first period_from: before it, only the documents still open then were extracted.
CREATE TABLE etl.coverage (
  file         VARCHAR PRIMARY KEY,  -- e.g. vehicle_sales.csv
  covered_from DATE NOT NULL,
  covered_to   DATE NOT NULL,
  run_id       INTEGER NOT NULL      -- the last run that extended it
);

-- Warehouses loaded before this table existed: rebuilt from the runs since the last full load.
INSERT INTO etl.coverage
SELECT f.file, min(r.period_from), max(r.period_to), max(r.run_id)
FROM etl.run_files f JOIN etl.runs r USING (run_id)
WHERE r.status = 'loaded'
  AND r.run_id >= (SELECT max(run_id) FROM etl.runs WHERE status = 'loaded' AND kind = 'full')
GROUP BY f.file;
