-- Rolling budget versions (预算滚动制定; app state, audited). A version plans a horizon of months
-- (12 by default) line by line: month × node × metric → target. Lines at stores are the budget;
-- a line at a node above the stores is a target set for it from above, which its stores' lines
-- should add up to. Approved versions govern months (app.budget_months), the latest approval of a
-- month first: a store and metric the latest version does not plan keep the line of the one
-- before. Approving takes over the months a version covers that are still open. The extract's
-- budget.csv becomes an approved version of its own whenever it changes (server/src/budgets/govern.ts).
CREATE SEQUENCE app.budget_version_ids;
CREATE TABLE app.budget_versions (
  version_id    INTEGER PRIMARY KEY DEFAULT nextval('app.budget_version_ids'),
  name          VARCHAR NOT NULL,
  first_month   DATE NOT NULL,        -- first day of the horizon's first month
  months        INTEGER NOT NULL,
  status        VARCHAR NOT NULL,     -- draft | submitted | approved | superseded
  source        VARCHAR NOT NULL,     -- import | forecast | actuals | version | rollforward
  source_detail VARCHAR,              -- the extract, the growth rate, the version copied
  author        VARCHAR NOT NULL,
  created_at    TIMESTAMP NOT NULL,
  updated_at    TIMESTAMP NOT NULL,
  revision      INTEGER NOT NULL DEFAULT 1,  -- bumped by every change: a stale client answers 409
  note          VARCHAR               -- why it was returned
);

CREATE TABLE app.budget_lines (
  version_id INTEGER NOT NULL,
  month      DATE NOT NULL,
  node_id    VARCHAR NOT NULL,
  metric_id  VARCHAR NOT NULL,
  target     DOUBLE NOT NULL,
  locked     BOOLEAN NOT NULL DEFAULT false,  -- typed in: an allocation leaves it alone
  revision   INTEGER NOT NULL DEFAULT 1,
  set_by     VARCHAR NOT NULL,
  set_at     TIMESTAMP NOT NULL,
  PRIMARY KEY (version_id, month, node_id, metric_id)
);

-- Bottom-up: a node's part of a version (its stores' lines) submitted by its manager, approved or
-- returned by the level above. No row: open.
CREATE TABLE app.budget_parts (
  version_id INTEGER NOT NULL,
  node_id    VARCHAR NOT NULL,
  status     VARCHAR NOT NULL,     -- submitted | approved | returned
  note       VARCHAR,
  actor      VARCHAR NOT NULL,
  acted_at   TIMESTAMP NOT NULL,
  PRIMARY KEY (version_id, node_id)
);

-- Which approved versions govern each month, in the order they were approved (seq).
CREATE SEQUENCE app.budget_approval_seq;
CREATE TABLE app.budget_months (
  month      DATE NOT NULL,
  version_id INTEGER NOT NULL,
  seq        INTEGER NOT NULL DEFAULT nextval('app.budget_approval_seq'),
  PRIMARY KEY (month, version_id)
);

CREATE SEQUENCE app.budget_event_ids;
CREATE TABLE app.budget_events (
  event_id    INTEGER PRIMARY KEY DEFAULT nextval('app.budget_event_ids'),
  happened_at TIMESTAMP NOT NULL,
  actor       VARCHAR NOT NULL,
  version_id  INTEGER NOT NULL,
  action      VARCHAR NOT NULL,  -- create | edit | allocate | submit | approve | return | supersede
  node_id     VARCHAR,
  metric_id   VARCHAR,
  month       DATE,
  old_value   DOUBLE,
  new_value   DOUBLE,
  note        VARCHAR
);

-- A warehouse loaded before versions existed: its budget.csv is the first approved version.
INSERT INTO app.budget_versions
  (name, first_month, months, status, source, source_detail, author, created_at, updated_at)
SELECT 'budget.csv · ' || coalesce(max(r.extract_id), ''), min(b.period),
       datediff('month', min(b.period), max(b.period)) + 1, 'approved', 'import', max(r.extract_id),
       'etl', now()::TIMESTAMP, now()::TIMESTAMP
FROM fact_budget b
LEFT JOIN (SELECT extract_id FROM etl.runs WHERE status = 'loaded' ORDER BY run_id DESC LIMIT 1) r ON true
HAVING count(*) > 0;

INSERT INTO app.budget_lines (version_id, month, node_id, metric_id, target, set_by, set_at)
SELECT currval('app.budget_version_ids'), period, store_id, metric_id, target, 'etl', now()::TIMESTAMP
FROM fact_budget;

INSERT INTO app.budget_months (month, version_id)
SELECT DISTINCT period, currval('app.budget_version_ids') FROM fact_budget;

INSERT INTO app.budget_events (happened_at, actor, version_id, action, note)
SELECT now()::TIMESTAMP, 'etl', version_id, 'import', source_detail FROM app.budget_versions;

-- The approved budget of each store and month: the line of the latest approved version that plans
-- it. (One view over the tables: EXPORT DATABASE writes views in name order, so a view may only
-- read views whose names sort before its own — effective_budget reads this one.)
CREATE VIEW approved_budget AS
SELECT l.month AS period, l.node_id AS store_id, l.metric_id, l.target
FROM app.budget_lines l
JOIN app.budget_months m ON m.month = l.month AND m.version_id = l.version_id
JOIN dim_org o ON o.node_id = l.node_id AND o.level = 'store'
QUALIFY row_number() OVER (PARTITION BY l.month, l.node_id, l.metric_id ORDER BY m.seq DESC) = 1;

-- The store × month budget the product measures against: the approved budget, where no target
-- set in the product (app.targets) replaces it.
CREATE OR REPLACE VIEW effective_budget AS
SELECT t.month AS period, t.node_id AS store_id, t.metric_id, t.value AS target
FROM app.targets t JOIN dim_org o ON o.node_id = t.node_id AND o.level = 'store'
WHERE t.staff_id = ''
UNION ALL
SELECT b.period, b.store_id, b.metric_id, b.target
FROM approved_budget b
WHERE NOT EXISTS (
  SELECT 1 FROM app.targets t
  WHERE t.staff_id = '' AND t.node_id = b.store_id AND t.metric_id = b.metric_id AND t.month = b.period
);
