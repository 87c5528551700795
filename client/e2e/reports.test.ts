// Report delivery end to end on the sample (4 stores, August – October 2026): the group user
// subscribes the region manager of 合资品牌华东区 (D2-R1: stores S0002 and S0003) and the store
// manager of S0003 to the region's monthly review by e-mail and to its daily report by a WeCom
// robot, and sends each now. A real SMTP server (smtp-server) takes the mails, mailparser reads
// them, pdftotext (poppler-utils) reads the PDFs, and a local HTTP server stands in for the robot.
// Each recipient's copy is made as that recipient: the store manager's holds their store only.
// Last, a restart in the middle of a run: the run resumes and sends nothing twice.
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAuthConfig } from '../../server/src/auth/routes.ts';
import { addUser } from '../../server/src/auth/users.ts';
import { config } from '../../server/src/config.ts';
import { createLogger } from '../../server/src/logger.ts';
import { Mailer } from '../../server/src/reports/channels.ts';
import { ReportDelivery } from '../../server/src/reports/delivery.ts';
import { ReportRenderer } from '../../server/src/reports/render.ts';
import { DataVersionState } from '../../server/src/scope/data-version-state.ts';
import { readXlsx } from '../src/shared/xlsx-inspect.ts';
import { CHROMIUM_PATH } from './browser.ts';
import { useSampleProduct } from './sample-product.ts';
import { DEMO_PASSWORD } from './server.ts';

/** The copies sent, kept as a test artifact to look at. */
const SENT = 'test-results/reports';

const pdfText = async (pdf: Buffer, keepAs?: string) => {
  const file = join(mkdtempSync(join(tmpdir(), 'report-pdf-')), 'copy.pdf');
  writeFileSync(file, pdf);
  if (keepAs) {
    mkdirSync(SENT, { recursive: true });
    writeFileSync(join(SENT, keepAs), pdf);
  }
  return (await promisify(execFile)('pdftotext', ['-layout', file, '-'])).stdout;
};

/** Every sheet of a workbook, in order. */
const sheets = (xlsx: Uint8Array) => {
  const all = [];
  for (let n = 1; ; n++) {
    const rows = readXlsx(xlsx, n);
    if (!rows.length) return all;
    all.push(rows);
  }
};

/** Mails as they arrive, and a hook run on each (the restart test stops the sender in it). */
const mails: ParsedMail[] = [];
let onMail: () => void = () => undefined;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  onData(stream, _session, done) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      void simpleParser(Buffer.concat(chunks)).then((mail) => {
        mails.push(mail);
        onMail();
        done();
      });
    });
  },
});
/** What the WeCom robot received. */
const posts: { url: string; body: { msgtype: string; markdown: { content: string } } }[] = [];
/** The DingTalk robot's signing secret (加签). */
const DING_SECRET = 'SEC-test-secret-0123456789';
/** Tries of the flaky robot: it fails the first. */
let flakyTries = 0;
const robot: Server = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString('utf8')));
  req.on('end', () => {
    const url = new URL(req.url ?? '/', 'http://robot');
    posts.push({ url: req.url ?? '', body: JSON.parse(body) });
    res.setHeader('content-type', 'application/json');
    const answer = (status: number, errcode: number, errmsg: string) => {
      res.statusCode = status;
      res.end(JSON.stringify({ errcode, errmsg }));
    };
    if (url.pathname === '/down') return answer(502, -1, 'bad gateway');
    if (url.pathname === '/flaky' && flakyTries++ === 0) return answer(500, -1, 'busy');
    if (url.pathname === '/robot/send') {
      // DingTalk's check of a signed webhook: HMAC-SHA256 of "timestamp\nsecret", base64.
      const expected = createHmac('sha256', DING_SECRET)
        .update(`${url.searchParams.get('timestamp')}\n${DING_SECRET}`)
        .digest('base64');
      if (url.searchParams.get('sign') !== expected) return answer(200, 310000, 'sign not match');
    }
    answer(200, 0, 'ok');
  });
});
let smtpPort = 0;
let robotPort = 0;

beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => robot.listen(0, '127.0.0.1', resolve));
  robotPort = (robot.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await new Promise((resolve) => robot.close(resolve));
});

