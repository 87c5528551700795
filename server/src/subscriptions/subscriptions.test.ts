// Report subscriptions over real HTTP on fixtures/tiny (G → D1 → R1 → S1, S2; G → D2 → R2 → S3):
// who may subscribe whom, what an answer shows (never a webhook URL or secret), the audit trail,
// the next run times, role recipients, deliveries and scope. The tests run in order, each on what
// the one before left.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../auth/users.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { startTinyServer, TEST_PASSWORD, type TestServer } from '../test/http.ts';
import { nextRuns } from './schedule.ts';

let warehouse: Warehouse;
let server: TestServer;
let tokens: Record<string, string>;

/** Every answer's text, to check no webhook or secret ever left. */
const answered: string[] = [];

const call = async (method: string, path: string, user: string, body?: unknown) => {
  const res = await fetch(server.base + path, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[user]}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  answered.push(text);
  return { status: res.status, body: text ? JSON.parse(text) : null };
};
const get = (path: string, user: string) => call('GET', path, user);
const sql = async (query: string, bindings: unknown[] = []) =>
  (await warehouse.knex.raw(query, bindings as never[])).rows as Record<string, unknown>[];

const WECOM = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=3f1c9a4e-wecom-key-7b2d';
const DINGTALK = 'https://oapi.dingtalk.com/robot/send?access_token=a9d8c7b6-ding-token-5e4f';
const SECRET = 'SECd1ngta1k-s3cret-0123456789';
const WECOM_2 = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=second-wecom-key-99';
/** What must never come back: the keys of the webhooks and the secret. */
const NEVER = ['3f1c9a4e-wecom-key-7b2d', 'a9d8c7b6-ding-token-5e4f', SECRET, 'second-wecom-key-99'];

const ROBOTS = [
  { type: 'email' },
  { type: 'wecom', webhook: WECOM },
  { type: 'dingtalk', webhook: DINGTALK, secret: SECRET },
];

beforeAll(async () => {
  ({ warehouse, server, tokens } = await startTinyServer([
    { username: 'chen.zong', role: 'group', nodes: ['G'], email: 'chen.zong@example.com' },
    { username: 'li.hua', role: 'division', nodes: ['D1'] },
    { username: 'wang.qiang', role: 'region', nodes: ['R1'], email: 'wang.qiang@example.com' },
    { username: 'liu.yang', role: 'region', nodes: ['R2'], email: 'liu.yang@example.com' },
    { username: 'zhang.wei', role: 'store', nodes: ['S1'], email: 'zhang.wei@example.com', name: '张伟' },
    { username: 'sun.li', role: 'store', nodes: ['S2'] },
    { username: 'huang.jie', role: 'store', nodes: ['S3'], email: 'huang.jie@example.com' },
    { username: 'qian.cw', role: 'finance', nodes: ['G'] },
    { username: 'te.shu', role: 'special', nodes: ['R1'], domains: ['sales'] },
    { username: 'wang.fang', role: 'staff', nodes: [], staff: 'E-101' },
  ]));
});
afterAll(async () => {
  await server.close();
  await warehouse.close();
});

let groupSub: number;
let storeSub: number;

