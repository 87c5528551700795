-- Warehouse star schema. Column names follow the extract format (README "Extract format").
-- Fact tables carry no PRIMARY KEY: DuckDB's ART indexes cost memory and load time at
-- tens of millions of rows; the ETL enforces natural-key uniqueness itself.

CREATE TABLE dim_org (
  node_id     VARCHAR PRIMARY KEY,
  parent_id   VARCHAR,
  level       VARCHAR NOT NULL,          -- group | division | region | store
  name        VARCHAR NOT NULL,
  name_en     VARCHAR,
  store_type  VARCHAR,                   -- 4s | non4s | used_car | other (stores only)
  province    VARCHAR,
  city        VARCHAR,
  opened_on   DATE,
  owner       VARCHAR,
  batch_id    VARCHAR NOT NULL
);

-- Every (ancestor, descendant) pair including (node, node): scope and roll-ups join here.
CREATE TABLE org_closure (
  ancestor_id   VARCHAR NOT NULL,
  descendant_id VARCHAR NOT NULL,
  depth         INTEGER NOT NULL
);

CREATE TABLE dim_product (
  model_id    VARCHAR PRIMARY KEY,
  model_name  VARCHAR NOT NULL,
  series      VARCHAR NOT NULL,
  brand       VARCHAR NOT NULL,
  origin      VARCHAR NOT NULL,          -- imported | domestic
  powertrain  VARCHAR NOT NULL,          -- ice | hev | phev | bev
  msrp        DECIMAL(18,2),
  batch_id    VARCHAR NOT NULL
);

CREATE TABLE dim_account (
  account_code VARCHAR PRIMARY KEY,
  account_name VARCHAR NOT NULL,
  department   VARCHAR NOT NULL,         -- new | used | service | parts | fi | admin
  kind         VARCHAR NOT NULL,         -- revenue | cogs | expense | other_income
  batch_id     VARCHAR NOT NULL
);

-- Derived from the facts after each load (the extract carries no customer file).
-- Customer ids are stored hashed (md5) everywhere: the warehouse never holds them in clear.
CREATE TABLE dim_customer (
  customer_id  VARCHAR NOT NULL,         -- md5 of the source customer id, as in the facts
  city         VARCHAR,
  channel      VARCHAR,
  first_seen   DATE
);

CREATE TABLE fact_vehicle_sales (
  order_no          VARCHAR NOT NULL,
  store_id          VARCHAR NOT NULL,
  sale_date         DATE NOT NULL,
  vin               VARCHAR NOT NULL,
  model_id          VARCHAR NOT NULL,
  sale_type         VARCHAR NOT NULL,    -- new | used
  channel           VARCHAR NOT NULL,    -- showroom | online | fleet
  customer_id       VARCHAR,
  price             DECIMAL(18,2) NOT NULL,
  cost              DECIMAL(18,2) NOT NULL,
  discount          DECIMAL(18,2) NOT NULL,
  financed          BOOLEAN NOT NULL,
  finance_income    DECIMAL(18,2) NOT NULL,
  insurance_income  DECIMAL(18,2) NOT NULL,
  accessory_revenue DECIMAL(18,2) NOT NULL,
  accessory_cost    DECIMAL(18,2) NOT NULL,
  trade_in          BOOLEAN NOT NULL,
  salesperson       VARCHAR,
  batch_id          VARCHAR NOT NULL
);

CREATE TABLE fact_leads (
  lead_id      VARCHAR NOT NULL,
  store_id     VARCHAR NOT NULL,
  created_date DATE NOT NULL,
  source       VARCHAR NOT NULL,         -- walk_in | online | phone | referral
  model_id     VARCHAR,
  visited_date DATE,
  test_drive   BOOLEAN NOT NULL,
  order_no     VARCHAR,
  batch_id     VARCHAR NOT NULL
);

CREATE TABLE fact_service_orders (
  ro_no          VARCHAR NOT NULL,
  store_id       VARCHAR NOT NULL,
  open_date      DATE NOT NULL,
  close_date     DATE,
  vin            VARCHAR NOT NULL,
  customer_id    VARCHAR,
  pay_type       VARCHAR NOT NULL,       -- customer | warranty | insurance | internal
  labour_hours   DECIMAL(10,2) NOT NULL,
  labour_revenue DECIMAL(18,2) NOT NULL,
  labour_cost    DECIMAL(18,2) NOT NULL,
  parts_revenue  DECIMAL(18,2) NOT NULL,
  parts_cost     DECIMAL(18,2) NOT NULL,
  batch_id       VARCHAR NOT NULL
);

