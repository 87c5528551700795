// Requests and answers of sign-in: /api/auth/login, /api/auth/logout, /api/me.
import { z } from 'zod';
import { metricDomain, metricsResponse, orgResponse, versionResponse } from './metrics.ts';
import { ROLES } from './vocabulary.ts';

export const loginBody = z
  .object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) })
  .strict();

/** A signed-in user: role, org nodes (their descendants come with them) and metric domains. */
export const user = z.strictObject({
  username: z.string(),
  role: z.enum(ROLES),
  nodes: z.array(z.string()),
  domains: z.array(metricDomain),
  /** Role staff: the person (staff_id) whose own figures are all the user reads. */
  staff_id: z.string().optional(),
  /** What tasks and the board call them (a staff user: their name in staff.csv). */
  display_name: z.string().optional(),
  /** A wall screen's kiosk token, not a person: read-only, and only for what the wall shows. */
  kiosk: z.boolean().optional(),
});

/** What every page needs before its own data: given with the sign-in so no round trip waits for it. */
export const appContext = z.strictObject({
  version: versionResponse,
  metrics: metricsResponse,
  org: orgResponse,
});

export const loginResponse = z.strictObject({
  token: z.string(),
  /** Seconds. */
  expires_in: z.int(),
  user,
  /** The answers of GET /version, /metrics and /org for this user at sign-in. */
  context: appContext,
});

export type User = z.output<typeof user>;
export type LoginResponse = z.output<typeof loginResponse>;
export type AppContext = z.output<typeof appContext>;
