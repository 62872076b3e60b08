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
  comment(issue: number, body: string): Promise<void>;
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
  /** Units not carried out: after a failure, an abort, or an issue found deleted. */
  notRun: PlanUnit[];
  writes: number;
  /** The error that stopped the run, if any (the state still records what was done). */
  failure?: unknown;
}

export interface ExecuteOptions {
  log: Logger;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
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
  let writes = 0;
  let failure: unknown;

  const labels = new Set<string>();
  for (const unit of plan.units) {
    for (const action of unit.actions) {
      if ('content' in action && action.content) action.content.labels.forEach((l) => labels.add(l));
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
      const issue = await runUnit(unit, writer);
      writes += unitWrites(unit);
      for (const [id, record] of Object.entries(unit.records)) records[id] = { ...record, issue: record.issue ?? issue };
      if (unit.group) groups[unit.group.issueClass] = { ...unit.group.record, issue: unit.group.record.issue ?? issue };
      done.push({ unit, issue });
    } catch (error) {
      if (error instanceof IssueGoneError) {
        options.log.warning(`Issue #${error.issue} for ${unit.subject} was deleted on GitHub; a new issue will be opened on the next run.`);
        for (const id of unit.insightIds) {
          const record = own(records, id);
          if (record && record.issue === error.issue) records[id] = { ...record, issue: null, state: 'pending' };
        }
        if (unit.group) {
          const g = own(groups, unit.group.issueClass);
          if (g) groups[unit.group.issueClass] = { ...g, issue: null, state: 'pending' };
        }
        notRun.push(unit);
        continue;
      }
      failure = error;
      notRun.push(unit);
    }
    options.onProgress?.(index + 1, total);
  }
  return { records, groups, done, notRun, writes, ...(failure !== undefined ? { failure } : {}) };
}

async function runUnit(unit: PlanUnit, writer: IssueWriter): Promise<number | null> {
  let issue = unit.issue;
  for (const action of unit.actions) {
    switch (action.kind) {
      case 'create':
        issue = (await writer.create(action.content, action.assignees, unit.key)).number;
        break;
      case 'update':
        await writer.update(action.issue, action.content);
        break;
      case 'comment':
        await writer.comment(action.issue, action.body);
        break;
      case 'close':
        await writer.comment(action.issue, action.comment);
        await writer.close(action.issue, action.reason, action.content);
        break;
      case 'reopen':
        await writer.reopen(action.issue, action.content);
        await writer.comment(action.issue, action.comment);
        break;
    }
  }
  return issue;
}
