// /api/commentary over real HTTP on the generated sample: every number in the text (both
// languages) is a figure another endpoint gives for the same node and period — /api/kpi's value and
// comparisons, /api/explain's units, /api/breakdown's models, /api/bridge's steps, /api/alerts' risks
// — and the figures that matter most are there; a store manager's text names no peer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../auth/demo-users.ts';
import { formatDelta, formatRelative, formatValue } from '../contract/numbers.ts';
import type { Unit } from '../contract/metrics.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { startServer, type TestServer } from '../test/http.ts';
import { sampleWarehouse, SAMPLE_STORE } from '../test/shared.ts';

const PERIOD = 'from=2026-10-01&to=2026-10-31';
const BRIDGES: Record<string, string> = {
  new_gross_profit: 'new_gross',
  aftersales_gross_profit: 'aftersales_gross',
  net_profit: 'net_profit',
  operating_cash_flow: 'operating_cash_flow',
};
const LANGS = ['zh', 'en'] as const;
/** A figure as either language writes it: signed or not, in the metric's unit. */
const NUMBER = {
  zh: /[+−]?\d[\d,]*(?:\.\d+)?(?:亿元|万元|元\/台次|元\/台|元|台|%|个百分点|×)?/g,
  en: /[+−]?¥?\d[\d,]*(?:\.\d+)?(?:[BMK]|\/unit|\/RO| units| pp|%|×)?/g,
};

let warehouse: Warehouse;
let server: TestServer;
let token: string;
let names: string[];
let metricNames: Record<string, { zh: string; en: string }>;

beforeAll(async () => {
  warehouse = await sampleWarehouse();
  server = await startServer(warehouse);
  token = await server.login('du.min', DEMO_PASSWORD);
  const org = (await server.get('/api/org', token)).body;
  names = org.nodes.flatMap((n: { name: string; name_en: string | null }) => [n.name, n.name_en ?? n.name]);
  metricNames = Object.fromEntries(
    (await server.get('/api/metrics', token)).body.metrics.map((m: { id: string; name: object }) => [
      m.id,
      m.name,
    ]),
  );
});
afterAll(async () => {
  await server.close();
  await warehouse.close();
});

/** The figures the endpoints give for a metric at a node, as text may show them. */
async function figuresOf(metric: string, node: string, unit: Unit) {
  const get = async (path: string) => {
    const res = await server.get(path, token);
    expect(res.status, path).toBe(200);
    return res.body;
  };
  const q = `node=${node}&${PERIOD}`;
  const [kpi, prev, yoy, models, bridge] = await Promise.all([
    get(`/api/kpi?metrics=${metric}&${q}&compare=prev,yoy,budget`),
    get(`/api/explain?metric=${metric}&${q}&compare=prev`),
    get(`/api/explain?metric=${metric}&${q}&compare=yoy`),
    ['new_units', 'new_gross_profit'].includes(metric)
      ? get(`/api/breakdown?metric=${metric}&${q}&by=model&compare=prev&limit=500`)
      : { rows: [] },
    BRIDGES[metric] ? get(`/api/bridge?kind=${BRIDGES[metric]}&${q}&compare=prev`) : null,
  ]);
  const k = kpi.metrics[metric];
  const figures = { amounts: [] as [number, Unit][], relative: [] as number[], shares: [] as number[] };
  const amount = (x: number | null | undefined, u: Unit = unit) => {
    if (x !== null && x !== undefined) figures.amounts.push([x, u]);
  };
  amount(k.value);
  amount(k.prev?.delta);
  amount(k.yoy?.delta);
  amount(k.budget?.variance);
  for (const c of [k.prev?.change, k.yoy?.change, k.budget?.attainment])
    if (c != null) figures.relative.push(c);
  for (const e of [prev, yoy])
    for (const c of e.children) {
      amount(c.contribution);
      amount(c.delta);
      if (c.share_of_delta !== null) figures.shares.push(c.share_of_delta);
    }
  for (const r of models.rows) {
    amount(r.prev?.delta);
    if (r.prev?.delta != null && prev.delta) figures.shares.push(r.prev.delta / prev.delta);
  }
  if (bridge) {
    amount(bridge.start, 'yuan');
    for (const s of bridge.steps) {
      amount(s.value, 'yuan');
      if (s.base != null) amount(s.value - s.base, 'yuan');
    }
  }
  return { figures, kpi: k, prev, bridge, models: models.rows.map((r: { name: string }) => r.name) };
}

/** Every number in the text, the names (which hold digits: 4S店, 410km) taken out first. */
function numbersIn(text: string, lang: 'zh' | 'en', words: string[]): string[] {
  let rest = text;
  for (const w of [...words].sort((a, b) => b.length - a.length)) rest = rest.replaceAll(w, ' ');
  return rest.match(NUMBER[lang]) ?? [];
}

