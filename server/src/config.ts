// Every environment variable the server and the CLIs read, validated once at start: a bad value
// stops the process with one line naming the variable and what it must be (README: Quick start).
import { existsSync } from 'node:fs';
import { z } from 'zod';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** An origin as a browser sends it: scheme, host and port, nothing after (a trailing / is dropped). */
const origin = z
  .string()
  .transform((o) => o.replace(/\/$/, ''))
  .pipe(z.string().regex(/^https?:\/\/[^/?#\s]+$/));
/** Express `trust proxy`: a hop count, true/false, or addresses, subnets and their names. */
const proxyAddresses = /^(loopback|linklocal|uniquelocal|[0-9a-f.:]+(\/\d{1,3})?)$/i;

const variables = z.object({
  NODE_ENV: z.string().default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DB_PATH: z.string().default('data/warehouse.duckdb'),
  AUTH_SECRET: z.string().min(16).optional(),
  TOKEN_TTL_HOURS: z.coerce.number().positive().default(12),
  CORS_ORIGINS: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(z.array(origin))
    .default([]),
  TRUST_PROXY: z
    .string()
    .refine(
      (s) => /^(\d+|true|false)$/.test(s) || s.split(',').every((part) => proxyAddresses.test(part.trim())),
    )
    .transform((s) => (/^\d+$/.test(s) ? Number(s) : s === 'true' ? true : s === 'false' ? false : s))
    .optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  CACHE_MAX_MB: z.coerce.number().positive().default(64),
  PARTS_LEAD_DAYS: z
    .string()
    .regex(/^\s*[^=,\s]+\s*=\s*\d{1,3}\s*(,\s*[^=,\s]+\s*=\s*\d{1,3}\s*)*$/)
    .transform((s) =>
      Object.fromEntries(
        s.split(',').map((pair) => {
          const [category, days] = pair.split('=').map((x) => x.trim());
          return [category!, Number(days)];
        }),
      ),
    )
    .default({}),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s/?#]+(:\d+)?\/?(\?.*)?$/)
    .optional(),
  MAIL_FROM: z
    .string()
    .regex(/^(.+<)?[^@\s<>]+@[^@\s<>]+>?$/)
    .default('驾驶舱 <cockpit@localhost>'),
  PUBLIC_URL: origin.optional(),
  CHROMIUM_PATH: z.string().optional(),
});

/** What each variable must be, completing "NAME must be …, not "value"". */
const MUST_BE: Record<keyof z.input<typeof variables>, string> = {
  NODE_ENV: 'a string',
  PORT: 'a port number (0–65535)',
  DB_PATH: 'a file path',
  AUTH_SECRET: 'at least 16 characters (a long random string)',
  TOKEN_TTL_HOURS: 'a positive number of hours',
  CORS_ORIGINS: 'comma-separated origins like https://bi.example.com (scheme, host and port only)',
  TRUST_PROXY:
    'a hop count, true, or comma-separated proxy addresses/subnets (loopback, 10.0.0.0/8, …) as Express `trust proxy` takes them',
  LOG_LEVEL: `one of ${LOG_LEVELS.join(', ')}`,
  CACHE_MAX_MB: 'a positive number of megabytes',
  PARTS_LEAD_DAYS: 'comma-separated part categories with their lead time in days, like oil=7,body=30',
  SMTP_URL: 'an SMTP URL like smtps://user:password@mail.example.com:465',
  MAIL_FROM: 'an e-mail address, optionally with a name: 驾驶舱 <cockpit@example.com>',
  PUBLIC_URL: "the dashboard's address as its users open it, like https://bi.example.com",
  CHROMIUM_PATH: 'the path of a Chromium executable',
};

/** Debian's headless Chromium (package chromium-headless-shell) where installed, else its full browser. */
const defaultChromium = () =>
  existsSync('/usr/bin/chromium-headless-shell') ? '/usr/bin/chromium-headless-shell' : '/usr/bin/chromium';

/** Variables whose value is never echoed, not even a wrong one (an SMTP URL carries its password). */
const SECRET: readonly string[] = ['AUTH_SECRET', 'SMTP_URL'];

export interface Config {
  production: boolean;
  port: number;
  dbPath: string;
  /** Unset: one is generated once and kept in the database. */
  authSecret: string | undefined;
  tokenTtlHours: number;
  corsOrigins: string[];
  trustProxy: number | boolean | string | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
  cacheMaxBytes: number;
  /** Lead time in days by part category, over the defaults (forecast/replenishment.ts). */
  partsLeadDays: Record<string, number>;
  /** Where report e-mails leave (unset: e-mail deliveries fail, saying so). */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** The dashboard's address in messages' links (unset: http://localhost:PORT). */
  publicUrl: string;
  /** The Chromium that prints reports to PDF (default: Debian's chromium-headless-shell, else chromium). */
  chromiumPath: string;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Reads the configuration from an environment; an empty variable counts as unset. */
export function readConfig(env: Record<string, string | undefined>): Config {
  const given = Object.fromEntries(
    Object.keys(MUST_BE)
      .filter((name) => env[name] !== undefined && env[name] !== '')
      .map((name) => [name, env[name]]),
  );
  // Tests stay quiet unless asked (vitest sets VITEST); a process they start inherits it.
  if (env.VITEST && !given.LOG_LEVEL) given.LOG_LEVEL = 'silent';
  const parsed = variables.safeParse(given);
  if (!parsed.success) {
    const bad = [...new Set(parsed.error.issues.map((i) => String(i.path[0])))] as (keyof typeof MUST_BE)[];
    throw new ConfigError(
      bad
        .map((name) => {
          const value = String(given[name]);
          const shown = SECRET.includes(name) ? `${value.length} characters` : JSON.stringify(value);
          return `${name} must be ${MUST_BE[name]}, not ${shown}`;
        })
        .join('\n'),
    );
  }
  const v = parsed.data;
  return {
    production: v.NODE_ENV === 'production',
    port: v.PORT,
    dbPath: v.DB_PATH,
    authSecret: v.AUTH_SECRET,
    tokenTtlHours: v.TOKEN_TTL_HOURS,
    corsOrigins: v.CORS_ORIGINS,
    trustProxy: v.TRUST_PROXY,
    logLevel: v.LOG_LEVEL,
    cacheMaxBytes: Math.round(v.CACHE_MAX_MB * 1024 * 1024),
    partsLeadDays: v.PARTS_LEAD_DAYS,
    smtpUrl: v.SMTP_URL,
    mailFrom: v.MAIL_FROM,
    publicUrl: v.PUBLIC_URL ?? `http://localhost:${v.PORT}`,
    chromiumPath: v.CHROMIUM_PATH ?? defaultChromium(),
  };
}

function configOrExit(): Config {
  try {
    return readConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}

/** This process's configuration. */
export const config: Config = configOrExit();
