import type { IssueContent } from '../github/types.js';
import type { GroupRecord, InsightRecord } from '../state/types.js';

/**
 * The issue's title, body and labels, rendered on the first call and kept: the planner
 * renders nothing, the executor calls it for the units it carries out.
 */
export type Render = () => IssueContent;

/** One write-side step against GitHub. */
export type SyncAction =
  | { kind: 'create'; render: Render; assignees: string[] }
  | { kind: 'update'; issue: number; render: Render; reason: string }
  | { kind: 'comment'; issue: number; body: string }
  | { kind: 'close'; issue: number; reason: 'completed' | 'not_planned'; comment: string; render?: Render }
  | { kind: 'reopen'; issue: number; comment: string; render: Render };

export type ActionKind = SyncAction['kind'];

/** What a unit does, for reports and outputs. */
export type UnitOutcome = 'created' | 'updated' | 'resolved' | 'dismissed' | 'reopened';

/** An action as counted and shown, without its content: `close` says how it closes. */
export interface ActionStep {
  kind: ActionKind;
  closeReason?: 'completed' | 'not_planned';
}

/**
 * What one issue (one insight, or one class with `group-by: class`) needs this run,
 * without the content: enough to order, count and show it. Units over the write cap stay
 * this small; the sync builds the actions and records only of the units it carries out.
 */
export interface PendingUnit {
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
  steps: ActionStep[];
}

/**
 * The actions for one issue, done together or not at all. The records are written to the
 * state only once every action of the unit succeeded; a create's issue number is filled
 * in then.
 */
export interface PlanUnit extends PendingUnit {
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
  deferred: PendingUnit[];
  noops: PlanNoop[];
  /** Records as they are if no unit runs: the state to build on. */
  baseRecords: Record<string, InsightRecord>;
  baseGroups: Record<string, GroupRecord>;
  /** GitHub writes the units will make, and those deferred. */
  writes: number;
  pendingWrites: number;
  /** Why closes were withheld, when they were. */
  closesWithheld?: string;
  /** Issues that carry the marker of a key that has its own issue (a person copied a body): left alone. */
  copies?: { issue: number; key: string; of: number }[];
}

/** Writes one action costs (a close or reopen also comments). */
export function writesOf(action: { kind: ActionKind }): number {
  return action.kind === 'close' || action.kind === 'reopen' ? 2 : 1;
}

export function unitWrites(unit: PendingUnit): number {
  return unit.steps.reduce((n, a) => n + writesOf(a), 0);
}

export function stepsOf(actions: readonly SyncAction[]): ActionStep[] {
  return actions.map((a) => (a.kind === 'close' ? { kind: a.kind, closeReason: a.reason } : { kind: a.kind }));
}
