import { canonicalSeverity } from '../insights/severity.js';
import type { Insight } from '../insights/types.js';
import type { InsightRecord, RecordState } from './types.js';

/**
 * Maps keyed by ids and class names that came from the API. A plain `{}` would answer
 * `constructor` or `toString` with a member of Object.prototype, and an assignment to
 * `__proto__` would replace its prototype instead of adding an entry: these helpers make
 * any such name an id like any other.
 */

/** A map with no prototype, holding the own entries of `from`. */
export function idMap<T>(from?: Readonly<Record<string, T>> | null): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, from ?? {});
}

/** The own entry of `map` at `key`, never an inherited member. */
export function own<T>(map: Readonly<Record<string, T>> | null | undefined, key: string): T | undefined {
  return map && Object.hasOwn(map, key) ? map[key] : undefined;
}

/** The state's record of an insight as seen now; `firstSeen` carried over from `prev`. */
export function insightRecord(
  insight: Insight,
  fp: string,
  issue: number | null,
  state: RecordState,
  prev: InsightRecord | undefined,
  now: string,
): InsightRecord {
  return {
    fingerprint: fp,
    severity: canonicalSeverity(String(insight.severity)) ?? String(insight.severity),
    issueType: String(insight.issue_type),
    issueClass: String(insight.issue_class),
    subject: String(insight.subject),
    issue,
    state,
    firstSeen: prev?.firstSeen ?? now,
    lastSeen: now,
  };
}
