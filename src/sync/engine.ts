import type { Settings } from '../config/settings.js';
import type { Logger } from '../log.js';
import { CfInsightsError, InternalError, errorMessage } from '../errors.js';
import { filterSignature } from '../insights/filter.js';
import { fingerprint } from '../insights/fingerprint.js';
import { maxSeverity } from '../insights/severity.js';
import { scopeKey, type Insight, type Inventory, type Scope } from '../insights/types.js';
import { emptyState, forRepository } from '../state/document.js';
import type { StateStore } from '../state/store.js';
import { idMap, insightRecord, own } from '../state/records.js';
import type { StateDocument } from '../state/types.js';
import { isoDay } from '../budget/dates.js';
import { RequestBudget } from '../budget/ledger.js';
import { estimateRequests } from '../budget/plans.js';
import { executePlan, type ExecutionResult, type IssueWriter } from './execute.js';
import { plan as makePlan } from './plan.js';
import { evaluateThreshold, type ThresholdResult } from './threshold.js';
import { isActive } from '../insights/status.js';
import { unitWrites, type PendingUnit, type Plan, type UnitOutcome } from './types.js';
import type { TrackedIssue } from '../github/types.js';

/** Where the inventory comes from: Cloudflare (spending the budget) or a saved file. */
export type InventorySource =
  | { kind: 'cloudflare'; fetch: (budget: RequestBudget, onPage?: (done: number, total: number) => void) => Promise<Inventory> }
  | { kind: 'file'; inventory: Inventory };

/** GitHub, as the engine sees it: one listing and the writes. */
export interface IssueTracker {
  repository: string;
  list(since: string | null): Promise<TrackedIssue[]>;
  writer: IssueWriter;
  /** Requests made so far, and the newest `updated_at` GitHub showed us. */
  stats(): { requests: number; writes: number; newestUpdate: string | null };
}

export interface EngineOptions {
  settings: Settings;
  scope: Scope;
  store: StateStore;
  source: InventorySource;
  /** Absent for a run that only reports. */
  tracker?: IssueTracker;
  log: Logger;
  now?: () => Date;
  signal?: AbortSignal;
  /** Write the state back (the CLI's --no-save turns it off). */
  save?: boolean;
  onProgress?: (phase: 'fetch' | 'write', done: number, total: number) => void;
}

export interface IssueOutcome {
  key: string;
  insightIds: string[];
  issue: number | null;
  action: UnitOutcome | 'pending';
  /** Why a pending unit waits: over `max-issue-writes`, its own write failed (tried again next run), the run stopped before it, or a dry run. */
  pendingReason?: PendingReason;
  severity: string;
  subject: string;
  title: string;
}

export type PendingReason = 'over-cap' | 'failed' | 'stopped' | 'dry-run';

export interface SyncResult {
  scope: string;
  insights: Insight[];
  complete: boolean;
  incompleteReason?: string;
  total: number;
  newIds: string[];
  counts: Record<UnitOutcome, number>;
  issues: IssueOutcome[];
  pendingWrites: number;
  /** Pending writes by why they wait. */
  pendingBy: Record<PendingReason, number>;
  maxSeverity: string | null;
  threshold: ThresholdResult;
  quota: { used: number; remaining: number; budget: number; resetDate: string; month: string };
  cloudflareRequests: number;
  github: { requests: number; writes: number; listing: 'full' | 'since' | 'none' } | null;
  state: { saved: boolean; reason?: string; location?: string };
  dryRun: boolean;
  plan: Plan | null;
  /** The error that stopped the writes, once the state was saved. */
  failure?: CfInsightsError;
}

const OUTCOMES: UnitOutcome[] = ['created', 'updated', 'resolved', 'dismissed', 'reopened'];

function toCfError(error: unknown): CfInsightsError {
  if (error instanceof CfInsightsError) return error;
  return new InternalError(`The run failed unexpectedly: ${errorMessage(error).split('\n')[0]}`, [String((error as Error)?.stack ?? '')]);
}

/**
 * One run of cf-insights, the same for the action and the CLI: load the state, fetch
 * the inventory within the budget, list the issues, plan, write, save the state.
 */
