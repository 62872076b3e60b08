import type { Settings } from '../config/settings.js';
import { classInWords } from '../github/render.js';
import { tableCellText } from '../github/sanitize.js';
import { ageText } from '../insights/dates.js';
import { SEVERITIES } from '../insights/types.js';
import type { PendingReason, SyncResult } from '../sync/engine.js';
import { titleWithoutSeverity } from '../sync/issue-view.js';
import { insightInWords } from '../sync/threshold.js';
import { isActive } from '../insights/status.js';

/** Why writes wait, e.g. "3 over max-issue-writes, 2 failed (tried again next run)"; empty when none wait. */
export function pendingReasons(pendingBy: Record<PendingReason, number>): string {
  const parts: string[] = [];
  if (pendingBy['over-cap'] > 0) parts.push(`${pendingBy['over-cap']} over max-issue-writes`);
  if (pendingBy.failed > 0) parts.push(`${pendingBy.failed} failed for their own issue (tried again next run)`);
  if (pendingBy.stopped > 0) parts.push(`${pendingBy.stopped} not tried (the run stopped)`);
  return parts.join(', ');
}

function cell(text: unknown): string {
  return tableCellText(String(text ?? ''), 200);
}

function countBy(values: string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/**
 * The job summary (Markdown for `core.summary`): counts, what changed with links to
 * the issues, the quota, what waits for the next run, and the threshold verdict.
 * API text is untrusted and neutralised like in issue bodies. `serverUrl` is the
 * runner's GITHUB_SERVER_URL, for the issue links.
 */
export function renderJobSummary(result: SyncResult, settings: Settings, serverUrl = 'https://github.com', now: Date = new Date()): string {
  const lines: string[] = [];
  const repo = settings.github ? `${settings.github.owner}/${settings.github.repo}` : null;
  const issueLink = (n: number | null) => (n !== null && repo ? `[#${n}](${serverUrl}/${repo}/issues/${n})` : n !== null ? `#${n}` : '—');
  const active = result.insights.filter((i) => i.dismissed !== true && isActive(i));

  lines.push(`## Cloudflare Security Insights: ${cell(result.scope)}`);
  lines.push('');
  if (result.dryRun) lines.push('> **Dry run**: nothing was written to GitHub.', '');
  if (!result.complete) lines.push(`> **Incomplete inventory** (${cell(result.incompleteReason ?? 'unknown reason')}): no issue was closed.`, '');

  const bySeverity = [...SEVERITIES].reverse().map((s) => `${s}: ${active.filter((i) => i.severity === s).length}`);
  lines.push(`**${active.length} active insights** · ${bySeverity.join(' · ')}`, '');
  const byType = countBy(active.map((i) => String(i.issue_type)));
  if (byType.length > 0) {
    lines.push('| Type | Insights |', '|---|---:|');
    for (const [type, n] of byType) lines.push(`| ${cell(classInWords(type))} | ${n} |`);
    lines.push('');
  }

  const c = result.counts;
  lines.push(`Issues: ${c.created} opened, ${c.updated} updated, ${c.resolved + c.dismissed} closed, ${c.reopened} reopened.`, '');
  const changed = result.issues.filter((i) => i.action !== 'pending');
  if (changed.length > 0) {
    lines.push('| Severity | Insight | Action | Issue |', '|---|---|---|---|');
    // The title without its `[High]`: the first column says it.
    for (const i of changed.slice(0, 100)) lines.push(`| ${cell(i.severity)} | ${cell(titleWithoutSeverity(i.title))} | ${i.action} | ${issueLink(i.issue)} |`);
    if (changed.length > 100) lines.push(`| | … and ${changed.length - 100} more | | |`);
    lines.push('');
  }

  const pending = result.issues.filter((i) => i.action === 'pending');
  if (pending.length > 0) {
    const issues = `${pending.length} issue${pending.length === 1 ? '' : 's'} (${result.pendingWrites} writes)`;
    // A dry run holds back every write, not only those over the cap.
    if (result.dryRun) lines.push(`**A real run would write:** ${issues}.`, '');
    else lines.push(`**Pending for the next run:** ${issues}: ${pendingReasons(result.pendingBy)}.`, '');
  }

  lines.push(
    `Cloudflare requests this month: ${result.quota.used} used, ${result.quota.remaining} left of ${result.quota.budget} (resets ${result.quota.resetDate}).`,
    '',
  );
  if (!result.state.saved) lines.push(`**State not saved.** ${cell(result.state.reason ?? '')}`, '');

  if (settings.failOn === 'none') {
    lines.push('Threshold: off.');
  } else if (result.threshold.breached) {
    lines.push(`**Threshold breached**: ${result.threshold.breaching.length} untriaged insight(s) at ${settings.failOn} or above:`, '');
    for (const i of result.threshold.breaching.slice(0, 10)) {
      const issue = result.threshold.issues[String(i.id)];
      const age = ageText(i.since, now.toISOString());
      const notes = [cell(i.severity), ...(age === null ? [] : [`first detected ${age}`]), ...(issue === undefined ? ['no issue yet'] : [])];
      lines.push(`- ${issue === undefined ? '' : `${issueLink(issue)} `}${cell(insightInWords(i))} (${notes.join(', ')})`);
    }
    if (result.threshold.breaching.length > 10) lines.push(`- … and ${result.threshold.breaching.length - 10} more`);
  } else {
    lines.push(`Threshold (${settings.failOn}, scope ${settings.failOnScope}): not breached.`);
  }
  return `${lines.join('\n')}\n`;
}

/** The job summary of a run that failed: why, so the failure is visible without opening the log. */
export function renderFailedRunSummary(line: string): string {
  return `## Cloudflare Security Insights\n\n**The run failed:** ${tableCellText(line, 1000)}\n`;
}
