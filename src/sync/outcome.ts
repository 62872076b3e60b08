import type { Settings } from '../config/settings.js';
import { CfInsightsError, InternalError, errorMessage } from '../errors.js';
import type { TrackedIssue } from '../github/types.js';
import { fingerprint } from '../insights/fingerprint.js';
import { maxSeverity } from '../insights/severity.js';
import { isActive } from '../insights/status.js';
import type { Insight, Inventory } from '../insights/types.js';
import { emptyState } from '../state/document.js';
import { idMap, insightRecord, own } from '../state/records.js';
import type { LoadResult, SaveResult } from '../state/store.js';
import type { GroupRecord, InsightRecord, StateDocument } from '../state/types.js';
import type { ExecutionResult } from './execute.js';
import { evaluateThreshold, type ThresholdResult } from './threshold.js';
import { unitWrites, type PendingUnit, type Plan, type UnitOutcome } from './types.js';

/**
 * The rules of one run that are not the plan's: which listing to ask for, what the next
 * state holds, what counts as new, what waits and why, and the result. Pure: the engine
 * (./engine.ts) only sequences the I/O around them.
 */

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

export type Listing = 'full' | 'since' | 'none';

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
  github: { requests: number; writes: number; listing: Listing } | null;
  state: { saved: boolean; reason?: string; location?: string };
  dryRun: boolean;
  plan: Plan | null;
  /** The error that stopped the writes, once the state was saved. */
  failure?: CfInsightsError;
}

const OUTCOMES: UnitOutcome[] = ['created', 'updated', 'resolved', 'dismissed', 'reopened'];

/** A warm run lists only the issues changed since the last listing of the same repository; any other run lists them all. */
export function listingFor(previous: StateDocument | null, repository: string): { listing: 'full' | 'since'; since: string | null } {
  const since = previous?.github?.repository === repository ? previous.github.listedAt : null;
  return since ? { listing: 'since', since } : { listing: 'full', since: null };
}

/** The next `since`: the newest change GitHub showed, else the last one known, else the start of this run. */
export function listedAtAfter(previous: StateDocument | null, newestUpdate: string | null, startedAt: string): string {
  return newestUpdate ?? previous?.github?.listedAt ?? startedAt;
}

/** Listed = changed since the last run (or a lost state): one with comments may hold ours from a run that stopped half-way. */
export function issuesToRecheck(issues: readonly TrackedIssue[]): Set<number> {
  return new Set(issues.filter((i) => (i.comments ?? 0) > 0).map((i) => i.number));
}

/** What the run says about its inputs before it plans: each line a warning. */
export function inputWarnings(args: {
  inventory: Pick<Inventory, 'complete' | 'incompleteReason'>;
  source: 'cloudflare' | 'file';
  repository?: string;
  setAside?: { setAside: boolean; from: string | null } | null;
}): string[] {
  const out: string[] = [];
  // The Cloudflare client has said why already, and what it means for the issues.
  if (!args.inventory.complete && args.source === 'file') {
    out.push(`The inventory is incomplete (${args.inventory.incompleteReason ?? 'unknown reason'}): no issue will be closed this run.`);
  }
  const repo = args.repository;
  if (repo && args.setAside?.setAside) {
    const from = args.setAside.from;
    const what = `The saved state ${from ? `was written for ${from}, not ${repo}` : 'does not say which repository its issue numbers are of'}`;
    out.push(`${what}: they are not used; this run lists the issues of ${repo}, adopts those with a cf-insights marker and opens the missing ones.`);
  }
  return out;
}

export function copyWarnings(copies: Plan['copies'], repository: string): string[] {
  return (copies ?? []).map(
    (copy) =>
      `Issue #${copy.issue} in ${repository} carries the cf-insights marker of ${copy.key}, whose issue is #${copy.of}: cf-insights leaves #${copy.issue} alone (a copy); remove the marker line from it to silence this.`,
  );
}

/** What to say about a load: what went wrong as a warning, a notice as information, the details for debugging. */
export function loadMessages(result: LoadResult): { level: 'debug' | 'info' | 'warning'; text: string }[] {
  return [
    ...(result.warning ? [{ level: 'warning' as const, text: result.warning }] : []),
    ...(result.notice ? [{ level: 'info' as const, text: result.notice }] : []),
    ...(result.details ?? []).map((text) => ({ level: 'debug' as const, text })),
  ];
}

export const NOT_SAVING: SaveResult = { saved: false, skipped: true, reason: 'this run does not save it (--no-save, or a dry run of a saved file)' };

/** What to say about a save: a notice for what the store wanted said or a save skipped by design, a warning for a failed one. */
export function saveMessages(result: SaveResult): { level: 'info' | 'warning'; text: string }[] {
  const out: { level: 'info' | 'warning'; text: string }[] = [];
  if (result.notice) out.push({ level: 'info', text: result.notice });
  if (!result.saved) out.push({ level: result.skipped ? 'info' : 'warning', text: result.reason ?? 'The state was not saved.' });
  return out;
}

/** The document to save: the previous one (or a new one), the patch, and always this run's scope, filters, time and ledger. */
export function stateDocument(args: {
  previous: StateDocument | null;
  scope: string;
  filters: string;
  startedAt: Date;
  updatedAt: Date;
  quota: StateDocument['quota'];
  patch: Partial<StateDocument>;
}): StateDocument {
  return {
    ...(args.previous ?? emptyState({ scope: args.scope, filters: args.filters, now: args.startedAt })),
    ...args.patch,
    scope: args.scope,
    filters: args.filters,
    updatedAt: args.updatedAt.toISOString(),
    quota: args.quota,
  };
}

