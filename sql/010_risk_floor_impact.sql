-- Relative rules get a floor under which they do not fire (a DSO of 0.2 days that rose 118% is
-- not a risk), and each alert the money at stake where it can be estimated, so the risk centre can
-- put the largest exposures first.
ALTER TABLE app.risk_rules ADD COLUMN floor DOUBLE;   -- yoy_change: last year's value; attainment: the target; peer_deviation: the node's own value
ALTER TABLE app.alerts ADD COLUMN impact_yuan DOUBLE; -- money at stake at last_period (risk/impact.ts); NULL where it cannot be estimated

-- Rules seeded before floors existed get the seeds' floors (risk/rules.ts seedRules).
UPDATE app.risk_rules SET floor = 10 WHERE source <> 'custom' AND metric_id = 'dso' AND comparison = 'yoy_change';
UPDATE app.risk_rules SET floor = 0.1 WHERE source <> 'custom' AND metric_id = 'aged_stock_share_90' AND comparison = 'peer_deviation';
UPDATE app.risk_rules SET floor = 10 WHERE source <> 'custom' AND metric_id = 'new_units' AND comparison = 'attainment';
