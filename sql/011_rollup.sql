-- Which data version the store × month roll-up (agg_store_month, metrics/rollup.ts) was built from.
-- The roll-up itself is created by its builder: its columns are the catalog's measures.
CREATE TABLE agg_store_month_meta (
  run_id     BIGINT NOT NULL,
  month_from DATE NOT NULL,
  month_to   DATE NOT NULL
);