export async function runEngine(options: EngineOptions): Promise<SyncResult> {
  const now = options.now ?? (() => new Date());
  const { settings, log } = options;
  const scope = scopeKey(options.scope);
  const filters = filterSignature(settings.filters);
  const startedAt = now();

  const loaded = await options.store.load({ scope, filters });
  if (loaded.warning) log.warning(loaded.warning);
  if (loaded.notice) log.info(loaded.notice);
  for (const line of loaded.details ?? []) log.debug(line);
  const previous: StateDocument | null = loaded.state;
  const budget = new RequestBudget(previous?.quota, settings.budget, now);
  const save = options.save !== false;

  const stateFor = (patch: Partial<StateDocument>): StateDocument => ({
    ...(previous ?? emptyState({ scope, filters, now: startedAt })),
    ...patch,
    scope,
    filters,
    updatedAt: now().toISOString(),
    quota: budget.ledger(),
  });
  const saveState = async (doc: StateDocument) => {
    if (!save) return { saved: false, skipped: true, reason: 'this run does not save it (--no-save, or a dry run of a saved file)' };
    const result = await options.store.save(doc);
    if (result.notice) log.info(result.notice);
    if (!result.saved) {
      const reason = result.reason ?? 'The state was not saved.';
      // Not saved by design (a stateless run) is a notice; a failed save is a warning.
      if (result.skipped) log.info(reason);
      else log.warning(reason);
    }
    return result;
  };
  // A run that fails after spending requests keeps the ledger and changes nothing else.
  const keepLedger = () => saveState(stateFor({})).catch((e) => log.debug(`saving the ledger failed: ${String(e)}`));

  // 1. The inventory.
  let inventory: Inventory;
  if (options.source.kind === 'cloudflare') {
    budget.assertCanStart(estimateRequests(previous?.lastInventorySize ?? null));
    try {
      inventory = await options.source.fetch(budget, (done, total) => options.onProgress?.('fetch', done, total));
    } catch (error) {
      await keepLedger();
      throw error;
    }
  } else {
    inventory = options.source.inventory;
  }
  // The Cloudflare client has said why already, and what it means for the issues.
  if (!inventory.complete && options.source.kind === 'file') {
    log.warning(`The inventory is incomplete (${inventory.incompleteReason ?? 'unknown reason'}): no issue will be closed this run.`);
  }
  const insights = inventory.insights;
  const prevIds = new Set(Object.keys(previous?.insights ?? {}));

  // 2. GitHub.
  let planned: Plan | null = null;
  let executed: ExecutionResult | null = null;
  let listing: 'full' | 'since' | 'none' = 'none';
  let listedAt: string | null = previous?.github?.listedAt ?? null;
  const tracker = options.tracker;
  const dryRun = settings.github?.dryRun === true;
  if (tracker && settings.github) {
    const warm = previous?.github?.repository === tracker.repository ? previous.github.listedAt : null;
    listing = warm ? 'since' : 'full';
    // Issue numbers saved for another repository are never used here.
    const here = previous ? forRepository(previous, tracker.repository) : null;
    if (here?.setAside) {
      const what = `The saved state ${here.from ? `was written for ${here.from}, not ${tracker.repository}` : 'does not say which repository its issue numbers are of'}`;
      log.warning(
        `${what}: they are not used; this run lists the issues of ${tracker.repository}, adopts those with a cf-insights marker and opens the missing ones.`,
      );
    }
    let issues: TrackedIssue[];
    try {
      issues = await tracker.list(warm);
    } catch (error) {
      await keepLedger();
      throw error;
    }
    planned = makePlan({
      insights,
      complete: inventory.complete,
      incompleteReason: inventory.incompleteReason,
      state: here?.state ?? null,
      issues,
      settings: {
        scope: options.scope,
        filters: settings.filters,
        labels: settings.github.labels,
        assignees: settings.github.assignees,
        groupBy: settings.github.groupBy,
        closeResolved: settings.github.closeResolved,
        maxIssueWrites: settings.github.maxIssueWrites,
      },
      now: startedAt.toISOString(),
    });
    for (const copy of planned.copies ?? []) {
      log.warning(
        `Issue #${copy.issue} in ${tracker.repository} carries the cf-insights marker of ${copy.key}, whose issue is #${copy.of}: cf-insights leaves #${copy.issue} alone (a copy); remove the marker line from it to silence this.`,
      );
    }
    if (!dryRun) {
      // Listed = changed since the last run (or a lost state): one with comments may hold
      // ours from a run that stopped half-way, so its comments are looked at before posting.
      const recheckComments = new Set(issues.filter((i) => (i.comments ?? 0) > 0).map((i) => i.number));
      executed = await executePlan(planned, tracker.writer, {
        log,
        recheckComments,
        signal: options.signal,
        onProgress: (done, total) => options.onProgress?.('write', done, total),
      });
    }
    const newest = tracker.stats().newestUpdate;
    if (newest) listedAt = newest;
    else if (!listedAt) listedAt = startedAt.toISOString();
  }

  // 3. The new state: everything it held, plus what this run learned and did.
  const records = executed?.records ?? planned?.baseRecords ?? diffRecords(previous, insights, startedAt.toISOString());
  const groups = executed?.groups ?? planned?.baseGroups ?? previous?.groups ?? {};
  const nextState = dryRun
    ? stateFor({})
    : stateFor({
        insights: records,
        groups,
        lastCompleteAt: inventory.complete ? startedAt.toISOString() : previous?.lastCompleteAt ?? null,
        lastInventorySize: inventory.complete ? inventory.count : previous?.lastInventorySize ?? null,
        github: tracker ? { repository: tracker.repository, listedAt: listedAt ?? startedAt.toISOString() } : previous?.github ?? null,
      });
  const saved = await saveState(nextState);

  // 4. The result.
  // New: no record of it and, when GitHub was asked, no issue for it before this run.
  const newIds = insights
    .map((i) => String(i.id))
    .filter((id) => !prevIds.has(id) && (!planned || planned.baseRecords[id]?.issue == null) && records[id]?.state !== 'triaged');
  const threshold = evaluateThreshold({
    insights,
    failOn: settings.failOn,
    scope: settings.failOnScope,
    records,
    newIds: new Set(newIds),
  });
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<UnitOutcome, number>;
  const outcome = (unit: PendingUnit, issue: number | null, action: IssueOutcome['action']): IssueOutcome => ({
    key: unit.key,
    insightIds: unit.insightIds,
    issue,
    action,
    severity: unit.severity,
    subject: unit.subject,
    title: unit.title,
  });
  const issues: IssueOutcome[] = [];
  for (const done of executed?.done ?? []) {
    counts[done.unit.outcome] += 1;
    issues.push(outcome(done.unit, done.issue, done.unit.outcome));
  }
  const pendingUnits: [PendingUnit, PendingReason][] = !planned
    ? []
    : dryRun
      ? [...planned.units, ...planned.deferred].map((u) => [u, 'dry-run'])
      : [
          ...(executed?.failed ?? []).map((u): [PendingUnit, PendingReason] => [u, 'failed']),
          ...(executed?.notRun ?? []).map((u): [PendingUnit, PendingReason] => [u, 'stopped']),
          ...planned.deferred.map((u): [PendingUnit, PendingReason] => [u, 'over-cap']),
        ];
  const pendingBy: Record<PendingReason, number> = { 'over-cap': 0, failed: 0, stopped: 0, 'dry-run': 0 };
  for (const [unit, why] of pendingUnits) {
    issues.push({ ...outcome(unit, unit.issue, 'pending'), pendingReason: why });
    pendingBy[why] += unitWrites(unit);
  }
  const pendingWrites = pendingUnits.reduce((n, [u]) => n + unitWrites(u), 0);
  const stats = tracker?.stats();
  const result: SyncResult = {
    scope,
    insights,
    complete: inventory.complete,
    ...(inventory.incompleteReason ? { incompleteReason: inventory.incompleteReason } : {}),
    total: insights.length,
    newIds,
    counts,
    issues,
    pendingWrites,
    pendingBy,
    maxSeverity: maxSeverity(insights.filter((i) => i.dismissed !== true && isActive(i)).map((i) => String(i.severity))) ?? null,
    threshold,
    quota: {
      used: budget.used,
      remaining: budget.remaining,
      budget: budget.budget,
      resetDate: isoDay(budget.resetDate()),
      month: budget.ledger().month,
    },
    cloudflareRequests: options.source.kind === 'cloudflare' ? inventory.requests : 0,
    github: stats ? { requests: stats.requests, writes: stats.writes, listing } : null,
    state: {
      saved: saved.saved,
      ...(saved.reason ? { reason: saved.reason } : {}),
      ...('location' in saved && saved.location ? { location: saved.location } : {}),
    },
    dryRun,
    plan: planned,
  };
  if (executed?.failure !== undefined) result.failure = toCfError(executed.failure);
  return result;
}

/** Without GitHub (reports): remember what was seen, so `--new-only` knows it next time. */
function diffRecords(previous: StateDocument | null, insights: readonly Insight[], now: string): StateDocument['insights'] {
  const records = idMap(previous?.insights);
  for (const insight of insights) {
    const id = String(insight.id);
    const prev = own(records, id);
    records[id] = insightRecord(insight, prev?.fingerprint ?? fingerprint(insight), prev?.issue ?? null, prev?.state ?? 'pending', prev, now);
  }
  return records;
}
