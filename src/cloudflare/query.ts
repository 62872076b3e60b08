/** The request URL of one page of insights, with the filters pushed to the server. */
import type { InsightFilters, Scope, Severity } from '../insights/types.js';

/**
 * The severities the published API can filter on (its query enum is `low | moderate |
 * critical`: cloudflare-typescript, intel/attack-surface-report/issues.ts,
 * SeverityQueryParam). `High` has no query value: it is filtered on the client only.
 */
const API_SEVERITY: Partial<Record<Severity, string>> = { Low: 'low', Moderate: 'moderate', Critical: 'critical' };

/**
 * The severity parameters to send. An include list is sent only when the API can
 * express every value of it (an include list without `high` would drop the High
 * insights); an exclude list sends the values it can express. The client filters
 * again either way (applyFilters).
 */
export function severityParams(filters: Pick<InsightFilters, 'severity' | 'excludeSeverity'>): { include: string[]; exclude: string[] } {
  const include = filters.severity.map((s) => API_SEVERITY[s]);
  return {
    include: include.every((v) => v !== undefined) ? (include as string[]) : [],
    exclude: filters.excludeSeverity.flatMap((s) => API_SEVERITY[s] ?? []),
  };
}

export function insightsPath(basePath: string, scope: Scope): string {
  const prefix = basePath.replace(/\/+$/, '');
  return `${prefix}/${scope.kind}/${encodeURIComponent(scope.id)}/security-center/insights`;
}

/** The severity settings sent as no parameter at all, so applied only after the fetch. */
export function clientOnlySeverities(filters: Pick<InsightFilters, 'severity' | 'excludeSeverity'>): Severity[] {
  const sent = severityParams(filters);
  const include = sent.include.length === 0 ? filters.severity : [];
  const exclude = filters.excludeSeverity.filter((s) => API_SEVERITY[s] === undefined);
  return [...new Set([...include, ...exclude])];
}

/**
 * Query parameters, repeated per value as the API expects. Built by hand rather than
 * with URLSearchParams so that `~` in `severity~neq` stays literal.
 */
export function insightsQuery(filters: InsightFilters, page: number, perPage: number): string {
  const params: [string, string][] = [];
  const severity = severityParams(filters);
  for (const s of severity.include) params.push(['severity', s]);
  for (const s of severity.exclude) params.push(['severity~neq', s]);
  for (const t of filters.issueType) params.push(['issue_type', t]);
  for (const t of filters.excludeIssueType) params.push(['issue_type~neq', t]);
  if (!filters.includeDismissed) params.push(['dismissed', 'false']);
  params.push(['page', String(page)], ['per_page', String(perPage)]);
  return params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
}
