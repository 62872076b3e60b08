import { SEVERITIES, type Severity } from './types.js';

// Looked up, not searched: both run in sort comparators over 100k insights.
const BY_NAME = new Map<string, Severity>(
  SEVERITIES.flatMap((s): [string, Severity][] => [
    [s, s],
    [s.toLowerCase(), s],
  ]),
);
const RANK = new Map<Severity, number>(SEVERITIES.map((s, i) => [s, i + 1]));

/** Rank of a severity, for sorting: Low 1 .. Critical 4; unknown severities rank 0 (listed after Low). */
export function severityRank(severity: string): number {
  const canonical = canonicalSeverity(severity);
  return canonical ? RANK.get(canonical)! : 0;
}

/** `high`, `HIGH`, `High` -> `High`; anything else -> undefined. */
export function canonicalSeverity(value: string): Severity | undefined {
  return BY_NAME.get(value) ?? BY_NAME.get(value.trim().toLowerCase());
}

/**
 * Whether an insight's severity reaches a threshold. Fail-safe: a severity this version
 * does not know (or none) counts as Critical here, so an API change can never let an
 * insight pass `fail-on-severity` unnoticed (the client also warns once per fetch).
 */
export function isAtLeast(severity: string, threshold: Severity): boolean {
  const rank = severityRank(severity);
  return (rank === 0 ? RANK.get('Critical')! : rank) >= severityRank(threshold);
}

/** Sort key helper: most severe first. */
export function compareSeverityDesc(a: string, b: string): number {
  return severityRank(b) - severityRank(a);
}

export function maxSeverity(severities: Iterable<string>): Severity | undefined {
  let best: Severity | undefined;
  for (const s of severities) {
    const c = canonicalSeverity(s);
    if (c && (!best || severityRank(c) > severityRank(best))) best = c;
  }
  return best;
}
