import type { Settings } from '../config/settings.js';
import { displayWidth, padEnd, singleLine, truncate } from '../report/text.js';
import { pendingReasons } from './summary.js';
import type { SyncResult } from '../sync/engine.js';
import type { PendingUnit, Plan } from '../sync/types.js';

const DEFAULT_WIDTH = 120;
const GAP = '  ';

function actionWords(unit: PendingUnit): string {
  return unit.steps.map((a) => (a.kind === 'close' && a.closeReason ? `close (${a.closeReason.replace('_', ' ')})` : a.kind)).join(' + ');
}

/**
 * `--dry-run`: what would be created, edited, closed or reopened, and what waits for a
 * later run (over the write cap). The title is the issue's title; API text is made
 * printable and cut to the terminal's width.
 */
export function renderPlanTable(plan: Plan, width = DEFAULT_WIDTH): string {
  const rows = [...plan.units.map((u) => ({ u, later: false })), ...plan.deferred.map((u) => ({ u, later: true }))].map(({ u, later }) => ({
    action: actionWords(u),
    issue: u.issue === null ? 'new' : `#${u.issue}`,
    title: singleLine(u.title),
    why: singleLine(u.reason) + (later ? ' (over the write cap: next run)' : ''),
  }));
  const summary = [
    `Plan: ${plan.units.length} issue${plan.units.length === 1 ? '' : 's'} to write (${plan.writes} writes), ${plan.deferred.length} over the cap (${plan.pendingWrites} writes), ${plan.noops.length} unchanged.`,
  ];
  if (plan.closesWithheld) summary.push(`No issue is closed: ${singleLine(plan.closesWithheld)}.`);
  if (rows.length === 0) return `${summary.join('\n')}\n`;

  const col = (values: string[], header: string, max: number) => Math.min(max, Math.max(displayWidth(header), ...values.map(displayWidth)));
  const w = {
    action: col(
      rows.map((r) => r.action),
      'ACTION',
      40,
    ),
    issue: col(
      rows.map((r) => r.issue),
      'ISSUE',
      8,
    ),
    why: col(
      rows.map((r) => r.why),
      'WHY',
      48,
    ),
    title: 0,
  };
  const natural = col(
    rows.map((r) => r.title),
    'TITLE',
    Number.MAX_SAFE_INTEGER,
  );
  w.title = Math.min(natural, Math.max(24, Math.max(width, 60) - (w.action + w.issue + w.why + GAP.length * 3)));
  const line = (cells: [string, string, string, string]) =>
    [padEnd(truncate(cells[0], w.action), w.action), padEnd(cells[1], w.issue), padEnd(truncate(cells[2], w.title), w.title), truncate(cells[3], w.why)]
      .join(GAP)
      .trimEnd();
  const lines = [line(['ACTION', 'ISSUE', 'TITLE', 'WHY'])];
  for (const r of rows) lines.push(line([r.action, r.issue, r.title, r.why]));
  return `${[...lines, ...summary].join('\n')}\n`;
}

/** The few lines a person reads after a sync. */
export function renderSyncText(result: SyncResult, settings: Settings): string {
  const c = result.counts;
  const repo = settings.github ? `${settings.github.owner}/${settings.github.repo}` : '';
  const lines = [
    `${result.dryRun ? 'Dry run: ' : ''}${result.total} insight${result.total === 1 ? '' : 's'} in ${result.scope} (${result.newIds.length} new)${result.complete ? '' : `, INCOMPLETE: ${singleLine(result.incompleteReason ?? 'unknown reason')}`}.`,
  ];
  if (!result.dryRun) {
    lines.push(
      `Issues in ${repo}: ${c.created} opened, ${c.updated} updated, ${c.resolved + c.dismissed} closed, ${c.reopened} reopened; ${result.pendingWrites} writes pending for the next run${result.pendingWrites > 0 ? ` (${pendingReasons(result.pendingBy)})` : ''}.`,
    );
  }
  if (result.cloudflareRequests > 0 || result.quota.used > 0) {
    lines.push(
      `Cloudflare requests: ${result.cloudflareRequests} this run; ${result.quota.used} of ${result.quota.budget} used this month, ${result.quota.remaining} left (resets ${result.quota.resetDate}).`,
    );
  }
  if (result.github && settings.github?.token) {
    lines.push(`GitHub requests: ${result.github.requests} (${result.github.writes} writes, ${result.github.listing} listing).`);
  }
  if (result.state.saved && result.state.location) lines.push(`State saved to ${result.state.location}.`);
  else if (!result.state.saved && result.state.reason) lines.push(`State not saved: ${result.state.reason.replace(/\.$/, '')}.`);
  return `${lines.join('\n')}\n`;
}
