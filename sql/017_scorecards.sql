-- Scorecard definitions (绩效考核方案) as data: per role, a JSON document of metrics, weights,
-- scoring and adjustments (contract/scorecards.ts). Every change is a new version; the latest
-- is in force, the earlier ones are the audit trail.
CREATE TABLE app.scorecard_definitions (
  role       VARCHAR NOT NULL,
  version    INTEGER NOT NULL,
  definition VARCHAR NOT NULL,      -- JSON
  set_by     VARCHAR NOT NULL,
  set_at     TIMESTAMP NOT NULL,
  PRIMARY KEY (role, version)
);
