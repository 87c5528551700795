-- Risk rules, the alerts they raise and the PDCA tasks that follow them, with the tasks' audit
-- trail: app state, in the app schema next to the users.
CREATE SEQUENCE app.risk_rule_ids START 1;
CREATE SEQUENCE app.alert_ids START 1;
CREATE SEQUENCE app.task_ids START 1;
CREATE SEQUENCE app.task_event_ids START 1;

CREATE TABLE app.risk_rules (
  rule_id          INTEGER PRIMARY KEY DEFAULT nextval('app.risk_rule_ids'),
  metric_id        VARCHAR NOT NULL,
  comparison       VARCHAR NOT NULL,   -- value | attainment | yoy_change | peer_deviation
  op               VARCHAR NOT NULL,   -- > | <  (a breach is compared op level)
  warning          DOUBLE NOT NULL,
  critical         DOUBLE,
  warning_periods  INTEGER NOT NULL,   -- consecutive months in breach before the level is reached
  critical_periods INTEGER NOT NULL,
  levels           VARCHAR[] NOT NULL, -- org levels the rule applies to
  enabled          BOOLEAN NOT NULL,
  source           VARCHAR NOT NULL,   -- industry | suggested | custom
  note             VARCHAR,
  updated_by       VARCHAR NOT NULL,
  updated_at       TIMESTAMP NOT NULL
);

CREATE TABLE app.alerts (
  alert_id    INTEGER PRIMARY KEY DEFAULT nextval('app.alert_ids'),
  rule_id     INTEGER NOT NULL,
  node_id     VARCHAR NOT NULL,
  metric_id   VARCHAR NOT NULL,        -- the rule's, kept so scope filters need no join
  status      VARCHAR NOT NULL,        -- open | closed (its task closed)
  level       VARCHAR NOT NULL,        -- warning | critical: the worst seen while open
  period      VARCHAR NOT NULL,        -- YYYY-MM of the first breach
  last_period VARCHAR NOT NULL,        -- YYYY-MM of the latest evaluation that saw it
  value       DOUBLE,                  -- the metric at last_period
  threshold   DOUBLE,                  -- the level it crossed, in the metric's unit
  score       DOUBLE,                  -- what the rule compares: value, attainment, change or deviations
  within      BOOLEAN NOT NULL,        -- the latest evaluation found it back within threshold
  first_seen  TIMESTAMP NOT NULL,
  last_seen   TIMESTAMP NOT NULL,
  closed_at   TIMESTAMP
);

CREATE TABLE app.tasks (
  task_id      INTEGER PRIMARY KEY DEFAULT nextval('app.task_ids'),
  alert_id     INTEGER NOT NULL,
  node_id      VARCHAR NOT NULL,
  metric_id    VARCHAR NOT NULL,
  status       VARCHAR NOT NULL,       -- plan | do | check | act | closed
  assignee     VARCHAR NOT NULL,       -- the node owner's username (org.csv), or above it once escalated
  due_at       TIMESTAMP NOT NULL,
  escalations  INTEGER NOT NULL,
  root_cause   VARCHAR,
  action_plan  VARCHAR,
  conclusion   VARCHAR,
  standardised VARCHAR,
  created_at   TIMESTAMP NOT NULL,
  updated_at   TIMESTAMP NOT NULL
);

-- Everything that happens to a task: created, transitions, actions, comments, escalations, checks.
CREATE TABLE app.task_events (
  event_id    INTEGER PRIMARY KEY DEFAULT nextval('app.task_event_ids'),
  task_id     INTEGER NOT NULL,
  happened_at TIMESTAMP NOT NULL,
  actor       VARCHAR NOT NULL,        -- a username, or 'system' for evaluation and escalation
  kind        VARCHAR NOT NULL,        -- created | transition | action | comment | escalation | check
  from_status VARCHAR,
  to_status   VARCHAR,
  note        VARCHAR
);