const product = useSampleProduct(undefined, () => ({
  config: { ...config, smtpUrl: `smtp://127.0.0.1:${smtpPort}`, publicUrl: 'https://bi.example.com' },
  delivery: { backoffMs: [50] },
}));

const sql = async (query: string, bindings: unknown[] = []) =>
  ((await product.warehouse.knex.raw(query, bindings as never)) as { rows: Record<string, unknown>[] }).rows;

const REGION = 'D2-R1';
const STORE = 'S0003';
const OTHER_STORE = 'S0002';

describe('report subscriptions, sent now', () => {
  let group: string;
  const names: Record<string, string> = {};
  const subscriptions: Record<'monthly' | 'daily', number> = { monthly: 0, daily: 0 };

  beforeAll(async () => {
    for (const row of await sql(`SELECT node_id, name FROM dim_org`))
      names[String(row.node_id)] = String(row.name);
    const knex = product.warehouse.knex;
    await addUser(knex, {
      username: 'he.xiaoming',
      password: DEMO_PASSWORD,
      role: 'region',
      nodes: [REGION],
      email: 'he.xiaoming@example.com',
      wecom: 'HeXiaoMing',
    });
    await addUser(knex, {
      username: 'song.zhen',
      password: DEMO_PASSWORD,
      role: 'store',
      nodes: [STORE],
      email: 'song.zhen@example.com',
      wecom: 'SongZhen',
    });
    group = await product.server.login(product.users.group!, DEMO_PASSWORD);
    const subscribe = async (kind: 'monthly' | 'daily', channels: unknown[]) => {
      const res = await product.server.send('POST', '/api/subscriptions', group, {
        kind,
        node: REGION,
        recipients: [{ user: 'he.xiaoming' }, { user: 'song.zhen' }],
        channels,
        schedule: kind === 'monthly' ? '0 8 1 * *' : '0 8 * * *',
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as number;
    };
    subscriptions.monthly = await subscribe('monthly', [{ type: 'email' }]);
    subscriptions.daily = await subscribe('daily', [
      { type: 'wecom', webhook: `http://127.0.0.1:${robotPort}/cgi-bin/webhook/send?key=ROBOT-KEY-1` },
    ]);
    for (const id of Object.values(subscriptions)) {
      const run = await product.server.send('POST', `/api/subscriptions/${id}/run`, group);
      expect(run.status, JSON.stringify(run.body)).toBe(202);
    }
    await product.server.app.delivery.idle();
  }, 240_000);

  const mailTo = (address: string) => {
    const found = mails.filter((m) => m.to && !Array.isArray(m.to) && m.to.text === address);
    expect(found, address).toHaveLength(1);
    return found[0]!;
  };
  const attachment = (mail: ParsedMail, ext: string) =>
    mail.attachments.find((a) => a.filename?.endsWith(ext))!;
  /** New vehicles sold in October 2026 at the stores, by plain SQL. */
  const newUnits = async (stores: string[]) =>
    Number(
      (
        await sql(
          `SELECT count(*) AS n FROM fact_vehicle_sales WHERE sale_type = 'new' AND sale_date BETWEEN '2026-10-01' AND '2026-10-31' AND store_id IN (${stores.map(() => '?').join(',')})`,
          stores,
        )
      )[0]!.n,
    );

  it("mails the region manager the region's copy: both its stores, figures as plain SQL counts them", async () => {
    const mail = mailTo('he.xiaoming@example.com');
    expect(mail.subject).toBe(`经营分析月报 · ${names[REGION]} · 2026-10`);
    expect(mail.html).toContain('（Asia/Shanghai）');
    // Sent today, as Shanghai's clock reads it (UTC + 8 h; the test does not run across midnight there).
    expect(mail.html).toContain(
      `发送时间 ${new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)} `,
    );
    expect(mail.html).toContain(`https://bi.example.com/reports/${REGION}?kind=monthly&amp;on=2026-10`);
    const text = await pdfText(attachment(mail, '.pdf').content, 'monthly-region.pdf');
    expect(text).toContain(names[STORE]);
    expect(text).toContain(names[OTHER_STORE]);
    expect(text).toContain('Asia/Shanghai');
    const figures = readXlsx(attachment(mail, '.xlsx').content);
    const units = figures.find((row) => row[0]!.value === '新车销量')!;
    expect(units[1]!.value).toBe(await newUnits([STORE, OTHER_STORE]));
    // The units below: their sheet names both stores.
    const below = sheets(attachment(mail, '.xlsx').content).find((rows) => rows[0]![0]!.value === '单位')!;
    expect(below.map((row) => row[0]!.value)).toEqual(
      expect.arrayContaining([names[STORE], names[OTHER_STORE]]),
    );
    // Net profit built up from its parts (the bridge's sheet) ends at the key figure's value.
    const bridge = sheets(attachment(mail, '.xlsx').content).find(
      (rows) => rows.at(-1)![0]!.value === '净利润',
    )!;
    const netProfit = figures.find((row) => row[0]!.value === '净利润')![1]!.value;
    expect(bridge.at(-1)![1]!.value).toBe(netProfit);
  });

  it("mails the store manager their store's copy: no other store's name or figure", async () => {
    const mail = mailTo('song.zhen@example.com');
    expect(mail.subject).toBe(`经营分析月报 · ${names[STORE]} · 2026-10`);
    const pdf = await pdfText(attachment(mail, '.pdf').content, 'monthly-store.pdf');
    expect(pdf).toContain(names[STORE]);
    expect(pdf).not.toContain(names[OTHER_STORE]);
    expect(pdf).not.toContain(names[REGION]);
    const xlsx = attachment(mail, '.xlsx').content;
    const cells = [1, 2, 3, 4, 5, 6, 7].flatMap((n) =>
      readXlsx(xlsx, n)
        .flat()
        .map((c) => String(c.value)),
    );
    expect(cells.join('\n')).not.toContain(names[OTHER_STORE]);
    const units = readXlsx(xlsx).find((row) => row[0]!.value === '新车销量')!;
    expect(units[1]!.value).toBe(await newUnits([STORE]));
    // In place of the units below: its rank among its peers.
    expect(cells).toContain('排名');
  });

  it('posts one notice of the daily report to the WeCom robot: no figures, each recipient mentioned with the link to their own report', async () => {
    expect(posts).toHaveLength(1);
    const [post] = posts;
    expect(post!.url).toBe('/cgi-bin/webhook/send?key=ROBOT-KEY-1');
    expect(post!.body.msgtype).toBe('markdown');
    const text = post!.body.markdown.content;
    expect(text).toContain(`经营日报 · ${names[REGION]} · 2026-10-31`);
    expect(text).toContain('（Asia/Shanghai）');
    // Everyone in the chat reads it: the region's figures are in nobody's link text but the page's.
    const base = 'https://bi.example.com/reports';
    expect(text).toContain(
      `<@HeXiaoMing>：[${names[REGION]}](${base}/${REGION}?kind=daily&on=2026-10-31&tz=Asia%2FShanghai)`,
    );
    expect(text).toContain(
      `<@SongZhen>：[${names[STORE]}](${base}/${STORE}?kind=daily&on=2026-10-31&tz=Asia%2FShanghai)`,
    );
    for (const figure of ['台', '万元', '元']) expect(text).not.toContain(figure);
    // Both deliveries of the channel went with the one post.
    const runs = (await product.server.get(`/api/subscriptions/${subscriptions.daily}/deliveries`, group))
      .body.runs;
    expect(
      runs[0].deliveries.map((d: { recipient: string; status: string; node: string }) => [
        d.recipient,
        d.status,
        d.node,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['he.xiaoming', 'sent', REGION],
        ['song.zhen', 'sent', STORE],
      ]),
    );
  });

  it('records every delivery: sent, to whom, through which channel, for which node', async () => {
    const res = await product.server.get(`/api/subscriptions/${subscriptions.monthly}/deliveries`, group);
    expect(res.status).toBe(200);
    const [run] = res.body.runs;
    expect([run.status, run.trigger]).toEqual(['done', 'manual']);
    expect(
      run.deliveries.map((d: { recipient: string; channel: string; status: string; node: string }) => [
        d.recipient,
        d.channel,
        d.status,
        d.node,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['he.xiaoming', 'email', 'sent', REGION],
        ['song.zhen', 'email', 'sent', STORE],
      ]),
    );
    const health = await product.server.get('/api/health');
    expect(health.body.reports).toEqual({ failed_24h: 0, last_failure_at: null });
  });

  it('retries a failing robot, signs DingTalk posts, and shows what failed for good in /api/health', async () => {
    const robotAt = (path: string) => `http://127.0.0.1:${robotPort}${path}`;
    const subscribe = async (channels: unknown[]) => {
      const res = await product.server.send('POST', '/api/subscriptions', group, {
        kind: 'risk',
        node: REGION,
        recipients: [{ user: 'he.xiaoming' }],
        channels,
        schedule: '0 9 * * 1',
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const run = await product.server.send('POST', `/api/subscriptions/${res.body.id}/run`, group);
      expect(run.status).toBe(202);
      return res.body.id as number;
    };
    const working = await subscribe([
      { type: 'dingtalk', webhook: robotAt('/robot/send?access_token=DING-TOKEN-1'), secret: DING_SECRET },
      { type: 'wecom', webhook: robotAt('/flaky?key=ROBOT-KEY-2') },
    ]);
    const broken = await subscribe([{ type: 'wecom', webhook: robotAt('/down?key=ROBOT-KEY-3') }]);
    await product.server.app.delivery.idle();
    const deliveries = async (id: number) =>
      (await product.server.get(`/api/subscriptions/${id}/deliveries`, group)).body.runs[0].deliveries as {
        channel: string;
        status: string;
        attempts: number;
        last_error: string | null;
      }[];
    expect((await deliveries(working)).map((d) => [d.channel, d.status, d.attempts]).sort()).toEqual([
      ['dingtalk', 'sent', 1],
      ['wecom', 'sent', 2],
    ]);
    const [down] = await deliveries(broken);
    expect([down!.status, down!.attempts]).toEqual(['failed', 3]);
    // The error names the robot's host, never its key.
    expect(down!.last_error).toBe(`wecom robot at 127.0.0.1:${robotPort} answered HTTP 502`);
    const ding = posts.find((p) => p.url.startsWith('/robot/send'))!;
    expect(ding.body.msgtype).toBe('markdown');
    const health = (await product.server.get('/api/health')).body.reports;
    expect(health.failed_24h).toBe(1);
    // Anyone may read /api/health: when, not who or why (that is on the subscription's page).
    expect(Object.keys(health)).toEqual(['failed_24h', 'last_failure_at']);
    expect(Date.now() - Date.parse(health.last_failure_at)).toBeLessThan(120_000);
    expect(JSON.stringify(health)).not.toContain('ROBOT-KEY-3');
  });

  it('a restart in the middle of a run sends nothing twice', async () => {
    const before = mails.length;
    const app = product.server.app;
    // The server stops as the first mail of the run goes out: the rest of the run is left pending.
    onMail = () => void app.delivery.stop();
    const run = await product.server.send('POST', `/api/subscriptions/${subscriptions.monthly}/run`, group);
    expect(run.status).toBe(202);
    await app.delivery.idle();
    onMail = () => undefined;
    expect(mails.length - before).toBe(1);
    const [row] = await sql(`SELECT status FROM app.report_runs WHERE run_id = ?`, [run.body.run]);
    expect(row!.status).toBe('running');
    // A new process: the same warehouse, a scheduler of its own, started.
    const knex = product.warehouse.knex;
    const auth = await loadAuthConfig(knex, config);
    const restarted = new ReportDelivery(
      knex,
      new ReportRenderer(knex, new DataVersionState(knex, () => app.cache.dataVersion()), {
        baseUrl: () => product.server.base,
        secret: auth.secret,
        chromiumPath: CHROMIUM_PATH,
        timeoutMs: 60_000,
        gate: app.gate,
      }),
      {
        mailer: new Mailer(`smtp://127.0.0.1:${smtpPort}`, config.mailFrom),
        publicUrl: 'https://bi.example.com',
        logger: createLogger({ level: 'silent', json: true, destination: process.stderr }),
        attempts: 3,
        backoffMs: [10],
        robotTimeoutMs: 5_000,
      },
    );
    await restarted.start();
    await restarted.idle();
    await restarted.stop();
    // The one not sent before the stop, and nothing else.
    const sent = mails.slice(before).map((m) => (m.to && !Array.isArray(m.to) ? m.to.text : ''));
    expect(sent.sort()).toEqual(['he.xiaoming@example.com', 'song.zhen@example.com']);
    const [done] = await sql(`SELECT status FROM app.report_runs WHERE run_id = ?`, [run.body.run]);
    expect(done!.status).toBe('done');
  }, 120_000);
});
