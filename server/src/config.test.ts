// The environment variables: defaults, and for each bad value one line naming the variable and
// what it must be; the server and the CLIs stop at once on it.
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config.ts';
import { runScript } from './test/process.ts';

const refusal = (env: Record<string, string>) => {
  try {
    readConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
};

describe('configuration', () => {
  it('has a default for every variable; an empty variable counts as unset', () => {
    expect(readConfig({ PORT: '', DB_PATH: '' })).toEqual({
      production: false,
      port: 3000,
      dbPath: 'data/warehouse.duckdb',
      authSecret: undefined,
      tokenTtlHours: 12,
      corsOrigins: [],
      trustProxy: undefined,
      logLevel: 'info',
      cacheMaxBytes: 64 * 1024 * 1024,
      partsLeadDays: {},
      smtpUrl: undefined,
      mailFrom: '驾驶舱 <cockpit@localhost>',
      publicUrl: 'http://localhost:3000',
      chromiumPath: expect.stringMatching(/^\/usr\/bin\/chromium(-headless-shell)?$/),
    });
    expect(readConfig({ VITEST: 'true' }).logLevel).toBe('silent');
    expect(readConfig({ VITEST: 'true', LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
  });

  it('reads every variable', () => {
    expect(
      readConfig({
        NODE_ENV: 'production',
        PORT: '8080',
        DB_PATH: '/srv/cockpit/w.duckdb',
        AUTH_SECRET: 'x'.repeat(40),
        TOKEN_TTL_HOURS: '0.5',
        CORS_ORIGINS: 'https://bi.example.com, https://ops.example.com:8443/',
        TRUST_PROXY: 'loopback, 10.0.0.0/8',
        LOG_LEVEL: 'warn',
        CACHE_MAX_MB: '1.5',
        PARTS_LEAD_DAYS: 'oil=5, body = 45',
        SMTP_URL: 'smtps://cockpit:pw@mail.example.com:465',
        MAIL_FROM: 'cockpit@example.com',
        PUBLIC_URL: 'https://bi.example.com',
        CHROMIUM_PATH: '/opt/chromium/chrome',
      }),
    ).toEqual({
      production: true,
      port: 8080,
      dbPath: '/srv/cockpit/w.duckdb',
      authSecret: 'x'.repeat(40),
      tokenTtlHours: 0.5,
      corsOrigins: ['https://bi.example.com', 'https://ops.example.com:8443'],
      trustProxy: 'loopback, 10.0.0.0/8',
      logLevel: 'warn',
      cacheMaxBytes: 1_572_864,
      partsLeadDays: { oil: 5, body: 45 },
      smtpUrl: 'smtps://cockpit:pw@mail.example.com:465',
      mailFrom: 'cockpit@example.com',
      publicUrl: 'https://bi.example.com',
      chromiumPath: '/opt/chromium/chrome',
    });
    expect(readConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(readConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
  });

  it('names the bad variable, what it must be and the value given', () => {
    expect(refusal({ TOKEN_TTL_HOURS: 'abc' })).toBe(
      'TOKEN_TTL_HOURS must be a positive number of hours, not "abc"',
    );
    expect(refusal({ TOKEN_TTL_HOURS: '-1' })).toBe(
      'TOKEN_TTL_HOURS must be a positive number of hours, not "-1"',
    );
    expect(refusal({ PORT: '80a' })).toBe('PORT must be a port number (0–65535), not "80a"');
    expect(refusal({ PORT: '70000' })).toBe('PORT must be a port number (0–65535), not "70000"');
    expect(refusal({ LOG_LEVEL: 'verbose' })).toBe(
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, not "verbose"',
    );
    expect(refusal({ PARTS_LEAD_DAYS: 'oil=7,body' })).toBe(
      'PARTS_LEAD_DAYS must be comma-separated part categories with their lead time in days, like oil=7,body=30, not "oil=7,body"',
    );
    expect(refusal({ CACHE_MAX_MB: '0' })).toBe(
      'CACHE_MAX_MB must be a positive number of megabytes, not "0"',
    );
    expect(refusal({ CORS_ORIGINS: 'https://ok.example,bi.example.com' })).toMatch(
      /^CORS_ORIGINS must be comma-separated origins like .*, not "https:\/\/ok.example,bi.example.com"$/,
    );
    expect(refusal({ TRUST_PROXY: 'yes' })).toMatch(/^TRUST_PROXY must be a hop count, .*, not "yes"$/);
    // Two bad variables: one line each.
    expect(refusal({ PORT: 'x', TOKEN_TTL_HOURS: 'y' }).split('\n')).toEqual([
      'PORT must be a port number (0–65535), not "x"',
      'TOKEN_TTL_HOURS must be a positive number of hours, not "y"',
    ]);
  });

  it('never echoes a secret, not even a wrong one', () => {
    const message = refusal({ AUTH_SECRET: 'hunter2' });
    expect(message).toBe(
      'AUTH_SECRET must be at least 16 characters (a long random string), not 7 characters',
    );
    expect(message).not.toContain('hunter2');
    // An SMTP URL carries its password.
    const smtp = refusal({ SMTP_URL: 'http://mailer:hunter2@mail.example.com' });
    expect(smtp).toBe(
      'SMTP_URL must be an SMTP URL like smtps://user:password@mail.example.com:465, not 38 characters',
    );
  });

  it('links messages to the port the server listens on unless PUBLIC_URL says otherwise', () => {
    expect(readConfig({ PORT: '3100' }).publicUrl).toBe('http://localhost:3100');
    expect(readConfig({ PUBLIC_URL: 'https://bi.example.com/' }).publicUrl).toBe('https://bi.example.com');
  });

  it('stops the server and the CLIs at start with that one line and exit code 1', async () => {
    const env = { TOKEN_TTL_HOURS: 'abc', DB_PATH: '/nonexistent/never-opened.duckdb' };
    const runs = {
      'server/src/main.ts': runScript('server/src/main.ts', [], { env }).exited,
      'etl/cli.ts': runScript('etl/cli.ts', ['--source', '/nonexistent'], { env }).exited,
    };
    for (const [script, exited] of Object.entries(runs)) {
      const run = await exited;
      expect(run.code, script).toBe(1);
      expect(run.err, script).toBe('TOKEN_TTL_HOURS must be a positive number of hours, not "abc"\n');
      expect(run.out, script).toBe('');
    }
  }, 60_000);
});
