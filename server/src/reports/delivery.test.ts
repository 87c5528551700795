// The report scheduler's bookkeeping on fixtures/tiny, where nothing needs printing: a scheduled
// time records its run once however often it is seen; recipients who cannot get a copy are
// skipped with the reason (no e-mail address; the subscription's node and everything under it
// outside their scope); the run is done. Copies printed and sent: client/e2e/reports.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeUser } from '../auth/users.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { startTinyServer, type TestServer } from '../test/http.ts';

let warehouse: Warehouse;
let server: TestServer;
let tokens: Record<string, string>;

const sql = async (query: string, bindings: unknown[] = []) =>
  ((await warehouse.knex.raw(query, bindings as never)) as { rows: Record<string, unknown>[] }).rows;

beforeAll(async () => {
  ({ warehouse, server, tokens } = await startTinyServer([
    { username: 'chen.zong', role: 'group', nodes: ['G'] },
    // No e-mail address.
    { username: 'wang.qiang', role: 'region', nodes: ['R1'] },
    // An address, but a store outside R2.
    { username: 'zhang.wei', role: 'store', nodes: ['S1'], email: 'zhang.wei@example.com' },
    // Removed after being subscribed.
    { username: 'gone.user', role: 'region', nodes: ['R1'], email: 'gone.user@example.com' },
  ]));
});
afterAll(async () => {
  await server.close();
  await warehouse.close();
});

describe('scheduled runs', () => {
  it('records a scheduled time once, however often it is seen, and skips who cannot get a copy, saying why', async () => {
    const made = await server.send('POST', '/api/subscriptions', tokens['chen.zong'], {
      kind: 'weekly',
      node: 'R2',
      recipients: [{ user: 'wang.qiang' }, { user: 'zhang.wei' }],
      channels: [{ type: 'email' }],
      schedule: '0 8 * * 1',
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const { delivery } = server.app;
    // Monday 3 March 2025, 08:00 in Shanghai; seen again a few seconds later (a restart, a second process).
    const at = new Date('2025-03-03T00:00:00Z');
    const first = await delivery.tick(made.body.id, at);
    const again = await delivery.tick(made.body.id, new Date('2025-03-03T00:00:05Z'));
    expect(first).not.toBeNull();
    expect(again).toBeNull();
    await delivery.idle();
    const runs = await sql(`SELECT run_id, status, trigger FROM app.report_runs WHERE subscription_id = ?`, [
      made.body.id,
    ]);
    expect(runs).toEqual([{ run_id: first, status: 'done', trigger: 'schedule' }]);
    const deliveries = await sql(
      `SELECT recipient, channel, status, reason FROM app.deliveries WHERE run_id = ? ORDER BY recipient`,
      [first],
    );
    expect(deliveries).toEqual([
      {
        recipient: 'wang.qiang',
        channel: 'email',
        status: 'skipped',
        reason: 'wang.qiang has no e-mail address',
      },
      {
        recipient: 'zhang.wei',
        channel: 'email',
        status: 'skipped',
        reason: "R2 and everything under it lie outside zhang.wei's scope",
      },
    ]);
    // The subscription's deliveries say the same, in its time zone.
    const listed = await server.get(`/api/subscriptions/${made.body.id}/deliveries`, tokens['chen.zong']);
    expect(listed.body.runs[0].scheduled_for).toBe('2025-03-03T08:00:00+08:00');
  });

  it('records a user named but removed since as skipped, saying so', async () => {
    const made = await server.send('POST', '/api/subscriptions', tokens['chen.zong'], {
      kind: 'risk',
      node: 'R1',
      recipients: [{ user: 'gone.user' }],
      channels: [{ type: 'email' }],
      schedule: '0 9 * * 1',
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(await removeUser(warehouse.knex, 'gone.user')).toBe(true);
    const run = await server.app.delivery.tick(made.body.id, new Date('2025-03-03T01:00:00Z'));
    await server.app.delivery.idle();
    expect(await sql(`SELECT recipient, status, reason FROM app.deliveries WHERE run_id = ?`, [run])).toEqual(
      [{ recipient: 'gone.user', status: 'skipped', reason: 'gone.user is no longer a user' }],
    );
  });
});
