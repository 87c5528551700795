// Signed, expiring bearer tokens: a compact JWT (HS256) made and checked with node:crypto.
// Only HS256 is accepted: a token that names another algorithm ("none" included) is invalid.
// Each token has an id (jti), so logging out can revoke that one token.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface TokenClaims {
  sub: string;
  jti: string;
  iat: number;
  exp: number;
}

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

const sign = (data: string, secret: string) => createHmac('sha256', secret).update(data).digest('base64url');

export function issueToken(username: string, secret: string, ttlSeconds: number, now = Date.now()): string {
  const iat = Math.floor(now / 1000);
  const payload = Buffer.from(
    JSON.stringify({ sub: username, jti: randomBytes(16).toString('base64url'), iat, exp: iat + ttlSeconds }),
  ).toString('base64url');
  return `${HEADER}.${payload}.${sign(`${HEADER}.${payload}`, secret)}`;
}

/** The claims of a valid, unexpired token; null for anything else. */
export function verifyToken(token: string, secret: string, now = Date.now()): TokenClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [header, payload, signature] = parts as [string, string, string];
  try {
    const h = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    if (h?.alg !== 'HS256') return null;
    const expected = Buffer.from(sign(`${header}.${payload}`, secret));
    const actual = Buffer.from(signature);
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (
      typeof claims?.sub !== 'string' ||
      typeof claims.jti !== 'string' ||
      typeof claims.exp !== 'number' ||
      typeof claims.iat !== 'number'
    )
      return null;
    if (claims.exp * 1000 <= now) return null;
    return { sub: claims.sub, jti: claims.jti, iat: claims.iat, exp: claims.exp };
  } catch {
    return null;
  }
}
