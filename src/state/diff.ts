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
 * stable order: new and changed insights by severity (most severe first), then subject,
 * then id, as a person reads them; unchanged ones in inventory order (nothing is shown or
 * written for them, and sorting ~100k of them was a fifth of the diff's cost); gone
 * records by id. An id seen twice in the inventory counts once (its first occurrence).
 *
 * Gone: records absent from the inventory that are not already resolved or dismissed.
 * Whether they may be closed (complete inventory, filters) is the planner's decision.
 */
export function diff(inventory: readonly Insight[], state: StateDocument | null): StateDiff {
  // A Map: ids parsed from the API are then looked up by hash, without first being
  // internalised as property keys of a 100k-key object.
  const records = new Map<string, InsightRecord>();
  const saved = state?.insights ?? {};
  for (const id in saved) if (Object.hasOwn(saved, id)) records.set(id, saved[id]!);

  const result: StateDiff = { new: [], changed: [], unchanged: [], gone: [] };
  const seen = new Set<string>();
  for (const insight of inventory) {
    if (seen.has(insight.id)) continue;
    seen.add(insight.id);
    const record = records.get(insight.id);
    if (!record) {
      result.new.push(insight);
      continue;
    }
    const changes = changesOf(insight, record);
    if (changes.length === 0) result.unchanged.push(insight);
    else result.changed.push({ insight, record, changes });
  }

  for (const [id, record] of records) {
    if (seen.has(id) || record.state === 'resolved' || record.state === 'dismissed') continue;
    result.gone.push({ id, record });
  }

  result.new = sortBy(result.new, (i) => i);
  result.changed = sortBy(result.changed, (c) => c.insight);
  result.gone.sort((a, b) => compareText(a.id, b.id));
  return result;
}

/** The named fields that differ; `content` when only the fingerprint does; [] when nothing does. */
export function changesOf(insight: Insight, record: InsightRecord): string[] {
  let changes: string[] | undefined;
  for (const [recordField, insightField] of NAMED_FIELDS) {
    const was = record[recordField];
    const now = String(insight[insightField] ?? '');
    if (was !== now) {
      changes ??= [];
      changes.push(`${insightField}: ${was} -> ${now}`);
    }
  }
  if (changes) return changes;
  return fingerprint(insight) === record.fingerprint ? [] : ['content'];
}

/** Most severe first, then subject, then id; code-unit order so it does not depend on the locale. */
export function compareInsights(a: Insight, b: Insight): number {
  return severityRank(String(b.severity)) - severityRank(String(a.severity)) || compareText(String(a.subject), String(b.subject)) || compareText(a.id, b.id);
}

/**
 * Sorts by compareInsights(): items bucketed by severity rank first (a handful of
 * buckets), then each bucket sorted by subject and id, with the keys read once per item.
 */
function sortBy<T>(items: T[], insightOf: (item: T) => Insight): T[] {
  const buckets = new Map<number, { item: T; subject: string; id: string }[]>();
  for (const item of items) {
    const insight = insightOf(item);
    const rank = severityRank(String(insight.severity));
    let bucket = buckets.get(rank);
    if (!bucket) {
      bucket = [];
      buckets.set(rank, bucket);
    }
    bucket.push({ item, subject: String(insight.subject), id: insight.id });
  }
  const out: T[] = [];
  for (const rank of [...buckets.keys()].sort((a, b) => b - a)) {
    const bucket = buckets.get(rank)!;
    bucket.sort((a, b) => compareText(a.subject, b.subject) || compareText(a.id, b.id));
    for (const entry of bucket) out.push(entry.item);
  }
  return out;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