/** The records after the run: what the writes left, else what the plan built on, else (no GitHub) what was seen. */
export function recordsAfter(args: {
  executed: ExecutionResult | null;
  planned: Plan | null;
  previous: StateDocument | null;
  insights: readonly Insight[];
  startedAt: string;
}): { records: Record<string, InsightRecord>; groups: Record<string, GroupRecord> } {
  const { executed, planned, previous } = args;
  return {
    records: executed?.records ?? planned?.baseRecords ?? seenRecords(previous, args.insights, args.startedAt),
    groups: executed?.groups ?? planned?.baseGroups ?? previous?.groups ?? {},
  };
}

/** Without GitHub (reports): remember what was seen, so `--new-only` knows it next time. */
function seenRecords(previous: StateDocument | null, insights: readonly Insight[], now: string): StateDocument['insights'] {
  const records = idMap(previous?.insights);
  for (const insight of insights) {
    const id = String(insight.id);
    const prev = own(records, id);
    records[id] = insightRecord(insight, prev?.fingerprint ?? fingerprint(insight), prev?.issue ?? null, prev?.state ?? 'pending', prev, now);
  }
  return records;
}

/**
 * Everything the state held, plus what this run learned and did. A dry run changes only
 * the ledger; an incomplete inventory keeps the last complete time and size.
 */
export function nextStatePatch(args: {
  previous: StateDocument | null;
  dryRun: boolean;
  inventory: Pick<Inventory, 'complete' | 'count'>;
  records: Record<string, InsightRecord>;
  groups: Record<string, GroupRecord>;
  startedAt: string;
  github: { repository: string; listedAt: string } | null;
}): Partial<StateDocument> {
  const { previous, inventory } = args;
  if (args.dryRun) return {};
  return {
    insights: args.records,
    groups: args.groups,
    lastCompleteAt: inventory.complete ? args.startedAt : (previous?.lastCompleteAt ?? null),
    lastInventorySize: inventory.complete ? inventory.count : (previous?.lastInventorySize ?? null),
    github: args.github ?? previous?.github ?? null,
  };
}

/** New: no record of it and, when GitHub was asked, no issue for it before this run; a triaged one is not new. */
export function newInsightIds(args: {
  insights: readonly Insight[];
  previous: StateDocument | null;
  planned: Plan | null;
  records: Record<string, InsightRecord>;
}): string[] {
  const known = args.previous?.insights ?? {};
  const { planned, records } = args;
  return args.insights
    .map((i) => String(i.id))
    .filter((id) => !Object.hasOwn(known, id) && (!planned || planned.baseRecords[id]?.issue == null) && records[id]?.state !== 'triaged');
}

/** The units that wait, and why: all of them in a dry run; else the failed, those the run stopped before, and those over the cap. */
export function pendingUnits(planned: Plan | null, executed: ExecutionResult | null, dryRun: boolean): [PendingUnit, PendingReason][] {
  if (!planned) return [];
  if (dryRun) return [...planned.units, ...planned.deferred].map((u) => [u, 'dry-run']);
  return [
    ...(executed?.failed ?? []).map((u): [PendingUnit, PendingReason] => [u, 'failed']),
    ...(executed?.notRun ?? []).map((u): [PendingUnit, PendingReason] => [u, 'stopped']),
    ...planned.deferred.map((u): [PendingUnit, PendingReason] => [u, 'over-cap']),
  ];
}

export function toCfError(error: unknown): CfInsightsError {
  if (error instanceof CfInsightsError) return error;
  return new InternalError(`The run failed unexpectedly: ${errorMessage(error).split('\n')[0]}`, [String((error as Error)?.stack ?? '')]);
}

export interface ResultInput {
  scope: string;
  inventory: Inventory;
  source: 'cloudflare' | 'file';
  settings: Pick<Settings, 'failOn' | 'failOnScope'>;
  dryRun: boolean;
  planned: Plan | null;
  executed: ExecutionResult | null;
  records: Record<string, InsightRecord>;
  newIds: string[];
  quota: SyncResult['quota'];
  github: { requests: number; writes: number; listing: Listing } | null;
  saved: SaveResult;
}

/** The result of a run, as every view shows it. */
export function syncResult(input: ResultInput): SyncResult {
  const { inventory, planned, executed } = input;
  const insights = inventory.insights;
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
  const pendingBy: Record<PendingReason, number> = { 'over-cap': 0, failed: 0, stopped: 0, 'dry-run': 0 };
  let pendingWrites = 0;
  for (const [unit, why] of pendingUnits(planned, executed, input.dryRun)) {
    issues.push({ ...outcome(unit, unit.issue, 'pending'), pendingReason: why });
    pendingBy[why] += unitWrites(unit);
    pendingWrites += unitWrites(unit);
  }
  const { saved } = input;
  const result: SyncResult = {
    scope: input.scope,
    insights,
    complete: inventory.complete,
    ...(inventory.incompleteReason ? { incompleteReason: inventory.incompleteReason } : {}),
    total: insights.length,
    newIds: input.newIds,
    counts,
    issues,
    pendingWrites,
    pendingBy,
    maxSeverity: maxSeverity(insights.filter((i) => i.dismissed !== true && isActive(i)).map((i) => String(i.severity))) ?? null,
    threshold: evaluateThreshold({
      insights,
      failOn: input.settings.failOn,
      scope: input.settings.failOnScope,
      records: input.records,
      newIds: new Set(input.newIds),
    }),
    quota: input.quota,
    cloudflareRequests: input.source === 'cloudflare' ? inventory.requests : 0,
    github: input.github,
    state: {
      saved: saved.saved,
      ...(saved.reason ? { reason: saved.reason } : {}),
      ...(saved.location ? { location: saved.location } : {}),
    },
    dryRun: input.dryRun,
    plan: planned,
  };
  if (executed?.failure !== undefined) result.failure = toCfError(executed.failure);
  return result;
}
