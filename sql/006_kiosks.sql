-- Kiosk tokens for wall screens: long-lived, revocable, read-only, bound to org nodes. Only a
-- hash of each token is kept; a revoked or expired row stays, as a record of who had access.
CREATE TABLE app.kiosks (
  token_hash  VARCHAR PRIMARY KEY,    -- sha256 of the token, hex
  name        VARCHAR NOT NULL,       -- unique among kiosks not revoked (checked on creation)
  nodes       VARCHAR[] NOT NULL,     -- org nodes shown; their descendants come with them
  created_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
  expires_at  TIMESTAMP NOT NULL,
  revoked_at  TIMESTAMP
);