CREATE TABLE fact_parts_sales (
  line_id       VARCHAR NOT NULL,
  store_id      VARCHAR NOT NULL,
  sale_date     DATE NOT NULL,
  ro_no         VARCHAR,                 -- empty for counter sales
  part_no       VARCHAR NOT NULL,
  part_category VARCHAR NOT NULL,
  qty           DECIMAL(12,2) NOT NULL,
  revenue       DECIMAL(18,2) NOT NULL,
  cost          DECIMAL(18,2) NOT NULL,
  batch_id      VARCHAR NOT NULL
);

CREATE TABLE fact_vehicle_stock (
  vin              VARCHAR NOT NULL,
  store_id         VARCHAR NOT NULL,
  model_id         VARCHAR NOT NULL,
  stock_type       VARCHAR NOT NULL,     -- new | used
  stock_in_date    DATE NOT NULL,
  stock_out_date   DATE,
  purchase_cost    DECIMAL(18,2) NOT NULL,
  floorplan_amount DECIMAL(18,2) NOT NULL,
  floorplan_rate   DECIMAL(9,6) NOT NULL,
  batch_id         VARCHAR NOT NULL
);

CREATE TABLE fact_parts_stock (
  snapshot_date      DATE NOT NULL,      -- month end
  store_id           VARCHAR NOT NULL,
  part_no            VARCHAR NOT NULL,
  part_category      VARCHAR NOT NULL,
  qty_on_hand        DECIMAL(12,2) NOT NULL,
  unit_cost          DECIMAL(18,2) NOT NULL,
  last_movement_date DATE,
  batch_id           VARCHAR NOT NULL
);

-- period is stored as the first day of the month (the extract writes YYYY-MM).
CREATE TABLE fact_gl_monthly (
  period       DATE NOT NULL,
  store_id     VARCHAR NOT NULL,
  account_code VARCHAR NOT NULL,
  amount       DECIMAL(18,2) NOT NULL,
  batch_id     VARCHAR NOT NULL
);

CREATE TABLE fact_receivables (
  doc_no            VARCHAR NOT NULL,
  store_id          VARCHAR NOT NULL,
  counterparty      VARCHAR NOT NULL,
  counterparty_type VARCHAR NOT NULL,    -- customer | oem | bank | insurer
  doc_date          DATE NOT NULL,
  due_date          DATE NOT NULL,
  amount            DECIMAL(18,2) NOT NULL,
  settled_date      DATE,
  settled_amount    DECIMAL(18,2),
  batch_id          VARCHAR NOT NULL
);

CREATE TABLE fact_payables (
  doc_no            VARCHAR NOT NULL,
  store_id          VARCHAR NOT NULL,
  counterparty      VARCHAR NOT NULL,
  counterparty_type VARCHAR NOT NULL,    -- oem | parts_supplier | other
  doc_date          DATE NOT NULL,
  due_date          DATE NOT NULL,
  amount            DECIMAL(18,2) NOT NULL,
  settled_date      DATE,
  settled_amount    DECIMAL(18,2),
  batch_id          VARCHAR NOT NULL
);

CREATE TABLE fact_cash_flow (
  period   DATE NOT NULL,
  store_id VARCHAR NOT NULL,
  category VARCHAR NOT NULL,             -- operating | investing | financing
  line     VARCHAR NOT NULL,
  amount   DECIMAL(18,2) NOT NULL,       -- inflow +, outflow -
  batch_id VARCHAR NOT NULL
);

CREATE TABLE fact_balance_sheet (
  period   DATE NOT NULL,
  store_id VARCHAR NOT NULL,
  line     VARCHAR NOT NULL,
  amount   DECIMAL(18,2) NOT NULL,
  batch_id VARCHAR NOT NULL
);

CREATE TABLE fact_budget (
  period    DATE NOT NULL,
  store_id  VARCHAR NOT NULL,
  metric_id VARCHAR NOT NULL,
  target    DOUBLE NOT NULL,
  batch_id  VARCHAR NOT NULL
);
