-- Motor insurance policies (保险保单, extract format version 2, optional): the policies a store
-- sold — the first one with a new car, then the yearly renewals (续保) — for the retained-customer
-- metrics (renewal rate, income per policy). A renewal names the policy it renews (renewal_of);
-- one naming a policy the warehouse does not hold (the first may predate the extract) is loaded
-- and reported as a warning. customer_id is hashed on load, as everywhere. A full extract without
-- insurance_policies.csv leaves it empty.
CREATE TABLE fact_insurance_policies (
  policy_no   VARCHAR NOT NULL,
  store_id    VARCHAR NOT NULL,
  vin         VARCHAR NOT NULL,
  customer_id VARCHAR,                 -- md5 of the DMS's id
  insurer     VARCHAR NOT NULL,
  kind        VARCHAR NOT NULL,        -- compulsory (交强险) | commercial (商业险)
  start_date  DATE NOT NULL,
  end_date    DATE NOT NULL,
  premium     DECIMAL(18,2) NOT NULL,
  commission  DECIMAL(18,2) NOT NULL,  -- what the insurer pays the store for selling it
  renewal_of  VARCHAR,                 -- the policy_no it renews; empty for a first policy
  batch_id    VARCHAR NOT NULL
);
