import { SEVERITIES, type Severity } from './types.js';

/** Rank of a severity: Low 1 .. Critical 4; unknown severities rank 0. */
export function severityRank(severity: string): number {
  const canonical = canonicalSeverity(severity);
  return canonical ? SEVERITIES.indexOf(canonical) + 1 : 0;
}

/** `high`, `HIGH`, `High` -> `High`; anything else -> undefined. */
export function canonicalSeverity(value: string): Severity | undefined {
  const lower = value.trim().toLowerCase();
  return SEVERITIES.find((s) => s.toLowerCase() === lower);
}

export function isAtLeast(severity: string, threshold: Severity): boolean {
  return severityRank(severity) >= severityRank(threshold);
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
