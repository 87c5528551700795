import { describe, expect, it } from 'vitest';
import { issueToken, verifyToken } from './tokens.ts';

const SECRET = 'test-secret';

describe('tokens', () => {
  it('carry the user and expire', () => {
    const now = Date.UTC(2026, 0, 1);
    const token = issueToken('li.hua', SECRET, 3600, now);
    expect(verifyToken(token, SECRET, now + 3599_000)).toEqual({
      sub: 'li.hua',
      jti: expect.stringMatching(/^[\w-]{22}$/),
      iat: now / 1000,
      exp: now / 1000 + 3600,
    });
    // Each token has its own id, so one can be revoked without the others.
    expect(verifyToken(issueToken('li.hua', SECRET, 3600, now), SECRET, now)!.jti).not.toBe(
      verifyToken(token, SECRET, now)!.jti,
    );
    expect(verifyToken(token, SECRET, now + 3600_000)).toBeNull();
  });

  it('are refused when signed with another key, altered, or unsigned', () => {
    const token = issueToken('li.hua', SECRET, 3600);
    expect(verifyToken(token, 'other-secret')).toBeNull();
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const altered = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'chen.zong' }),
    ).toString('base64url');
    expect(verifyToken(`${header}.${altered}.${signature}`, SECRET)).toBeNull();
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    expect(verifyToken(`${none}.${payload}.`, SECRET)).toBeNull();
    expect(verifyToken(`${none}.${payload}.${signature}`, SECRET)).toBeNull();
    expect(verifyToken('garbage', SECRET)).toBeNull();
  });
});
