-- App state (users now; risk rules, alerts, tasks and their audit trail later), kept apart from
-- the warehouse tables in its own schema so it can move to a shared transactional database.
CREATE SCHEMA app;

CREATE TABLE app.settings (
  key   VARCHAR PRIMARY KEY,
  value VARCHAR NOT NULL
);

CREATE TABLE app.users (
  username      VARCHAR PRIMARY KEY,
  password_hash VARCHAR NOT NULL,      -- scrypt$N$r$p$salt$hash (base64)
  role          VARCHAR NOT NULL,      -- group | division | region | store | finance | special
  nodes         VARCHAR[] NOT NULL,    -- org nodes granted; their descendants come with them
  domains       VARCHAR[] NOT NULL,    -- metric domains the user may see
  created_at    TIMESTAMP NOT NULL DEFAULT current_timestamp
);
