import { isPerIssueFailure } from '../github/errors.js';
import type { IssueContent } from '../github/types.js';
import type { Logger } from '../log.js';
import { idMap, own } from '../state/records.js';
import type { GroupRecord, InsightRecord } from '../state/types.js';
import { unitWrites, type Plan, type PlanUnit } from './types.js';

/** The writes the executor needs; the engine backs it with octokit. */
export interface IssueWriter {
  ensureLabels(labels: string[]): Promise<void>;
  create(content: IssueContent, assignees: string[], markerId: string): Promise<{ number: number }>;
  update(issue: number, content: IssueContent): Promise<void>;
  /** `checkFirst`: the comment may be there already (an earlier run stopped half-way); look before posting. */
  comment(issue: number, body: string, options?: { checkFirst?: boolean }): Promise<void>;
  close(issue: number, reason: 'completed' | 'not_planned', content?: IssueContent): Promise<void>;
  reopen(issue: number, content: IssueContent): Promise<void>;
}

/** Thrown by a writer when the issue itself is gone (a person deleted or transferred it). */
export class IssueGoneError extends Error {
  constructor(readonly issue: number) {
    super(`issue #${issue} no longer exists`);
  }
}

export interface ExecutedUnit {
  unit: PlanUnit;
  issue: number | null;
}

export interface ExecutionResult {
  records: Record<string, InsightRecord>;
  groups: Record<string, GroupRecord>;
  done: ExecutedUnit[];
  /** Units not carried out: after a failure that stops the run, or an abort. */
  notRun: PlanUnit[];
  /** Units whose own issue refused a write (locked, refused): skipped, tried again next run. */
  failed: PlanUnit[];
  /** Units whose issue is gone from the repository (deleted, moved): its records forget it. */
  gone: PlanUnit[];
  writes: number;
  /** The error that stopped the run, if any (the state still records what was done). */
  failure?: unknown;
}

export interface ExecuteOptions {
  log: Logger;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Issues changed since the last run that have comments: a comment for them is looked for before it is posted. */
  recheckComments?: ReadonlySet<number>;
}

/**
 * Carries out a plan, unit by unit, in order. A unit's records reach the state only
 * when all its writes succeeded, so the state never claims an issue that does not exist.
 * The first hard failure stops the run; what was done is kept.
 */
export async function executePlan(plan: Plan, writer: IssueWriter, options: ExecuteOptions): Promise<ExecutionResult> {
  const records = idMap(plan.baseRecords);
  const groups = idMap(plan.baseGroups);
  const done: ExecutedUnit[] = [];
  const notRun: PlanUnit[] = [];
  const failed: PlanUnit[] = [];
  const lost: PlanUnit[] = [];
  let writes = 0;
  let failure: unknown;

  const labels = new Set<string>();
  for (const unit of plan.units) {
    for (const action of unit.actions) {
      if ('render' in action && action.render) for (const l of action.render().labels) labels.add(l);
    }
  }

  const total = plan.units.length;
  for (const [index, unit] of plan.units.entries()) {
    if (failure !== undefined || options.signal?.aborted) {
      notRun.push(unit);
      continue;
    }
    try {
      if (index === 0 && labels.size > 0) await writer.ensureLabels([...labels].sort());
      const issue = await runUnit(unit, writer, options.log, options.recheckComments ?? new Set());
      writes += unitWrites(unit);
      for (const [id, record] of Object.entries(unit.records)) records[id] = { ...record, issue: record.issue ?? issue };
      if (unit.group) groups[unit.group.issueClass] = { ...unit.group.record, issue: unit.group.record.issue ?? issue };
      done.push({ unit, issue });
    } catch (error) {
      const gone = goneIssue(error);
      if (gone !== null) {
        // Deleted or moved to another repository: no longer ours to write. The records
        // forget it; an insight still active gets a new issue here on the next run.
        const why = error instanceof IssueGoneError ? `Issue #${gone} was deleted on GitHub.` : errorLine(error);
        options.log.warning(`${why} ${unit.subject}: no longer tracked here; a new issue will be opened on the next run if the insight is still active.`);
        for (const id of unit.insightIds) {
          const record = own(records, id);
          if (record && record.issue === gone) records[id] = { ...record, issue: null, state: 'pending' };
        }
        if (unit.group) {
          const g = own(groups, unit.group.issueClass);
          if (g && g.issue === gone) groups[unit.group.issueClass] = { ...g, issue: null, state: 'pending' };
        }
        lost.push(unit);
      } else if (isPerIssueFailure(error)) {
        // This issue's own problem: the others are written; its records stay as they were,
        // so the next run plans the same writes again.
        options.log.warning(`${errorLine(error)} Skipped for ${unit.subject}; tried again on the next run.`);
        failed.push(unit);
      } else {
        failure = error;
        notRun.push(unit);
      }
    }
    options.onProgress?.(index + 1, total);
  }
  return { records, groups, done, notRun, failed, gone: lost, writes, ...(failure !== undefined ? { failure } : {}) };
}

/** The issue number a failure says is gone from the repository (deleted or moved), else null. */
function goneIssue(error: unknown): number | null {
  if (error instanceof IssueGoneError) return error.issue;
  if (isPerIssueFailure(error) && (error.kind === 'issue-gone' || error.kind === 'moved')) {
    const issue = (error as { issue?: unknown }).issue;
    return typeof issue === 'number' ? issue : null;
  }
  return null;
}

function errorLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

/**
 * A comment on a locked issue is refused (403); it only tells people what happened, so
 * the unit goes on without it (a locked issue is still closed, reopened, edited).
 */
async function commentUnlessLocked(writer: IssueWriter, issue: number, body: string, log: Logger, recheck: ReadonlySet<number>): Promise<void> {
  try {
    await writer.comment(issue, body, recheck.has(issue) ? { checkFirst: true } : undefined);
  } catch (error) {
    if (!(isPerIssueFailure(error) && error.kind === 'locked')) throw error;
    log.warning(`${errorLine(error)} The change is made without its comment.`);
  }
}

async function runUnit(unit: PlanUnit, writer: IssueWriter, log: Logger, recheck: ReadonlySet<number>): Promise<number | null> {
  let issue = unit.issue;
  for (const action of unit.actions) {
    switch (action.kind) {
      case 'create':
        issue = (await writer.create(action.render(), action.assignees, unit.key)).number;
        break;
      case 'update':
        await writer.update(action.issue, action.render());
        break;
      case 'comment':
        await commentUnlessLocked(writer, action.issue, action.body, log, recheck);
        break;
      case 'close':
        await commentUnlessLocked(writer, action.issue, action.comment, log, recheck);
        await writer.close(action.issue, action.reason, action.render?.());
        break;
      case 'reopen':
        await writer.reopen(action.issue, action.render());
        await commentUnlessLocked(writer, action.issue, action.comment, log, recheck);
        break;
    }
  }
  return issue;
}
