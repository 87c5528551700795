// Where a report goes: e-mail over SMTP (a recipient's own copy: the PDF and the workbook attached,
// a short HTML summary of their figures in the body), and the WeCom (企业微信) and DingTalk (钉钉)
// group robots (one markdown notice a run: the report, its period, and each recipient mentioned
// with the link to their own report — no figures, as everyone in the chat reads it). Each message
// says when it was made and in which time zone.
import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';
import { REPORT_TITLES, reportTables, type ReportTable } from '../contract/report-tables.ts';
import type { Lang } from '../contract/numbers.ts';
import type { ReportKind } from '../contract/reports.ts';
import { formatCell } from '../contract/tables.ts';
import { isoInZone } from '../subscriptions/schedule.ts';
import type { RenderedCopy } from './render.ts';

export interface Message {
  subject: string;
  html: string;
  markdown: string;
  /** The report page of the copy. */
  link: string;
  attachments: { filename: string; content: Buffer; contentType: string }[];
}

/** How many key figures a message's summary lists (the rest are in the attachments and on the page). */
const SUMMARY_ROWS = 6;

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** 2026-12-03 08:00 in the zone, as a person there reads it. */
export const zonedTime = (at: Date, timeZone: string): string =>
  isoInZone(at, timeZone).slice(0, 16).replace('T', ' ');

/** The report page of a node, as the message links it. */
function reportLink(
  o: { publicUrl: string; timeZone: string; lang: Lang },
  kind: ReportKind,
  node: string,
  window: { from: string; to: string },
): string {
  const query = new URLSearchParams({
    kind,
    on: kind === 'monthly' ? window.from.slice(0, 7) : window.to,
    tz: o.timeZone,
    ...(o.lang === 'zh' ? {} : { lang: 'en' }),
  });
  return `${o.publicUrl}/reports/${encodeURIComponent(node)}?${query}`;
}

/** 报告期 …, data through …, sent … (zone): the line under every message's title. */
function metaLine(
  lang: Lang,
  window: { from: string; to: string },
  dataTo: string,
  at: Date,
  timeZone: string,
) {
  const span = window.from === window.to ? window.to : `${window.from} – ${window.to}`;
  const made = zonedTime(at, timeZone);
  return lang === 'zh'
    ? `报告期 ${span} · 数据截至 ${dataTo} · 发送时间 ${made}（${timeZone}）`
    : `Period ${span} · data through ${dataTo} · sent ${made} (${timeZone})`;
}

/** The report's subject: 经营分析月报 · 华东区 · 2026-10. */
const subjectOf = (kind: ReportKind, nodeName: string, window: { from: string; to: string }, lang: Lang) =>
  `${REPORT_TITLES[kind][lang]} · ${nodeName} · ${
    kind === 'monthly'
      ? window.from.slice(0, 7)
      : window.from === window.to
        ? window.to
        : `${window.from} – ${window.to}`
  }`;

/** The copy as a message: subject, HTML and markdown summaries, the link, the attachments. */
export function composeMessage(
  copy: RenderedCopy,
  o: { lang: Lang; timeZone: string; publicUrl: string; at: Date },
): Message {
  const { report } = copy;
  const zh = o.lang === 'zh';
  const title = REPORT_TITLES[report.kind][o.lang];
  const subject = subjectOf(report.kind, report.node.name, report, o.lang);
  const link = reportLink(o, report.kind, report.node.id, report);
  const meta = metaLine(o.lang, report, report.data_to, o.at, o.timeZone);
  const tables = reportTables(report, o.lang);
  const summary = tables.find((t) => t.id === 'figures') ?? tables[0];
  const rows = summary
    ? summary.rows.slice(0, SUMMARY_ROWS).map((_, r) => summaryRow(summary, r, o.lang))
    : [];
  const risks = report.risks
    ? zh
      ? `未关闭风险：严重 ${report.risks.open.critical}，预警 ${report.risks.open.warning}`
      : `Open risks: ${report.risks.open.critical} critical, ${report.risks.open.warning} warning`
    : null;
  const open = zh ? '打开报告' : 'Open the report';
  const html = [
    `<h2 style="margin:0 0 4px">${escapeHtml(subject)}</h2>`,
    `<p style="color:#5d6b7e;margin:0 0 12px">${escapeHtml(meta)}</p>`,
    summary ? `<h3 style="margin:0 0 4px">${escapeHtml(summary.title)}</h3>` : '',
    rows.length
      ? `<table cellpadding="4" style="border-collapse:collapse">${rows
          .map(
            (r) =>
              `<tr><td>${escapeHtml(r.label)}</td><td style="text-align:right"><b>${escapeHtml(r.value)}</b></td><td style="color:#5d6b7e">${escapeHtml(r.detail)}</td></tr>`,
          )
          .join('')}</table>`
      : '',
    risks ? `<p>${escapeHtml(risks)}</p>` : '',
    `<p><a href="${escapeHtml(link)}">${open}</a>${zh ? '；完整报告见附件 PDF 与 Excel。' : '; the full report is attached as PDF and Excel.'}</p>`,
  ].join('\n');
  const markdown = [
    `### ${subject}`,
    `> ${meta}`,
    '',
    ...(summary ? [`**${summary.title}**`] : []),
    ...rows.map((r) => `- ${r.label}：**${r.value}** ${r.detail}`),
    ...(risks ? ['', risks] : []),
    '',
    `[${open}](${link})`,
  ].join('\n');
  const file = `${title}-${report.node.name}-${report.kind === 'monthly' ? report.from.slice(0, 7) : report.to}`;
  return {
    subject,
    html,
    markdown,
    link,
    attachments: [
      { filename: `${file}.pdf`, content: Buffer.from(copy.pdf), contentType: 'application/pdf' },
      {
        filename: `${file}.xlsx`,
        content: Buffer.from(copy.xlsx),
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
    ],
  };
}

/** A row of the key figures: the metric, its value, and the rest of the row's figures. */
function summaryRow(table: ReportTable, r: number, lang: Lang) {
  const row = table.rows[r]!;
  const cell = (c: number) =>
    formatCell(row[c] ?? null, table.cellFormats?.[r]?.[c] ?? table.formats?.[c], lang);
  const detail = table.header
    .slice(2)
    .map((h, i) => `${h} ${cell(i + 2)}`)
    .join(' · ');
  return { label: String(row[0]), value: cell(1), detail };
}

/** Sends e-mail through SMTP_URL. */
export class Mailer {
  private readonly transport;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    // A mail server that does not answer fails the try in seconds, not nodemailer's minutes.
    this.transport = nodemailer.createTransport({
      url: smtpUrl,
      connectionTimeout: 20_000,
      greetingTimeout: 20_000,
      socketTimeout: 30_000,
    });
  }

  /** `messageId`: the same for a retry of one delivery, so a mail server or client may drop a repeat. */
  async send(to: string, message: Message, messageId: string): Promise<void> {
    await this.transport.sendMail({
      from: this.from,
      to,
      subject: message.subject,
      html: message.html,
      text: message.markdown,
      attachments: message.attachments,
      messageId,
    });
  }

  close(): void {
    this.transport.close();
  }
}