describe('subscriptions', () => {
  it('a group user subscribes a region manager and a store manager to the weekly report of R1', async () => {
    const res = await call('POST', '/api/subscriptions', 'chen.zong', {
      kind: 'weekly',
      node: 'R1',
      recipients: [{ user: 'wang.qiang' }, { user: 'zhang.wei' }],
      channels: ROBOTS,
      schedule: '0 8 * * 1',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    groupSub = res.body.id;
    expect(res.body).toMatchObject({
      kind: 'weekly',
      node: { id: 'R1', name: '华东区', level: 'region' },
      recipients: [{ user: 'wang.qiang' }, { user: 'zhang.wei' }],
      schedule: '0 8 * * 1',
      time_zone: 'Asia/Shanghai',
      language: 'zh',
      enabled: true,
      owner: 'chen.zong',
      revision: 1,
      editable: true,
    });
    expect(res.body.channels).toEqual([
      { type: 'email', webhook_host: null, has_secret: false },
      { type: 'wecom', webhook_host: 'qyapi.weixin.qq.com', has_secret: false },
      { type: 'dingtalk', webhook_host: 'oapi.dingtalk.com', has_secret: true },
    ]);
    // Both have an e-mail address; the store manager's scope does not hold R1.
    expect(res.body.recipients_resolved).toEqual([
      {
        username: 'wang.qiang',
        name: 'wang.qiang',
        role: 'region',
        channels: ['email', 'wecom', 'dingtalk'],
        node_in_scope: true,
      },
      {
        username: 'zhang.wei',
        name: '张伟',
        role: 'store',
        channels: ['email', 'wecom', 'dingtalk'],
        node_in_scope: false,
      },
    ]);
  });

  it('next_runs: the next three Mondays at 08:00 in Shanghai', async () => {
    const before = Date.now();
    const { body } = await get(`/api/subscriptions/${groupSub}`, 'chen.zong');
    const runs = body.next_runs as string[];
    expect(runs).toHaveLength(3);
    for (const run of runs) {
      expect(run).toMatch(/^\d{4}-\d{2}-\d{2}T08:00:00\+08:00$/);
      // A Monday in Shanghai: the date part read as a calendar day.
      expect(new Date(`${run.slice(0, 10)}T00:00:00Z`).getUTCDay()).toBe(1);
    }
    const at = runs.map((r) => Date.parse(r));
    expect(at[1]! - at[0]!).toBe(7 * 86_400_000);
    expect(at[2]! - at[1]!).toBe(7 * 86_400_000);
    expect(at[0]!).toBeGreaterThan(before);
    expect(at[0]! - before).toBeLessThanOrEqual(7 * 86_400_000);
  });

  it('next_runs from a fixed moment, worked out by hand', () => {
    // Wednesday 5 March 2025, 20:00 in Shanghai: the Mondays after are 10, 17 and 24 March.
    expect(nextRuns('0 8 * * 1', 'Asia/Shanghai', 3, new Date('2025-03-05T12:00:00Z'))).toEqual([
      '2025-03-10T08:00:00+08:00',
      '2025-03-17T08:00:00+08:00',
      '2025-03-24T08:00:00+08:00',
    ]);
    // At a run time exactly, the next one is a week on.
    expect(nextRuns('0 8 * * 1', 'Asia/Shanghai', 1, new Date('2025-03-10T00:00:00Z'))).toEqual([
      '2025-03-17T08:00:00+08:00',
    ]);
    // A minute before it, it is still to come (Monday 07:59 in Shanghai is Sunday 23:59 UTC).
    expect(nextRuns('0 8 * * 1', 'Asia/Shanghai', 1, new Date('2025-03-09T23:59:00Z'))).toEqual([
      '2025-03-10T08:00:00+08:00',
    ]);
    // Across New York's change to summer time (9 March 2025) the clock stays at 08:00, the offset moves.
    expect(nextRuns('0 8 * * *', 'America/New_York', 3, new Date('2025-03-08T00:00:00Z'))).toEqual([
      '2025-03-08T08:00:00-05:00',
      '2025-03-09T08:00:00-04:00',
      '2025-03-10T08:00:00-04:00',
    ]);
  });

  it('recipients read it, read-only and seeing only themselves; someone else at another region does not', async () => {
    const mine = await get('/api/subscriptions', 'wang.qiang');
    expect(mine.status).toBe(200);
    expect(mine.body.subscriptions.map((s: any) => s.id)).toEqual([groupSub]);
    const sub = mine.body.subscriptions[0];
    expect(sub.editable).toBe(false);
    expect(sub.recipients_resolved.map((u: any) => u.username)).toEqual(['wang.qiang']);
    // Nor the entries that name others.
    expect(sub.recipients).toEqual([{ user: 'wang.qiang' }]);
    // The region manager of R2 neither lists nor reads it.
    expect((await get('/api/subscriptions', 'liu.yang')).body.subscriptions).toEqual([]);
    const other = await get(`/api/subscriptions/${groupSub}`, 'liu.yang');
    expect(other.status).toBe(403);
    // A recipient changes or deletes nothing.
    expect(
      (await call('PATCH', `/api/subscriptions/${groupSub}`, 'wang.qiang', { enabled: false })).status,
    ).toBe(403);
    expect((await call('DELETE', `/api/subscriptions/${groupSub}`, 'zhang.wei')).status).toBe(403);
    expect((await get(`/api/subscriptions/${groupSub}`, 'zhang.wei')).body.editable).toBe(false);
  });

  it('the group user patches it: a robot without its webhook keeps it; a stale revision answers 409', async () => {
    const res = await call('PATCH', `/api/subscriptions/${groupSub}`, 'chen.zong', {
      schedule: '30 7 * * 1-5',
      language: 'en',
      recipients: [{ user: 'wang.qiang' }, { user: 'zhang.wei' }, { user: 'sun.li' }],
      channels: [{ type: 'wecom' }, { type: 'dingtalk', webhook: DINGTALK }],
      revision: 1,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ schedule: '30 7 * * 1-5', language: 'en', revision: 2 });
    // The dingtalk robot given anew without its secret has none now; the WeCom robot kept its webhook.
    expect(res.body.channels).toEqual([
      { type: 'wecom', webhook_host: 'qyapi.weixin.qq.com', has_secret: false },
      { type: 'dingtalk', webhook_host: 'oapi.dingtalk.com', has_secret: false },
    ]);
    const [stored] = await sql('SELECT channels FROM app.subscriptions WHERE subscription_id = ?', [
      groupSub,
    ]);
    expect(JSON.parse(String(stored!.channels))).toEqual([
      { type: 'wecom', webhook: WECOM },
      { type: 'dingtalk', webhook: DINGTALK },
    ]);
    // sun.li has no e-mail address, and e-mail is no channel any more anyway.
    expect(res.body.recipients_resolved.find((u: any) => u.username === 'sun.li').channels).toEqual([
      'wecom',
      'dingtalk',
    ]);
    for (const run of res.body.next_runs) expect(run).toMatch(/T07:30:00\+08:00$/);
    const stale = await call('PATCH', `/api/subscriptions/${groupSub}`, 'chen.zong', {
      enabled: false,
      revision: 1,
    });
    expect(stale.status).toBe(409);
    // Disabled, it has no next runs.
    const off = await call('PATCH', `/api/subscriptions/${groupSub}`, 'chen.zong', { enabled: false });
    expect(off.body).toMatchObject({ enabled: false, next_runs: [], revision: 3 });
    // A new webhook; a new secret for the robot kept.
    const swapped = await call('PATCH', `/api/subscriptions/${groupSub}`, 'chen.zong', {
      channels: [
        { type: 'wecom', webhook: WECOM_2 },
        { type: 'dingtalk', secret: SECRET },
      ],
    });
    expect(swapped.body.channels[1]).toEqual({
      type: 'dingtalk',
      webhook_host: 'oapi.dingtalk.com',
      has_secret: true,
    });
    // Nothing to change, a robot with no webhook stored, a missing id.
    expect((await call('PATCH', `/api/subscriptions/${groupSub}`, 'chen.zong', {})).status).toBe(400);
    const noHook = await call('PATCH', `/api/subscriptions/${groupSub}`, 'chen.zong', {
      channels: [{ type: 'email' }, { type: 'wecom' }, { type: 'dingtalk' }],
    });
    expect(noHook.status).toBe(200);
    const [s] = await sql('SELECT channels FROM app.subscriptions WHERE subscription_id = ?', [groupSub]);
    expect(JSON.parse(String(s!.channels))).toEqual([
      { type: 'email' },
      { type: 'wecom', webhook: WECOM_2 },
      { type: 'dingtalk', webhook: DINGTALK, secret: SECRET },
    ]);
    expect((await call('PATCH', '/api/subscriptions/999999', 'chen.zong', { enabled: true })).status).toBe(
      404,
    );
  });

  it('a store manager subscribes only themselves, to a node in their scope', async () => {
    const made = await call('POST', '/api/subscriptions', 'zhang.wei', {
      kind: 'daily',
      node: 'S1',
      recipients: [{ user: 'zhang.wei' }],
      channels: [{ type: 'email' }],
      schedule: '0 9 * * *',
      language: 'en',
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    storeSub = made.body.id;
    expect(made.body).toMatchObject({ owner: 'zhang.wei', editable: true, language: 'en' });
    expect(made.body.recipients_resolved).toEqual([
      { username: 'zhang.wei', name: '张伟', role: 'store', channels: ['email'], node_in_scope: true },
    ]);
    const base = {
      kind: 'daily',
      node: 'S1',
      channels: [{ type: 'email' }],
      schedule: '0 9 * * *',
    };
    for (const recipients of [
      [{ user: 'sun.li' }],
      [{ user: 'zhang.wei' }, { user: 'sun.li' }],
      [{ role: 'store', node: 'S1' }],
    ]) {
      const res = await call('POST', '/api/subscriptions', 'zhang.wei', { ...base, recipients });
      expect(res.status).toBe(403);
      expect(res.body.error.param).toBe('recipients');
    }
    const outside = await call('POST', '/api/subscriptions', 'zhang.wei', {
      ...base,
      node: 'R1',
      recipients: [{ user: 'zhang.wei' }],
    });
    expect(outside.status).toBe(403);
    expect(outside.body.error).toMatchObject({ code: 'node_out_of_scope', param: 'node' });
    // A region manager and finance subscribe themselves too.
    for (const [user, node] of [
      ['wang.qiang', 'R1'],
      ['qian.cw', 'D2'],
    ] as const) {
      const res = await call('POST', '/api/subscriptions', user, {
        ...base,
        kind: 'monthly',
        node,
        recipients: [{ user }],
      });
      expect(res.status).toBe(201);
    }
  });

  it("someone else's subscription: the group edits those at nodes in its scope, another manager nothing", async () => {
    expect((await get(`/api/subscriptions/${storeSub}`, 'liu.yang')).status).toBe(403);
    expect(
      (await call('PATCH', `/api/subscriptions/${storeSub}`, 'wang.qiang', { enabled: false })).status,
    ).toBe(403);
    const byGroup = await call('PATCH', `/api/subscriptions/${storeSub}`, 'chen.zong', { kind: 'weekly' });
    expect(byGroup.status).toBe(200);
    expect(byGroup.body).toMatchObject({ kind: 'weekly', owner: 'zhang.wei', editable: true });
    // The group user lists everything at nodes in its scope.
    const all = (await get('/api/subscriptions', 'chen.zong')).body.subscriptions.map((s: any) => s.node.id);
    expect(all).toEqual(['R1', 'S1', 'R1', 'D2']);
    // The region manager of R1: the group's subscription sent to them and their own, not the store's.
    const r1 = (await get('/api/subscriptions', 'wang.qiang')).body.subscriptions;
    expect(r1.map((s: any) => [s.node.id, s.owner, s.editable])).toEqual([
      ['R1', 'chen.zong', false],
      ['R1', 'wang.qiang', true],
    ]);
  });

  it('staff users and special grants subscribe nobody (403)', async () => {
    const body = {
      kind: 'risk',
      node: 'S1',
      recipients: [{ user: 'wang.fang' }],
      channels: [{ type: 'email' }],
      schedule: '0 9 * * *',
    };
    expect((await call('POST', '/api/subscriptions', 'wang.fang', body)).status).toBe(403);
    expect((await get('/api/subscriptions', 'wang.fang')).status).toBe(403);
    expect((await get(`/api/subscriptions/${groupSub}`, 'wang.fang')).status).toBe(403);
    const special = await call('POST', '/api/subscriptions', 'te.shu', {
      ...body,
      node: 'R1',
      recipients: [{ user: 'te.shu' }],
    });
    expect(special.status).toBe(403);
    // A staff user receives no reports: the group may not name one.
    const staff = await call('POST', '/api/subscriptions', 'chen.zong', body);
    expect(staff.status).toBe(400);
    expect(staff.body.error.param).toBe('recipients.0');
  });

  it('bad input answers 400 naming the parameter', async () => {
    const base = {
      kind: 'monthly',
      node: 'G',
      recipients: [{ user: 'li.hua' }],
      channels: [{ type: 'email' }],
      schedule: '0 8 1 * *',
    };
    const refused = async (body: object, param: string, code?: string) => {
      const res = await call('POST', '/api/subscriptions', 'chen.zong', { ...base, ...body });
      expect(res.status, `${JSON.stringify(body)}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error.param, JSON.stringify(body)).toBe(param);
      if (code) expect(res.body.error.code).toBe(code);
    };
    await refused({ schedule: 'every monday' }, 'schedule');
    await refused({ schedule: '0 8 * * 8' }, 'schedule');
    await refused({ schedule: '61 8 * * 1' }, 'schedule');
    await refused({ schedule: '0 0 8 * * 1' }, 'schedule'); // six fields: seconds are not ours
    await refused({ schedule: '0 0 30 2 *' }, 'schedule'); // 30 February: never runs
    await refused({ schedule: '* * * * *' }, 'schedule'); // more often than hourly
    await refused({ schedule: '0,30 8 * * *' }, 'schedule');
    await refused({ time_zone: 'Mars/Olympus_Mons' }, 'time_zone');
    await refused({ time_zone: '+08:00' }, 'time_zone');
    await refused(
      { recipients: [{ user: 'li.hua' }, { user: 'no.such.user' }] },
      'recipients.1',
      'unknown_user',
    );
    await refused({ recipients: [{ user: 'li.hua' }, { user: 'li.hua' }] }, 'recipients.1');
    await refused({ recipients: [{ role: 'store', node: 'X9' }] }, 'recipients.0.node', 'unknown_node');
    await refused({ recipients: [{ role: 'staff', node: 'S1' }] }, 'recipients');
    await refused({ recipients: [] }, 'recipients');
    await refused({ kind: 'yearly' }, 'kind');
    await refused({ node: 'X9' }, 'node', 'unknown_node');
    await refused({ language: 'fr' }, 'language');
    await refused({ channels: [] }, 'channels');
    await refused({ channels: [{ type: 'sms' }] }, 'channels');
    await refused({ channels: [{ type: 'email' }, { type: 'email' }] }, 'channels');
    await refused({ channels: [{ type: 'wecom', webhook: 'http://qyapi.weixin.qq.com/x' }] }, 'channels');
    await refused({ channels: [{ type: 'wecom', webhook: 'not a url' }] }, 'channels');
    await refused({ channels: [{ type: 'wecom' }] }, 'channels');
    await refused({ owner: 'li.hua' }, 'owner');
    // http to this machine is allowed (a test's robot); the zone's name is made canonical.
    const local = await call('POST', '/api/subscriptions', 'chen.zong', {
      ...base,
      channels: [{ type: 'wecom', webhook: 'http://127.0.0.1:9/hook?key=local-key' }],
      time_zone: 'europe/berlin',
    });
    expect(local.status, JSON.stringify(local.body)).toBe(201);
    expect(local.body.time_zone).toBe('Europe/Berlin');
    expect(local.body.channels).toEqual([{ type: 'wecom', webhook_host: '127.0.0.1:9', has_secret: false }]);
    expect((await call('DELETE', `/api/subscriptions/${local.body.id}`, 'chen.zong')).status).toBe(204);
  });

  it('role recipients: every store manager under R1, and only them', async () => {
    const res = await call('POST', '/api/subscriptions', 'chen.zong', {
      kind: 'risk',
      node: 'R1',
      recipients: [{ role: 'store', node: 'R1' }],
      channels: [{ type: 'email' }, { type: 'dingtalk', webhook: DINGTALK }],
      schedule: '0 18 * * 5',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.recipients_resolved).toEqual([
      { username: 'sun.li', name: 'sun.li', role: 'store', channels: ['dingtalk'], node_in_scope: false },
      {
        username: 'zhang.wei',
        name: '张伟',
        role: 'store',
        channels: ['email', 'dingtalk'],
        node_in_scope: false,
      },
    ]);
    // A store manager under R1 reads it; the one at S3 does not.
    expect((await get(`/api/subscriptions/${res.body.id}`, 'sun.li')).status).toBe(200);
    expect((await get(`/api/subscriptions/${res.body.id}`, 'huang.jie')).status).toBe(403);
    // Region managers under D2: liu.yang only; R2 lies in their scope, not in the S3 store manager's.
    const d2 = await call('POST', '/api/subscriptions', 'chen.zong', {
      kind: 'monthly',
      node: 'R2',
      recipients: [{ role: 'region', node: 'D2' }, { user: 'huang.jie' }],
      channels: [{ type: 'email' }],
      schedule: '0 8 2 * *',
    });
    expect(d2.body.recipients_resolved.map((u: any) => [u.username, u.node_in_scope])).toEqual([
      ['liu.yang', true],
      ['huang.jie', false],
    ]);
  });

  it('deliveries: none before the scheduler; a run with its deliveries, newest first, a recipient seeing their own', async () => {
    const empty = await get(`/api/subscriptions/${groupSub}/deliveries`, 'chen.zong');
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ subscription: groupSub, runs: [] });
    await sql(
      `INSERT INTO app.report_runs (subscription_id, scheduled_for, started_at, finished_at, status, trigger)
       VALUES (?, '2025-03-10 00:00:00', '2025-03-10 00:00:01', '2025-03-10 00:00:09', 'done', 'schedule'),
              (?, '2025-03-17 00:00:00', '2025-03-17 00:00:01', NULL, 'running', 'schedule')`,
      [groupSub, groupSub],
    );
    const runs = await sql('SELECT run_id FROM app.report_runs WHERE subscription_id = ? ORDER BY run_id', [
      groupSub,
    ]);
    const [first, second] = runs.map((r) => Number(r.run_id));
    await sql(
      `INSERT INTO app.deliveries (run_id, recipient, channel, status, attempts, node_id, sent_at, reason)
       VALUES (?, 'wang.qiang', 'email', 'sent', 1, 'R1', '2025-03-10 00:00:05', NULL),
              (?, 'zhang.wei', 'email', 'skipped', 0, NULL, NULL, 'node_out_of_scope'),
              (?, 'wang.qiang', 'email', 'pending', 1, NULL, NULL, NULL)`,
      [first, first, second],
    );
    // The same recipient and channel twice in a run: refused by the table.
    await expect(
      sql(`INSERT INTO app.deliveries (run_id, recipient, channel) VALUES (?, 'wang.qiang', 'email')`, [
        first,
      ]),
    ).rejects.toThrow(/duplicate|constraint/i);
    const all = (await get(`/api/subscriptions/${groupSub}/deliveries`, 'chen.zong')).body;
    expect(all.runs.map((r: any) => [r.scheduled_for, r.status, r.deliveries.length])).toEqual([
      ['2025-03-17T08:00:00+08:00', 'running', 1],
      ['2025-03-10T08:00:00+08:00', 'done', 2],
    ]);
    expect(all.runs[1].deliveries[1]).toMatchObject({
      recipient: 'zhang.wei',
      channel: 'email',
      status: 'skipped',
      reason: 'node_out_of_scope',
      node: null,
    });
    expect(all.runs[1].deliveries[0]).toMatchObject({
      status: 'sent',
      node: 'R1',
      sent_at: '2025-03-10T00:00:05.000Z',
    });
    const limited = (await get(`/api/subscriptions/${groupSub}/deliveries?limit=1`, 'chen.zong')).body;
    expect(limited.runs).toHaveLength(1);
    // zhang.wei sees their own deliveries only.
    const own = (await get(`/api/subscriptions/${groupSub}/deliveries`, 'zhang.wei')).body;
    expect(own.runs.map((r: any) => r.deliveries.map((d: any) => d.recipient))).toEqual([[], ['zhang.wei']]);
    expect((await get(`/api/subscriptions/${groupSub}/deliveries`, 'liu.yang')).status).toBe(403);
    expect((await get('/api/subscriptions/999999/deliveries', 'chen.zong')).status).toBe(404);
    expect((await get(`/api/subscriptions/${groupSub}/deliveries?limit=0`, 'chen.zong')).status).toBe(400);
  });

  it('deletes: 204, then 404; its runs stay', async () => {
    expect((await call('DELETE', `/api/subscriptions/${groupSub}`, 'liu.yang')).status).toBe(403);
    const res = await call('DELETE', `/api/subscriptions/${groupSub}`, 'chen.zong');
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
    expect((await get(`/api/subscriptions/${groupSub}`, 'chen.zong')).status).toBe(404);
    expect((await call('DELETE', `/api/subscriptions/${groupSub}`, 'chen.zong')).status).toBe(404);
    expect(
      (await get('/api/subscriptions', 'wang.qiang')).body.subscriptions.map((s: any) => s.owner),
    ).toEqual(['wang.qiang']);
    const [runs] = await sql('SELECT count(*) AS n FROM app.report_runs WHERE subscription_id = ?', [
      groupSub,
    ]);
    expect(Number(runs!.n)).toBe(2);
  });

  it('every change is audited, in the same order, webhooks masked', async () => {
    const events = await sql(
      `SELECT actor, action, detail FROM app.subscription_events WHERE subscription_id = ? ORDER BY event_id`,
      [groupSub],
    );
    expect(events.map((e) => [e.actor, e.action])).toEqual([
      ['chen.zong', 'create'],
      ['chen.zong', 'update'],
      ['chen.zong', 'update'],
      ['chen.zong', 'update'],
      ['chen.zong', 'update'],
      ['chen.zong', 'delete'],
    ]);
    const created = JSON.parse(String(events[0]!.detail));
    expect(created.subscription).toMatchObject({
      kind: 'weekly',
      node: 'R1',
      owner: 'chen.zong',
      recipients: [{ user: 'wang.qiang' }, { user: 'zhang.wei' }],
    });
    expect(created.subscription.channels[1]).toMatchObject({
      type: 'wecom',
      webhook_host: 'qyapi.weixin.qq.com',
      has_secret: false,
    });
    expect(created.subscription.channels[1].fingerprint).toMatch(/^[0-9a-f]{8}$/);
    const update = JSON.parse(String(events[1]!.detail));
    expect(Object.keys(update.changes).sort()).toEqual(['channels', 'language', 'recipients', 'schedule']);
    expect(update.changes.schedule).toEqual({ from: '0 8 * * 1', to: '30 7 * * 1-5' });
    expect(update.revision).toBe(2);
    // The new WeCom webhook shows as a changed fingerprint, not as itself.
    const swap = JSON.parse(String(events[3]!.detail)).changes.channels;
    expect(swap.from[0].fingerprint).not.toBe(swap.to[0].fingerprint);
    // Refused requests wrote nothing: two updates of the store's subscription by the group... one.
    const store = await sql(`SELECT action FROM app.subscription_events WHERE subscription_id = ?`, [
      storeSub,
    ]);
    expect(store.map((e) => e.action)).toEqual(['create', 'update']);
  });

  it('no webhook URL or secret in any answer, nor in the audit trail', async () => {
    expect(answered.length).toBeGreaterThan(40);
    for (const text of answered) for (const secret of NEVER) expect(text).not.toContain(secret);
    const trail = (await sql('SELECT detail FROM app.subscription_events')).map((e) => String(e.detail));
    expect(trail.length).toBeGreaterThan(5);
    for (const detail of trail) {
      for (const secret of NEVER) expect(detail).not.toContain(secret);
      expect(detail).not.toMatch(/"webhook"|"secret"|local-key/);
    }
    // The stored subscriptions keep them, for the scheduler to post with.
    const stored = (await sql('SELECT channels FROM app.subscriptions'))
      .map((r) => String(r.channels))
      .join();
    expect(stored).toContain(DINGTALK);
  });
});

describe('POST /api/subscriptions/ID/run', () => {
  it('is for whoever may change the subscription: a recipient 403, an unknown id 404', async () => {
    const made = await call('POST', '/api/subscriptions', 'chen.zong', {
      kind: 'risk',
      node: 'R1',
      recipients: [{ user: 'wang.qiang' }],
      channels: [{ type: 'email' }],
      schedule: '0 8 * * 1',
    });
    expect(made.status).toBe(201);
    const refused = await call('POST', `/api/subscriptions/${made.body.id}/run`, 'wang.qiang');
    expect([refused.status, refused.body.error.code]).toEqual([403, 'forbidden']);
    expect((await call('POST', '/api/subscriptions/999999/run', 'chen.zong')).status).toBe(404);
    // Nothing recorded for either.
    expect(
      await sql(`SELECT count(*)::INTEGER AS n FROM app.report_runs WHERE subscription_id = ?`, [
        made.body.id,
      ]),
    ).toEqual([{ n: 0 }]);
  });
});

describe('GET /api/subscriptions/recipients', () => {
  it('a group user gets every user of their scope but staff, with what reaches them; a region manager themselves; staff 403', async () => {
    // One with robots' user ids, and one whose store has left the org tree (outside any scope).
    await addUser(warehouse.knex, {
      username: 'gu.yi',
      password: TEST_PASSWORD,
      role: 'store',
      nodes: ['S3'],
      wecom: 'GuYi',
      dingtalk: 'guyi-ding',
    });
    await addUser(warehouse.knex, {
      username: 'old.store',
      password: TEST_PASSWORD,
      role: 'store',
      nodes: ['S2'],
    });
    await sql(`UPDATE app.users SET nodes = ['S99'] WHERE username = 'old.store'`);

    const group = await get('/api/subscriptions/recipients', 'chen.zong');
    expect(group.status, JSON.stringify(group.body)).toBe(200);
    const users = group.body.users as any[];
    // By role from the group down, then username; no staff user, nobody outside the scope.
    expect(users.map((u) => u.username)).toEqual([
      'chen.zong',
      'li.hua',
      'liu.yang',
      'wang.qiang',
      'gu.yi',
      'huang.jie',
      'sun.li',
      'zhang.wei',
      'qian.cw',
      'te.shu',
    ]);
    expect(users.find((u) => u.username === 'zhang.wei')).toEqual({
      username: 'zhang.wei',
      name: '张伟',
      role: 'store',
      nodes: ['S1'],
      has_email: true,
      has_wecom: false,
      has_dingtalk: false,
    });
    expect(users.find((u) => u.username === 'gu.yi')).toMatchObject({
      name: 'gu.yi',
      has_email: false,
      has_wecom: true,
      has_dingtalk: true,
    });
    // Each one named is accepted as a recipient.
    const made = await call('POST', '/api/subscriptions', 'chen.zong', {
      kind: 'daily',
      node: 'G',
      recipients: users.map((u) => ({ user: u.username })),
      channels: [{ type: 'email' }],
      schedule: '0 8 * * *',
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);

    // A region manager names only themselves.
    const region = await get('/api/subscriptions/recipients', 'wang.qiang');
    expect(region).toEqual({
      status: 200,
      body: {
        users: [
          {
            username: 'wang.qiang',
            name: 'wang.qiang',
            role: 'region',
            nodes: ['R1'],
            has_email: true,
            has_wecom: false,
            has_dingtalk: false,
          },
        ],
      },
    });
    expect((await get('/api/subscriptions/recipients', 'zhang.wei')).body.users).toHaveLength(1);
    // A special grant names nobody; a staff user has no subscriptions at all.
    expect(await get('/api/subscriptions/recipients', 'te.shu')).toEqual({
      status: 200,
      body: { users: [] },
    });
    const staff = await get('/api/subscriptions/recipients', 'wang.fang');
    expect([staff.status, staff.body.error.code]).toEqual([403, 'forbidden']);
  });
});
