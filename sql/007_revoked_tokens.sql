-- Sign-in tokens revoked by logging out, until they would have expired anyway.
CREATE TABLE app.revoked_tokens (
  jti         VARCHAR PRIMARY KEY,   -- the token's id claim
  username    VARCHAR NOT NULL,
  revoked_at  TIMESTAMP NOT NULL,
  expires_at  TIMESTAMP NOT NULL
);
