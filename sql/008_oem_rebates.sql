-- OEM rebates (厂家返利, extract format version 2, optional): the detail behind the ledger's rebate
-- income (gl accounts of kind other_income, department new). One row per rebate a store earns from
-- a brand's selling company for a month; received_amount below accrued_amount is a rebate collected
-- in part, no received_date an open one. A full extract without oem_rebates.csv leaves it empty.
CREATE TABLE fact_oem_rebates (
  rebate_id       VARCHAR NOT NULL,
  store_id        VARCHAR NOT NULL,
  brand           VARCHAR NOT NULL,
  period          DATE NOT NULL,           -- the month it is earned on, as its first day (the extract writes YYYY-MM)
  kind            VARCHAR NOT NULL,        -- volume | target | special | other
  accrued_amount  DECIMAL(18,2) NOT NULL,
  expected_date   DATE NOT NULL,
  received_date   DATE,
  received_amount DECIMAL(18,2),
  batch_id        VARCHAR NOT NULL
);
