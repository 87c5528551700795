-- Subscriptions to the tracking reports (报告订阅; app state, audited): which report (kind, node),
-- to whom, through which channels, when (a 5-field cron in a time zone) and in which language
-- (server/src/subscriptions/). Recipients and channels are JSON documents (contract/subscriptions.ts):
--   recipients: [{"user": USERNAME} | {"role": ROLE, "node": NODE_ID}]  (a role: every user of that
--               role whose nodes all lie at or under NODE_ID, expanded when a report is sent)
--   channels:   [{"type": "email"} | {"type": "wecom", "webhook": URL}
--                | {"type": "dingtalk", "webhook": URL, "secret"?: STRING}]  (each type at most once)
-- The webhook URLs and secrets are kept here in clear, because the scheduler posts with them; the
-- API never answers them, and the audit trail (app.subscription_events) holds them masked.
CREATE SEQUENCE app.subscription_ids;
CREATE TABLE app.subscriptions (
  subscription_id INTEGER PRIMARY KEY DEFAULT nextval('app.subscription_ids'),
  kind            VARCHAR NOT NULL,     -- monthly | weekly | daily | risk (REPORT_KINDS)
  node_id         VARCHAR NOT NULL,     -- the node the report is of
  recipients      VARCHAR NOT NULL,     -- JSON, see above
  channels        VARCHAR NOT NULL,     -- JSON, see above
  schedule        VARCHAR NOT NULL,     -- 5-field cron, read in time_zone (croner)
  time_zone       VARCHAR NOT NULL DEFAULT 'Asia/Shanghai',  -- IANA
  language        VARCHAR NOT NULL DEFAULT 'zh',             -- zh | en
  enabled         BOOLEAN NOT NULL DEFAULT true,
  owner           VARCHAR NOT NULL,     -- the username of its creator
  created_at      TIMESTAMP NOT NULL,
  updated_at      TIMESTAMP NOT NULL,
  revision        INTEGER NOT NULL DEFAULT 1  -- bumped by every change: a stale PATCH answers 409
);

-- Every change of a subscription: who, when, what. detail is JSON: create and delete the whole
-- subscription, update each changed field {from, to}; channels always masked as
-- {type, webhook_host, has_secret, fingerprint} (fingerprint: the first 8 hex digits of the
-- SHA-256 of the webhook and secret, so a changed webhook shows without being written).
CREATE SEQUENCE app.subscription_event_ids;
CREATE TABLE app.subscription_events (
  event_id        INTEGER PRIMARY KEY DEFAULT nextval('app.subscription_event_ids'),
  subscription_id INTEGER NOT NULL,
  actor           VARCHAR NOT NULL,
  happened_at     TIMESTAMP NOT NULL,
  action          VARCHAR NOT NULL,     -- create | update | delete
  detail          VARCHAR NOT NULL      -- JSON, never a webhook URL or secret in clear
);

-- A run of a subscription: one per scheduled time (or per manual request). The scheduler records
-- the run and all its deliveries (pending) in one transaction before it sends anything; the
-- unique (subscription_id, scheduled_for) makes a second process, or a restart that sees the same
-- tick, fail to record it twice. At start, runs still pending or running are resumed: their
-- deliveries not yet sent, failed with attempts left, are tried again; a delivery marked sent is
-- never sent again. Runs and deliveries outlive a deleted subscription (its history).
CREATE SEQUENCE app.report_run_ids;
CREATE TABLE app.report_runs (
  run_id          INTEGER PRIMARY KEY DEFAULT nextval('app.report_run_ids'),
  subscription_id INTEGER NOT NULL,
  scheduled_for   TIMESTAMP NOT NULL,   -- the cron's time (UTC); a manual run: when it was asked for
  started_at      TIMESTAMP,
  finished_at     TIMESTAMP,
  status          VARCHAR NOT NULL DEFAULT 'pending',  -- pending | running | done | failed
  trigger         VARCHAR NOT NULL DEFAULT 'schedule', -- schedule | manual
  requested_by    VARCHAR,              -- manual: who asked
  error           VARCHAR,              -- failed: why (the report could not be rendered, …)
  UNIQUE (subscription_id, scheduled_for)
);

-- One message of a run: a recipient through one channel type. attempts is counted up, and
-- committed, before each try, so after a crash a pending delivery with attempts > 0 may have
-- gone out: the scheduler decides whether that channel is retried. node_id is the node whose
-- report was rendered for the recipient (their own scope's), reason why a delivery was skipped
-- (the node outside the recipient's scope, no e-mail address, the user removed, …).
CREATE SEQUENCE app.delivery_ids;
CREATE TABLE app.deliveries (
  delivery_id     INTEGER PRIMARY KEY DEFAULT nextval('app.delivery_ids'),
  run_id          INTEGER NOT NULL,
  recipient       VARCHAR NOT NULL,     -- username
  channel         VARCHAR NOT NULL,     -- email | wecom | dingtalk
  status          VARCHAR NOT NULL DEFAULT 'pending',  -- pending | sent | failed | skipped
  attempts        INTEGER NOT NULL DEFAULT 0,
  attempted_at    TIMESTAMP,            -- the last try (for backing off)
  last_error      VARCHAR,
  reason          VARCHAR,              -- skipped: why
  node_id         VARCHAR,              -- the node actually rendered
  sent_at         TIMESTAMP,
  UNIQUE (run_id, recipient, channel)
);
