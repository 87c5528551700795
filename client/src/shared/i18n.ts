// Chinese by default, English on `?lang=en`. Every string the UI shows is here, in both languages.
import { useLocation } from '../app/router.ts';

export type Lang = 'zh' | 'en';

const STRINGS = {
  appTitle: { zh: '经营驾驶舱', en: 'Operating cockpit' },
  login: { zh: '登录', en: 'Sign in' },
  logout: { zh: '退出', en: 'Sign out' },
  username: { zh: '用户名', en: 'Username' },
  password: { zh: '密码', en: 'Password' },
  loginFailed: { zh: '用户名或密码错误', en: 'Wrong username or password' },
  signingIn: { zh: '登录中…', en: 'Signing in…' },
  overview: { zh: '总览', en: 'Overview' },
  drill: { zh: '组织下钻', en: 'Org drill' },
  product: { zh: '产品下钻', en: 'Product drill' },
  finance: { zh: '财务与资金', en: 'Finance' },
  month: { zh: '月', en: 'Month' },
  quarter: { zh: '季', en: 'Quarter' },
  year: { zh: '年', en: 'Year' },
  custom: { zh: '自定义', en: 'Custom' },
  period: { zh: '期间', en: 'Period' },
  compare: { zh: '对比', en: 'Compare' },
  prev: { zh: '环比', en: 'vs prev.' },
  yoy: { zh: '同比', en: 'vs last year' },
  budget: { zh: '预算', en: 'vs budget' },
  target: { zh: '目标', en: 'Target' },
  attainment: { zh: '完成率', en: 'Attainment' },
  lastYear: { zh: '去年同期', en: 'Last year' },
  loading: { zh: '加载中…', en: 'Loading…' },
  empty: { zh: '该期间暂无数据', en: 'No data for this period' },
  noAccess: { zh: '无权访问', en: 'No access' },
  noAccessDetail: { zh: '您的权限范围不包含此内容。', en: 'This is outside the scope you are granted.' },
  error: { zh: '加载失败', en: 'Could not load' },
  retry: { zh: '重试', en: 'Retry' },
  offline: { zh: '无法连接服务器', en: 'The server cannot be reached' },
  trend: { zh: '趋势（近12个月）', en: 'Trend (last 12 months)' },
  childrenRanking: { zh: '下级排名', en: 'Ranking of the units below' },
  peerRank: { zh: '同级排名', en: 'Rank among peers' },
  rankOf: { zh: '第 {rank} 名 / 共 {of} 家', en: 'No. {rank} of {of}' },
  percentile: { zh: '超过 {p} 的同级', en: 'ahead of {p} of peers' },
  openRisks: { zh: '风险提示', en: 'Open risks' },
  noRisks: { zh: '当前期间各指标均在阈值内', en: 'Every metric is within its thresholds' },
  critical: { zh: '严重', en: 'Critical' },
  warning: { zh: '预警', en: 'Warning' },
  good: { zh: '正常', en: 'On track' },
  threshold: { zh: '阈值', en: 'Threshold' },
  metric: { zh: '指标', en: 'Metric' },
  name: { zh: '名称', en: 'Name' },
  value: { zh: '实际', en: 'Actual' },
  share: { zh: '占比', en: 'Share' },
  exportCsv: { zh: '导出 CSV', en: 'CSV' },
  exportXlsx: { zh: '导出 Excel', en: 'Excel' },
  exportPng: { zh: '导出图片', en: 'PNG' },
  storeIsLeaf: { zh: '门店是最末一级，没有下级单位。', en: 'A store is the lowest level; there is nothing below it.' },
  drillHint: { zh: '点击柱形或表格行进入下一级', en: 'Click a bar or a row to go one level down' },
  allProducts: { zh: '全部车型', en: 'All products' },
  mix: { zh: '结构占比', en: 'Mix' },
  powertrainMix: { zh: '动力类型结构', en: 'Powertrain mix' },
  origin: { zh: '进口/国产', en: 'Imported/domestic' },
  brand: { zh: '品牌', en: 'Brand' },
  series: { zh: '车系', en: 'Series' },
  model: { zh: '车型', en: 'Model' },
  noProductMetric: { zh: '该指标不能按车型拆分，请选择销售类指标。', en: 'This metric has no product dimension: choose a sales metric.' },
  cashFlowTrend: { zh: '经营现金流（月）', en: 'Operating cash flow (monthly)' },
  cashCycle: { zh: '现金周期构成', en: 'Cash conversion cycle' },
  driverTree: { zh: '经营决策树', en: 'Operating driver tree' },
  driverTreeHint: { zh: '毛利按部门拆分到驱动因素；点击节点查看其下级拆分', en: 'Gross profit by department, down to its drivers; click a node for its breakdown' },
  otherGross: { zh: '其他（返利等）', en: 'Other (rebates etc.)' },
  otherGrossHint: { zh: '账面毛利 − 各部门毛利', en: 'ledger gross − departments' },
  vsBudget: { zh: '对预算', en: 'vs budget' },
  vsLastYear: { zh: '对去年', en: 'vs last year' },
  language: { zh: 'English', en: '中文' },
  dataThrough: { zh: '数据截至 {date}', en: 'Data through {date}' },
  skipToContent: { zh: '跳到正文', en: 'Skip to content' },
  notFound: { zh: '页面不存在', en: 'Page not found' },
  from: { zh: '从', en: 'From' },
  to: { zh: '至', en: 'To' },
  apply: { zh: '确定', en: 'Apply' },
  rankingTable: { zh: '下级单位明细', en: 'Units below' },
  thresholdNote: { zh: '规则预警与任务闭环见风险中心', en: 'Rule-based alerts and tasks are in the risk centre' },
} as const satisfies Record<string, Record<Lang, string>>;

export type StringKey = keyof typeof STRINGS;

export function translate(lang: Lang, key: StringKey, vars: Record<string, string | number> = {}): string {
  return STRINGS[key][lang].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}

export function useLang(): Lang {
  return useLocation().params.get('lang') === 'en' ? 'en' : 'zh';
}

export function useT(): (key: StringKey, vars?: Record<string, string | number>) => string {
  const lang = useLang();
  return (key, vars) => translate(lang, key, vars);
}

/** A name with zh and en forms, in the current language. */
export const pick = (lang: Lang, name: { zh: string; en: string }): string => name[lang];
