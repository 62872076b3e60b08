import { fingerprint } from '../insights/fingerprint.js';
import { severityRank } from '../insights/severity.js';
import type { Insight } from '../insights/types.js';
import type { InsightRecord, StateDocument } from './types.js';

export interface ChangedInsight {
  insight: Insight;
  record: InsightRecord;
  /** What changed, for the log and the issue comment: `severity: High -> Critical`, ..., or `content`. */
  changes: string[];
}

export interface GoneInsight {
  id: string;
  record: InsightRecord;
}

export interface StateDiff {
  new: Insight[];
  changed: ChangedInsight[];
  unchanged: Insight[];
  gone: GoneInsight[];
}

/** Record fields compared by name, with the name a reader knows them by (the API's). */
const NAMED_FIELDS = [
  ['severity', 'severity'],
  ['issueType', 'issue_type'],
  ['issueClass', 'issue_class'],
  ['subject', 'subject'],
] as const satisfies readonly (readonly [keyof InsightRecord, keyof Insight])[];

/**
 * What the inventory says against what the state remembers. Pure. Every list is in a
 * stable order: insights by severity (most severe first), then subject, then id; gone
 * records by id. An id seen twice in the inventory counts once (its first occurrence).
 *
 * Gone: records absent from the inventory that are not already resolved or dismissed.
 * Whether they may be closed (complete inventory, filters) is the planner's decision.
 */
export function diff(inventory: readonly Insight[], state: StateDocument | null): StateDiff {
  const records = state?.insights ?? {};
  const result: StateDiff = { new: [], changed: [], unchanged: [], gone: [] };
  const seen = new Set<string>();

  for (const insight of inventory) {
    if (seen.has(insight.id)) continue;
    seen.add(insight.id);
    const record = Object.hasOwn(records, insight.id) ? records[insight.id] : undefined;
    if (!record) {
      result.new.push(insight);
      continue;
    }
    const changes = changesOf(insight, record);
    if (changes.length === 0) result.unchanged.push(insight);
    else result.changed.push({ insight, record, changes });
  }

  for (const id of Object.keys(records)) {
    const record = records[id]!;
    if (seen.has(id) || record.state === 'resolved' || record.state === 'dismissed') continue;
    result.gone.push({ id, record });
  }

  result.new = sortBy(result.new, (i) => i);
  result.unchanged = sortBy(result.unchanged, (i) => i);
  result.changed = sortBy(result.changed, (c) => c.insight);
  result.gone.sort((a, b) => compareText(a.id, b.id));
  return result;
}

/** The named fields that differ; `content` when only the fingerprint does; [] when nothing does. */
export function changesOf(insight: Insight, record: InsightRecord): string[] {
  const changes: string[] = [];
  for (const [recordField, insightField] of NAMED_FIELDS) {
    const was = record[recordField];
    const now = String(insight[insightField] ?? '');
    if (was !== now) changes.push(`${insightField}: ${was} -> ${now}`);
  }
  if (changes.length === 0 && fingerprint(insight) !== record.fingerprint) changes.push('content');
  return changes;
}

/** Most severe first, then subject, then id; code-unit order so it does not depend on the locale. */
export function compareInsights(a: Insight, b: Insight): number {
  return (
    severityRank(String(b.severity)) - severityRank(String(a.severity)) ||
    compareText(String(a.subject), String(b.subject)) ||
    compareText(a.id, b.id)
  );
}

/** Sorts by compareInsights() with the severity ranks computed once per item, not per comparison. */
function sortBy<T>(items: T[], insightOf: (item: T) => Insight): T[] {
  const keyed = items.map((item) => {
    const insight = insightOf(item);
    return { item, rank: severityRank(String(insight.severity)), subject: String(insight.subject), id: insight.id };
  });
  keyed.sort((a, b) => b.rank - a.rank || compareText(a.subject, b.subject) || compareText(a.id, b.id));
  return keyed.map((k) => k.item);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
