-- The measures the roll-up was built with (a hash of their definitions): a roll-up built by an
-- earlier release, whose measures differ, is rebuilt rather than read.
ALTER TABLE agg_store_month_meta ADD COLUMN definition VARCHAR;
