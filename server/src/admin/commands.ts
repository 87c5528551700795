// What the CLIs do to the warehouse, as functions of it: run by the CLI on the file directly when no
// server holds it, and by the server when a CLI asks through the admin socket.
import type { Knex } from 'knex';
import { loadAndEvaluate, type PipelineResult } from '../../../etl/pipeline.ts';
import type { App } from '../app.ts';
import { config } from '../config.ts';
import { logger } from '../logger.ts';
import { createKiosk, listKiosks, revokeKiosk } from '../auth/kiosks.ts';
import { addUser, listUsers, removeUser, userContacts, UserError } from '../auth/users.ts';
import type { Warehouse } from '../db/warehouse.ts';

export type UsersCommand =
  | {
      command: 'add';
      username: string;
      password: string;
      role: string;
      nodes: string[];
      domains?: string[];
      staff?: string;
      name?: string;
      email?: string;
      wecom?: string;
      dingtalk?: string;
    }
  | { command: 'list' }
  | { command: 'remove'; username: string }
  | { command: 'kiosk'; name: string; nodes: string[]; days?: number }
  | { command: 'revoke'; name: string };

/** The command's output, or the reason it was refused (bad grants, unknown names…). */
export type CommandResult = { output: string } | { error: string };

export async function runUsersCommand(knex: Knex, c: UsersCommand): Promise<CommandResult> {
  try {
    return { output: await run(knex, c) };
  } catch (err) {
    if (err instanceof UserError) return { error: err.message };
    throw err;
  }
}

async function run(knex: Knex, c: UsersCommand): Promise<string> {
  switch (c.command) {
    case 'add': {
      const user = await addUser(knex, c);
      const person = user.staff_id ? `; staff ${user.staff_id}` : '';
      return `added ${user.username} (${user.role}${person}; nodes ${user.nodes.join(',')}; domains ${user.domains.join(',')})\n`;
    }
    case 'list': {
      const all = await listUsers(knex);
      const contacts = await userContacts(
        knex,
        all.map((u) => u.username),
      );
      const users = all.map((u) => {
        const c = contacts.get(u.username);
        const reach = [
          c?.email ? ` email ${c.email}` : '',
          c?.wecom_id ? ` wecom ${c.wecom_id}` : '',
          c?.dingtalk_id ? ` dingtalk ${c.dingtalk_id}` : '',
        ].join('');
        return `${u.username.padEnd(20)} ${u.role.padEnd(9)} nodes ${u.nodes.join(',').padEnd(16)} domains ${u.domains.join(',')}${u.staff_id ? ` staff ${u.staff_id}` : ''}${reach}\n`;
      });
      const kiosks = (await listKiosks(knex)).map((k) => {
        const state = k.revoked_at
          ? `revoked ${k.revoked_at.slice(0, 10)}`
          : `expires ${k.expires_at.slice(0, 10)}`;
        return `${k.name.padEnd(20)} ${'kiosk'.padEnd(9)} nodes ${k.nodes.join(',').padEnd(16)} ${state}\n`;
      });
      return users.join('') + kiosks.join('');
    }
    case 'remove':
      if (!(await removeUser(knex, c.username))) throw new UserError(`no user ${c.username}`);
      return `removed ${c.username}\n`;
    case 'kiosk': {
      const { kiosk, token } = await createKiosk(knex, c);
      return (
        `kiosk ${kiosk.name} (nodes ${kiosk.nodes.join(',')}; read-only; expires ${kiosk.expires_at.slice(0, 10)})\n` +
        `token (shown once): ${token}\n` +
        `wall screen URL:    http://localhost:${config.port}/wall?kiosk=${token}\n`
      );
    }
    case 'revoke':
      if (!(await revokeKiosk(knex, c.name))) throw new UserError(`no kiosk ${c.name} in use`);
      return `revoked kiosk ${c.name}: its token is refused from now on\n`;
    default:
      throw new UserError(`unknown command ${(c as { command: unknown }).command}`);
  }
}

/**
 * A load inside the server. Its COMMIT waits for the requests in flight and holds new ones back
 * (so no answer mixes old and new data), and the cached answers go with it: walls see the new
 * version on their next poll.
 */
export async function loadThroughServer(
  warehouse: Warehouse,
  app: App,
  source: string,
): Promise<PipelineResult> {
  const result = await loadAndEvaluate(warehouse, source, {
    aroundCommit: (commit) =>
      app.gate.exclusive(async () => {
        await commit();
        app.cache.invalidate();
      }),
  });
  app.cache.invalidate(); // again, for what the risk evaluation changed
  // The landing and parts forecasts of the new data, computed before anyone asks.
  if (result.load.status === 'loaded') {
    void app.forecasts.warm().catch(() => undefined);
    // A load that closes a month proposes the next rolling budget draft (seeded from the forecast).
    void app
      .rollForward()
      .catch((err: Error) => logger.error({ err }, `budget roll-forward failed: ${err.message}`));
  }
  return result;
}
