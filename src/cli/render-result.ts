import type { Settings } from '../config/settings.js';
import { stripControls as stripControl } from '../report/text.js';
import type { SyncResult } from '../sync/engine.js';
import type { Plan, PlanUnit } from '../sync/types.js';

function pad(text: string, width: number): string {
  const t = text.length > width ? `${text.slice(0, width - 1)}…` : text;
  return t.padEnd(width);
}

function actionWords(unit: PlanUnit): string {
  return unit.actions
    .map((a) => (a.kind === 'close' ? `close (${a.reason.replace('_', ' ')})` : a.kind))
    .join(' + ');
}

/** `--dry-run`: what would be created, edited, closed, and what waits. */
export function renderPlanTable(plan: Plan): string {
  const rows = [
    ...plan.units.map((u) => ({ u, when: 'now' })),
    ...plan.deferred.map((u) => ({ u, when: 'next run' })),
  ];
  if (rows.length === 0) return `Plan: nothing to write (${plan.noops.length} unchanged).\n`;
  const lines = [`${pad('ACTION', 26)} ${pad('ISSUE', 7)} ${pad('SEVERITY', 9)} ${pad('SUBJECT', 44)} WHY`];
  for (const { u, when } of rows) {
    const issue = u.issue === null ? 'new' : `#${u.issue}`;
    lines.push(`${pad(actionWords(u), 26)} ${pad(issue, 7)} ${pad(u.severity, 9)} ${pad(stripControl(u.subject), 44)} ${stripControl(u.reason)}${when === 'now' ? '' : ' (over the write cap: next run)'}`);
  }
  lines.push(`Plan: ${plan.units.length} issue${plan.units.length === 1 ? '' : 's'} to write (${plan.writes} writes), ${plan.deferred.length} over the cap (${plan.pendingWrites} writes), ${plan.noops.length} unchanged.`);
  if (plan.closesWithheld) lines.push(`No issue is closed: ${plan.closesWithheld}.`);
  return `${lines.join('\n')}\n`;
}

/** The few lines a person reads after a sync. */
export function renderSyncText(result: SyncResult, settings: Settings): string {
  const c = result.counts;
  const repo = settings.github ? `${settings.github.owner}/${settings.github.repo}` : '';
  const lines = [
    `${result.dryRun ? 'Dry run: ' : ''}${result.total} insight${result.total === 1 ? '' : 's'} in ${result.scope} (${result.newIds.length} new)${result.complete ? '' : `, INCOMPLETE: ${result.incompleteReason ?? ''}`}.`,
  ];
  if (!result.dryRun) {
    lines.push(`Issues in ${repo}: ${c.created} opened, ${c.updated} updated, ${c.resolved + c.dismissed} closed, ${c.reopened} reopened; ${result.pendingWrites} writes pending for the next run.`);
  }
  if (result.cloudflareRequests > 0 || result.quota.used > 0) {
    lines.push(`Cloudflare requests: ${result.cloudflareRequests} this run; ${result.quota.used} of ${result.quota.budget} used this month, ${result.quota.remaining} left (resets ${result.quota.resetDate}).`);
  }
  if (result.github) lines.push(`GitHub requests: ${result.github.requests} (${result.github.writes} writes, ${result.github.listing} listing).`);
  if (!result.state.saved && result.state.reason) lines.push(`State not saved: ${result.state.reason}.`);
  return `${lines.join('\n')}\n`;
}

/**
 * The `--json` result of `sync`: stable field names, documented in README.
 */
export function syncResultJson(result: SyncResult, settings: Settings) {
  return {
    scope: result.scope,
    repository: settings.github ? `${settings.github.owner}/${settings.github.repo}` : null,
    dryRun: result.dryRun,
    complete: result.complete,
    incompleteReason: result.incompleteReason ?? null,
    total: result.total,
    new: result.newIds.length,
    created: result.counts.created,
    updated: result.counts.updated,
    resolved: result.counts.resolved + result.counts.dismissed,
    reopened: result.counts.reopened,
    pendingWrites: result.pendingWrites,
    maxSeverity: result.maxSeverity,
    thresholdBreached: result.threshold.breached,
    breaching: result.threshold.breaching.map((i) => String(i.id)),
    requests: {
      cloudflare: result.cloudflareRequests,
      github: result.github?.requests ?? 0,
      used: result.quota.used,
      remaining: result.quota.remaining,
      budget: result.quota.budget,
      resetDate: result.quota.resetDate,
    },
    stateSaved: result.state.saved,
    issues: result.issues.map((i) => ({ insight: i.key, issue: i.issue, action: i.action, severity: i.severity })),
    plan: result.plan
      ? [...result.plan.units, ...result.plan.deferred].map((u) => ({
          key: u.key,
          issue: u.issue,
          severity: u.severity,
          actions: u.actions.map((a) => a.kind),
          reason: u.reason,
          deferred: result.plan!.deferred.includes(u),
        }))
      : [],
  };
}