function shown(figures: Awaited<ReturnType<typeof figuresOf>>['figures'], lang: 'zh' | 'en'): Set<string> {
  const texts = new Set<string>();
  for (const [x, u] of figures.amounts) {
    texts.add(formatValue(x, u, lang));
    texts.add(formatDelta(x, u, lang));
  }
  for (const r of figures.relative) {
    texts.add(formatRelative(r));
    texts.add(`${(r * 100).toFixed(1)}%`);
  }
  for (const s of figures.shares) texts.add(`${(s * 100).toFixed(0)}%`);
  return texts;
}

describe('GET /api/commentary', () => {
  it.each(['G', 'D2-R1', 'S0004'])('at %s: every number is a figure of the API', async (node) => {
    const res = await server.get(`/api/commentary?node=${node}&${PERIOD}`, token);
    expect(res.status).toBe(200);
    const metrics = res.body.sections.map((s: { metric: string }) => s.metric);
    expect(metrics).toEqual([
      'new_units',
      'new_gross_profit',
      'aftersales_gross_profit',
      'net_profit',
      'operating_cash_flow',
      'risks',
    ]);
    for (const section of res.body.sections.filter((s: { metric: string }) => s.metric !== 'risks')) {
      const unit = section.metric === 'new_units' ? 'units' : 'yuan';
      const { figures, kpi, prev, bridge, models } = await figuresOf(section.metric, node, unit);
      const words = [
        ...names,
        ...models,
        ...Object.values(metricNames).flatMap((n) => [n.zh, n.en]),
        ...(bridge?.steps ?? []).flatMap((s: { label: { zh: string; en: string } }) => [
          s.label.zh,
          s.label.en,
        ]),
      ];
      for (const lang of LANGS) {
        const text: string = section.text[lang];
        const known = shown(figures, lang);
        for (const n of numbersIn(text, lang, words))
          expect(known.has(n), `${node} ${section.metric} ${lang}: "${n}" in ${text}`).toBe(true);
        // And it says the figure, and its change (the sample holds no last year: on the month before).
        expect(text).toContain(formatValue(kpi.value, unit, lang));
        expect(text).toContain(formatDelta(kpi.prev.delta, unit, lang));
        // The unit below that moved the figure most the same way, where one did.
        const top = prev.children.find(
          (c: { contribution: number; share_of_delta: number }) =>
            Math.sign(c.contribution) === Math.sign(prev.delta) && c.share_of_delta >= 0.1,
        );
        const named = lang === 'en' ? top?.name_en : top?.name;
        if (top) expect(text).toContain(`${named} ${formatDelta(top.contribution, unit, lang)}`);
      }
    }
  });

  it('names the open critical risks as /api/alerts lists them', async () => {
    for (const node of ['G', 'S0004']) {
      const [commentary, alerts] = await Promise.all([
        server.get(`/api/commentary?node=${node}&${PERIOD}`, token),
        server.get(`/api/alerts?node=${node}&status=open&level=critical&limit=500`, token),
      ]);
      const risks = alerts.body.alerts.filter((a: { group: { first: boolean } }) => a.group.first);
      const text: string = commentary.body.sections.at(-1).text.zh;
      expect(risks.length).toBeGreaterThan(0);
      expect(text).toContain(`未关闭的严重风险 ${risks.length} 项`);
      const first = risks[0];
      expect(text).toContain(`${first.node.name} ${formatValue(first.value, first.metric.unit, 'zh')}`);
    }
  });

  it("a store manager's text speaks of their store and names no peer; staff are refused", async () => {
    const users = (await warehouse.knex('app.users').select('username', 'role')) as {
      username: string;
      role: string;
    }[];
    const manager = await server.login(users.find((u) => u.role === 'store')!.username, DEMO_PASSWORD);
    const res = await server.get(`/api/commentary?node=${SAMPLE_STORE}&${PERIOD}`, manager);
    expect(res.status).toBe(200);
    const own = (await server.get('/api/org', manager)).body.nodes.find(
      (n: { node_id: string }) => n.node_id === SAMPLE_STORE,
    );
    const text = JSON.stringify(res.body.sections);
    for (const other of names.filter((n) => n !== own.name && n !== own.name_en))
      expect(text).not.toContain(other);
    expect((await server.get(`/api/commentary?node=G&${PERIOD}`, manager)).status).toBe(403);
    const staff = await server.login(users.find((u) => u.role === 'staff')!.username, DEMO_PASSWORD);
    expect((await server.get(`/api/commentary?node=${SAMPLE_STORE}&${PERIOD}`, staff)).status).toBe(403);
    const bad = await server.get(`/api/commentary?node=G&from=2026-10-31&to=2026-10-01`, token);
    expect([bad.status, bad.body.error.param]).toEqual([400, 'to']);
  });
});