/** DingTalk's signed webhook: timestamp and the HMAC-SHA256 of "timestamp\nsecret", in the query. */
export function signedDingTalkUrl(webhook: string, secret: string, now = Date.now()): string {
  const sign = createHmac('sha256', secret).update(`${now}\n${secret}`).digest('base64');
  const url = new URL(webhook);
  url.searchParams.set('timestamp', String(now));
  url.searchParams.set('sign', sign);
  return url.toString();
}

export interface Notice {
  title: string;
  markdown: string;
  /** Robot user ids to mention (DingTalk wants them listed besides the text). */
  mentions: string[];
}

/**
 * A group robot's notice of a run: the report, its period, when it was sent (and in which zone),
 * then each recipient — mentioned where they have a robot user id — with the link to their own
 * report, which shows them their own scope once they sign in. No figures: everyone in the chat
 * reads the post.
 */
export function composeNotice(o: {
  kind: ReportKind;
  nodeName: string;
  window: { from: string; to: string };
  dataTo: string;
  lang: Lang;
  timeZone: string;
  publicUrl: string;
  at: Date;
  recipients: { name: string; mention: string | null; node: string; nodeName: string }[];
}): Notice {
  const zh = o.lang === 'zh';
  const title = subjectOf(o.kind, o.nodeName, o.window, o.lang);
  const lines = o.recipients.map((r) => {
    const who = r.mention ? `<@${r.mention}>` : r.name;
    return `- ${who}：[${r.nodeName}](${reportLink(o, o.kind, r.node, o.window)})`;
  });
  return {
    title,
    markdown: [
      `### ${title}`,
      `> ${metaLine(o.lang, o.window, o.dataTo, o.at, o.timeZone)}`,
      '',
      zh
        ? '各自的报告（登录后按本人权限显示）：'
        : 'Your own reports (each shows what you may see, once signed in):',
      ...lines,
    ].join('\n'),
    mentions: o.recipients.flatMap((r) => (r.mention ? [r.mention] : [])),
  };
}

/**
 * Posts a notice to a group robot. WeCom reads <@userid> in markdown as a mention; DingTalk
 * mentions the ids listed in `at` whose @userid the text carries. Both robots answer 200 with
 * errcode 0, or a non-zero errcode and errmsg: that is an error too.
 */
export async function postToRobot(
  robot: { type: 'wecom' | 'dingtalk'; webhook: string; secret?: string },
  notice: Notice,
  timeoutMs: number,
): Promise<void> {
  const body =
    robot.type === 'wecom'
      ? { msgtype: 'markdown', markdown: { content: notice.markdown } }
      : {
          msgtype: 'markdown',
          markdown: { title: notice.title, text: notice.markdown.replace(/<@([^>]+)>/g, '@$1') },
          at: { atUserIds: notice.mentions, isAtAll: false },
        };
  const url =
    robot.type === 'dingtalk' && robot.secret
      ? signedDingTalkUrl(robot.webhook, robot.secret)
      : robot.webhook;
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  // The URL carries the robot's key: an error names the host only.
  const where = new URL(robot.webhook).host;
  if (!res.ok) throw new Error(`${robot.type} robot at ${where} answered HTTP ${res.status}`);
  const answer = (await res.json().catch(() => null)) as { errcode?: number; errmsg?: string } | null;
  if (answer?.errcode !== 0)
    throw new Error(
      `${robot.type} robot at ${where} refused: ${answer ? `${answer.errcode} ${answer.errmsg ?? ''}`.trim() : 'no JSON answer'}`,
    );
}
