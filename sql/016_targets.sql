-- Targets cascaded below the budget (app state, audited). A target is per month, unit and metric:
-- a unit is an org node (staff_id NULL) or a person of a store (node_id = their store). Additive
-- targets live at stores and people only (a node's is the sum of its stores', so children always
-- add up to their parent); rows at nodes above stores only mark a child's total as locked. Ratio
-- targets are set, not summed: a row at any node or person.
CREATE TABLE app.targets (
  month     DATE NOT NULL,          -- first day of the month
  node_id   VARCHAR NOT NULL,
  staff_id  VARCHAR NOT NULL DEFAULT '',   -- '' for an org node
  metric_id VARCHAR NOT NULL,
  value     DOUBLE NOT NULL,
  locked    BOOLEAN NOT NULL DEFAULT false,  -- set by hand: allocations leave it alone
  set_by    VARCHAR NOT NULL,
  set_at    TIMESTAMP NOT NULL,
  PRIMARY KEY (month, node_id, staff_id, metric_id)
);

CREATE SEQUENCE app.target_change_ids;
CREATE TABLE app.target_changes (
  change_id  INTEGER PRIMARY KEY DEFAULT nextval('app.target_change_ids'),
  happened_at TIMESTAMP NOT NULL,
  actor      VARCHAR NOT NULL,
  month      DATE NOT NULL,
  node_id    VARCHAR NOT NULL,
  staff_id   VARCHAR NOT NULL,
  metric_id  VARCHAR NOT NULL,
  old_value  DOUBLE,                -- null: the unit had no target of its own (the budget's, or none)
  new_value  DOUBLE NOT NULL,
  locked     BOOLEAN NOT NULL,
  method     VARCHAR NOT NULL       -- share | equal | headcount | manual | spread (a parent's new total over its stores)
);

-- The store × month budget the product measures against: budget.csv, where no target set in the
-- product replaces it.
CREATE VIEW effective_budget AS
SELECT t.month AS period, t.node_id AS store_id, t.metric_id, t.value AS target
FROM app.targets t JOIN dim_org o ON o.node_id = t.node_id AND o.level = 'store'
WHERE t.staff_id = ''
UNION ALL
SELECT b.period, b.store_id, b.metric_id, b.target
FROM fact_budget b
WHERE NOT EXISTS (
  SELECT 1 FROM app.targets t
  WHERE t.staff_id = '' AND t.node_id = b.store_id AND t.metric_id = b.metric_id AND t.month = b.period
);
