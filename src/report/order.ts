import { canonicalSeverity, severityRank } from '../insights/severity.js';
import { SEVERITIES, type Insight, type Severity } from '../insights/types.js';
import { str } from './text.js';

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Most severe first, then subject (case-insensitive first), then id: a total order, so every format lists the
 * same inventory the same way whatever order the API returned it in. Code-point
 * comparison, not locale, so the order does not depend on the machine.
 */
export function compareInsights(a: Insight, b: Insight): number {
  return (
    severityRank(str(b.severity)) - severityRank(str(a.severity)) ||
    compareText(str(a.subject).toLowerCase(), str(b.subject).toLowerCase()) ||
    compareText(str(a.subject), str(b.subject)) ||
    compareText(str(a.id), str(b.id))
  );
}

export function sortInsights<T extends Insight>(insights: readonly T[]): T[] {
  return [...insights].sort(compareInsights);
}

export type SeverityCounts = Record<Severity, number> & {
  /** Severities the tool does not know yet. */
  other: number;
  dismissed: number;
  total: number;
};

export function severityCounts(insights: readonly Insight[]): SeverityCounts {
  const counts: SeverityCounts = { Low: 0, Moderate: 0, High: 0, Critical: 0, other: 0, dismissed: 0, total: 0 };
  for (const insight of insights) {
    const severity = canonicalSeverity(str(insight.severity));
    if (severity) counts[severity] += 1;
    else counts.other += 1;
    if (insight.dismissed === true) counts.dismissed += 1;
    counts.total += 1;
  }
  return counts;
}

/** `25 insights: 3 critical, 7 high, 9 moderate, 6 low` (plus `n other`, `(n dismissed)` when any). */
export function formatSeverityCounts(counts: SeverityCounts): string {
  const noun = counts.total === 1 ? 'insight' : 'insights';
  if (counts.total === 0) return `0 ${noun}`;
  const parts = [...SEVERITIES].reverse().map((s) => `${counts[s]} ${s.toLowerCase()}`);
  if (counts.other > 0) parts.push(`${counts.other} other`);
  const dismissed = counts.dismissed > 0 ? ` (${counts.dismissed} dismissed)` : '';
  return `${counts.total} ${noun}: ${parts.join(', ')}${dismissed}`;
}
