import { codeSpan, tableCellText } from '../github/sanitize.js';
import { canonicalSeverity } from '../insights/severity.js';
import { scopeKey, type Insight } from '../insights/types.js';
import { formatSeverityCounts, severityCounts, sortInsights } from './order.js';
import { isoDate, singleLine, str } from './text.js';
import type { ReportContext } from './types.js';
import { isResolved } from '../insights/status.js';

/**
 * A link only to Cloudflare's own https pages; anything else is shown as inert text.
 * The URL is re-serialised and the characters that could end the link or the cell are
 * percent-encoded.
 */
export function resolveLinkCell(link: unknown): string {
  const text = str(link).trim();
  if (!text) return '—';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return tableCellText(text, 120);
  }
  const trusted = url.protocol === 'https:' && (url.hostname === 'cloudflare.com' || url.hostname.endsWith('.cloudflare.com'));
  if (!trusted || url.username || url.password) return tableCellText(text, 120);
  const href = url.href.replace(/[()|<>[\]`\\ "']/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `[Resolve](${href})`;
}

/**
 * A Markdown report (GitHub flavoured): heading, count line, one table row per insight.
 * API text goes through the same neutralising as issue bodies: no HTML, no mention, no
 * issue reference, no link except Cloudflare's resolve links, no escape from a cell.
 */
export function renderMarkdown(insights: readonly Insight[], ctx: ReportContext): string {
  const lines: string[] = ['# Cloudflare Security Insights', ''];
  const about: string[] = [];
  if (ctx.scope) about.push(`Scope: ${codeSpan(scopeKey(ctx.scope))}`);
  if (ctx.fetchedAt) about.push(`fetched ${tableCellText(singleLine(ctx.fetchedAt), 40)}`);
  if (about.length > 0) lines.push(about.join(' · '), '');
  if (ctx.complete === false) {
    lines.push('> **Warning:** the inventory is incomplete; some insights may be missing.', '');
  }
  lines.push(`**${formatSeverityCounts(severityCounts(insights))}**`, '');
  if (insights.length === 0) return `${lines.join('\n')}\n`;

  lines.push('| Severity | Type | Class | Subject | Since | Resolve |', '|---|---|---|---|---|---|');
  for (const insight of sortInsights(insights)) {
    const raw = singleLine(insight.severity);
    const severity = tableCellText(canonicalSeverity(raw) ?? raw, 40) || '—';
    const subject =
      codeSpan(str(insight.subject), { inTable: true, max: 120 }) +
      (isResolved(insight) ? ' _(resolved)_' : insight.dismissed === true ? ' _(dismissed)_' : '');
    lines.push(
      `| ${severity} | ${codeSpan(str(insight.issue_type), { inTable: true, max: 60 })} | ${codeSpan(str(insight.issue_class), { inTable: true, max: 80 })} | ${subject} | ${tableCellText(isoDate(insight.since), 40) || '—'} | ${resolveLinkCell(insight.resolve_link)} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
