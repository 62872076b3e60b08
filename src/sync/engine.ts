import type { Settings } from '../config/settings.js';
import type { Logger } from '../log.js';
import type { TrackedIssue } from '../github/types.js';
import { filterSignature } from '../insights/filter.js';
import { scopeKey, type Inventory, type Scope } from '../insights/types.js';
import { forRepository } from '../state/document.js';
import type { StateStore } from '../state/store.js';
import type { StateDocument } from '../state/types.js';
import { isoDay } from '../budget/dates.js';
import { RequestBudget } from '../budget/ledger.js';
import { estimateRequests } from '../budget/plans.js';
import { executePlan, type ExecutionResult, type IssueWriter } from './execute.js';
import { plan as makePlan } from './plan.js';
import type { Plan } from './types.js';
import {
  NOT_SAVING,
  copyWarnings,
  inputWarnings,
  issuesToRecheck,
  listedAtAfter,
  listingFor,
  loadMessages,
  newInsightIds,
  nextStatePatch,
  recordsAfter,
  saveMessages,
  stateDocument,
  syncResult,
  type Listing,
  type SyncResult,
} from './outcome.js';

export type { IssueOutcome, PendingReason, SyncResult } from './outcome.js';

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

/**
 * One run of cf-insights, the same for the action and the CLI: load the state, fetch
 * the inventory within the budget, list the issues, plan, write, save the state.
 */
export async function runEngine(options: EngineOptions): Promise<SyncResult> {
  const now = options.now ?? (() => new Date());
  const { settings, log, tracker } = options;
  const scope = scopeKey(options.scope);
  const filters = filterSignature(settings.filters);
  const startedAt = now();
  const started = startedAt.toISOString();
  const dryRun = settings.github?.dryRun === true;

  const loaded = await options.store.load({ scope, filters });
  for (const { level, text } of loadMessages(loaded)) log[level](text);
  const previous: StateDocument | null = loaded.state;
  const budget = new RequestBudget(previous?.quota, settings.budget, now);

  const stateFor = (patch: Partial<StateDocument>) => stateDocument({ previous, scope, filters, startedAt, updatedAt: now(), quota: budget.ledger(), patch });
  const saveState = async (doc: StateDocument) => {
    if (options.save === false) return NOT_SAVING;
    const result = await options.store.save(doc);
    for (const { level, text } of saveMessages(result)) log[level](text);
    return result;
  };
  // A run that fails after spending requests keeps the ledger and changes nothing else.
  const keepingLedger = async <T>(step: () => Promise<T>): Promise<T> => {
    try {
      return await step();
    } catch (error) {
      await saveState(stateFor({})).catch((e) => log.debug(`saving the ledger failed: ${String(e)}`));
      throw error;
    }
  };

  // 1. The inventory.
  const source = options.source;
  let inventory: Inventory;
  if (source.kind === 'cloudflare') {
    budget.assertCanStart(estimateRequests(previous?.lastInventorySize ?? null));
    inventory = await keepingLedger(() => source.fetch(budget, (done, total) => options.onProgress?.('fetch', done, total)));
  } else {
    inventory = source.inventory;
  }
  const insights = inventory.insights;

  // 2. GitHub: list, plan, write.
  let planned: Plan | null = null;
  let executed: ExecutionResult | null = null;
  let github: { repository: string; listedAt: string } | null = null;
  let listing: Listing = 'none';
  // Issue numbers saved for another repository are never used here.
  const here = tracker && settings.github && previous ? forRepository(previous, tracker.repository) : null;
  for (const line of inputWarnings({ inventory, source: source.kind, repository: tracker?.repository, setAside: here })) log.warning(line);
  if (tracker && settings.github) {
    const asked = listingFor(previous, tracker.repository);
    listing = asked.listing;
    const issues = await keepingLedger(() => tracker.list(asked.since));
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
      now: started,
    });
    for (const line of copyWarnings(planned.copies, tracker.repository)) log.warning(line);
    if (!dryRun) {
      executed = await executePlan(planned, tracker.writer, {
        log,
        recheckComments: issuesToRecheck(issues),
        signal: options.signal,
        onProgress: (done, total) => options.onProgress?.('write', done, total),
      });
    }
    github = { repository: tracker.repository, listedAt: listedAtAfter(previous, tracker.stats().newestUpdate, started) };
  }

  // 3. The new state.
  const { records, groups } = recordsAfter({ executed, planned, previous, insights, startedAt: started });
  const saved = await saveState(stateFor(nextStatePatch({ previous, dryRun, inventory, records, groups, startedAt: started, github })));

  // 4. The result.
  const stats = tracker?.stats();
  return syncResult({
    scope,
    inventory,
    source: source.kind,
    settings,
    dryRun,
    planned,
    executed,
    records,
    newIds: newInsightIds({ insights, previous, planned, records }),
    quota: { used: budget.used, remaining: budget.remaining, budget: budget.budget, resetDate: isoDay(budget.resetDate()), month: budget.ledger().month },
    github: stats ? { requests: stats.requests, writes: stats.writes, listing } : null,
    saved,
  });
}
