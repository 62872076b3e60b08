import type { Settings } from '../config/settings.js';
import type { SyncResult } from '../sync/engine.js';

/**
 * The machine-readable result of a run, one vocabulary for `sync --json` and the action's
 * report file (README "The result as JSON"): counts under `counts`, lists under their own
 * names. Each step output of the action is one of these fields, named in kebab-case.
 */
export function resultJson(result: SyncResult, settings: Settings) {
  const c = result.counts;
  return {
    scope: result.scope,
    repository: settings.github ? `${settings.github.owner}/${settings.github.repo}` : null,
    dryRun: result.dryRun,
    complete: result.complete,
    incompleteReason: result.incompleteReason ?? null,
    counts: {
      total: result.total,
      new: result.newIds.length,
      created: c.created,
      updated: c.updated,
      // Every closing; `dismissed` says how many of them were dismissed.
      resolved: c.resolved + c.dismissed,
      dismissed: c.dismissed,
      reopened: c.reopened,
      pendingWrites: result.pendingWrites,
      pendingBy: result.pendingBy,
    },
    newIds: result.newIds,
    maxSeverity: result.maxSeverity,
    threshold: { breached: result.threshold.breached, breaching: result.threshold.breaching.map((i) => String(i.id)) },
    requests: {
      cloudflare: result.cloudflareRequests,
      github: result.github?.requests ?? 0,
      used: result.quota.used,
      remaining: result.quota.remaining,
      budget: result.quota.budget,
      resetDate: result.quota.resetDate,
    },
    state: { saved: result.state.saved, location: result.state.location ?? null, reason: result.state.reason ?? null },
    issues: result.issues.map((i) => ({
      insight: i.key,
      insightIds: i.insightIds,
      issue: i.issue,
      action: i.action,
      severity: i.severity,
      subject: i.subject,
      title: i.title,
      ...(i.pendingReason ? { pending: i.pendingReason } : {}),
    })),
    plan: result.plan
      ? [...result.plan.units.map((u) => [u, false] as const), ...result.plan.deferred.map((u) => [u, true] as const)].map(([u, deferred]) => ({
          insight: u.key,
          issue: u.issue,
          severity: u.severity,
          title: u.title,
          actions: u.steps.map((a) => a.kind),
          reason: u.reason,
          deferred,
        }))
      : [],
  };
}

export type ResultJson = ReturnType<typeof resultJson>;

/** The action's report file: the result as JSON, and the inventory the run saw. */
export function reportFileJson(result: SyncResult, settings: Settings) {
  return { ...resultJson(result, settings), insights: result.insights };
}

/** Pending issues listed in the `issues` output at most: a step output is limited to 1 MB. */
const MAX_PENDING_IN_OUTPUT = 1000;

/** The action's step outputs: each is a field of the result as JSON, but `report-file`, the report file's path. */
export function actionOutputs(json: ResultJson, reportFile: string | null): Record<string, string | number | boolean> {
  let pending = 0;
  // Every issue written, and the first pending ones (most severe first); the report file has all.
  const issues = json.issues
    .filter((i) => i.action !== 'pending' || ++pending <= MAX_PENDING_IN_OUTPUT)
    .map((i) => ({ insight: i.insight, issue: i.issue, action: i.action, ...(i.pending ? { pending: i.pending } : {}) }));
  return {
    total: json.counts.total,
    new: json.counts.new,
    updated: json.counts.updated,
    resolved: json.counts.resolved,
    reopened: json.counts.reopened,
    'pending-writes': json.counts.pendingWrites,
    'max-severity': json.maxSeverity ?? '',
    'threshold-breached': json.threshold.breached,
    'requests-used': json.requests.used,
    'requests-remaining': json.requests.remaining,
    'state-saved': json.state.saved,
    'report-file': reportFile ?? '',
    issues: JSON.stringify(issues),
  };
}
