-- The people of each store (staff.csv, extract format version 2, optional) and the columns of the
-- facts that name them; warnings of a load (rows loaded, but naming something the warehouse does
-- not know, such as a staff_id staff.csv does not hold).
CREATE TABLE dim_staff (
  staff_id  VARCHAR NOT NULL,
  store_id  VARCHAR NOT NULL,
  name      VARCHAR NOT NULL,
  role      VARCHAR NOT NULL,        -- sales_consultant | service_advisor | fi_specialist | parts_specialist | store_manager | other
  hired_on  DATE,
  left_on   DATE,                    -- empty while still employed
  batch_id  VARCHAR NOT NULL
);

ALTER TABLE fact_leads ADD COLUMN consultant_id VARCHAR;          -- the sales consultant the lead is assigned to
ALTER TABLE fact_service_orders ADD COLUMN advisor_id VARCHAR;    -- the service advisor who wrote the RO

CREATE TABLE etl.warnings (
  run_id      INTEGER NOT NULL,
  extract_id  VARCHAR NOT NULL,
  file        VARCHAR NOT NULL,
  line        BIGINT NOT NULL,       -- line in the file; the header is line 1
  column_name VARCHAR NOT NULL,
  reason      VARCHAR NOT NULL
);

ALTER TABLE etl.run_files ADD COLUMN rows_warned BIGINT DEFAULT 0;   -- rows loaded with a warning
