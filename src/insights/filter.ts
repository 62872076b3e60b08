import { canonicalSeverity } from './severity.js';
import type { Insight, InsightFilters } from './types.js';

/**
 * The client-side safety net: the same filters the server was asked to apply.
 * Include lists first (an empty list includes everything), then excludes.
 */
export function matchesFilters(insight: Insight, filters: InsightFilters): boolean {
  const severity = canonicalSeverity(String(insight.severity ?? ''));
  const type = String(insight.issue_type ?? '').toLowerCase();
  if (filters.severity.length > 0 && (!severity || !filters.severity.includes(severity))) return false;
  if (filters.issueType.length > 0 && !filters.issueType.includes(type)) return false;
  if (severity && filters.excludeSeverity.includes(severity)) return false;
  if (filters.excludeIssueType.includes(type)) return false;
  if (!filters.includeDismissed && insight.dismissed === true) return false;
  return true;
}

export function applyFilters(insights: readonly Insight[], filters: InsightFilters): Insight[] {
  return insights.filter((i) => matchesFilters(i, filters));
}

/** A stable text form of the filters, used in the state and the default cache key. */
export function filterSignature(filters: InsightFilters): string {
  const sorted = (xs: readonly string[]) =>
    [...xs]
      .map((x) => x.toLowerCase())
      .sort()
      .join(',');
  return [
    `severity=${sorted(filters.severity)}`,
    `exclude-severity=${sorted(filters.excludeSeverity)}`,
    `issue-type=${sorted(filters.issueType)}`,
    `exclude-issue-type=${sorted(filters.excludeIssueType)}`,
    `include-dismissed=${filters.includeDismissed}`,
  ].join(';');
}

export const NO_FILTERS: InsightFilters = {
  severity: [],
  excludeSeverity: [],
  issueType: [],
  excludeIssueType: [],
  includeDismissed: false,
};
