import type { IssueContent } from '../github/types.js';
import type { GroupRecord, InsightRecord } from '../state/types.js';

/** One write-side step against GitHub. */
export type SyncAction =
  | { kind: 'create'; content: IssueContent; assignees: string[] }
  | { kind: 'update'; issue: number; content: IssueContent; reason: string }
  | { kind: 'comment'; issue: number; body: string }
  | { kind: 'close'; issue: number; reason: 'completed' | 'not_planned'; comment: string; content?: IssueContent }
  | { kind: 'reopen'; issue: number; comment: string; content: IssueContent };

export type ActionKind = SyncAction['kind'];

/** What a unit does, for reports and outputs. */
export type UnitOutcome = 'created' | 'updated' | 'resolved' | 'dismissed' | 'reopened';

/**
 * The actions for one issue (one insight, or one class with `group-by: class`), done
 * together or not at all. The records are written to the state only once every
 * action of the unit succeeded; a create's issue number is filled in then.
 */
export interface PlanUnit {
  /** The marker id: the insight id, or `class:<issue_class>`. */
  key: string;
  /** Insight ids the unit speaks for (one, or the members of a class). */
  insightIds: string[];
  severity: string;
  subject: string;
  /** The issue's title as a person reads it: `[High] Dangling DNS record: a.example.com`. */
  title: string;
  issue: number | null;
  outcome: UnitOutcome;
  reason: string;
  actions: SyncAction[];
  /** Records to store when the unit succeeds (issue null means: the created issue). */
  records: Record<string, InsightRecord>;
  group?: { issueClass: string; record: GroupRecord };
}

/** A key left alone, and why: shown by `--dry-run` and the summary. */
export interface PlanNoop {
  key: string;
  issue: number | null;
  why: string;
}

export interface Plan {
  /** Units to carry out this run, most severe first. */
  units: PlanUnit[];
  /** Units over the write cap, carried to the next run. */
  deferred: PlanUnit[];
  noops: PlanNoop[];
  /** Records as they are if no unit runs: the state to build on. */
  baseRecords: Record<string, InsightRecord>;
  baseGroups: Record<string, GroupRecord>;
  /** GitHub writes the units will make, and those deferred. */
  writes: number;
  pendingWrites: number;
  /** Why closes were withheld, when they were. */
  closesWithheld?: string;
}

/** Writes one action costs (a close or reopen also comments). */
export function writesOf(action: SyncAction): number {
  return action.kind === 'close' || action.kind === 'reopen' ? 2 : 1;
}

export function unitWrites(unit: PlanUnit): number {
  return unit.actions.reduce((n, a) => n + writesOf(a), 0);
}
