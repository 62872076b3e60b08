/** The request URL of one page of insights, with the filters pushed to the server. */
import type { InsightFilters, Scope } from '../insights/types.js';

export function insightsPath(basePath: string, scope: Scope): string {
  const prefix = basePath.replace(/\/+$/, '');
  return `${prefix}/${scope.kind}/${encodeURIComponent(scope.id)}/security-center/insights`;
}

/**
 * Query parameters, repeated per value as the API expects. Built by hand rather than
 * with URLSearchParams so that `~` in `severity~neq` stays literal.
 */
export function insightsQuery(filters: InsightFilters, page: number, perPage: number): string {
  const params: [string, string][] = [];
  for (const s of filters.severity) params.push(['severity', s.toLowerCase()]);
  for (const s of filters.excludeSeverity) params.push(['severity~neq', s.toLowerCase()]);
  for (const t of filters.issueType) params.push(['issue_type', t]);
  for (const t of filters.excludeIssueType) params.push(['issue_type~neq', t]);
  if (!filters.includeDismissed) params.push(['dismissed', 'false']);
  params.push(['page', String(page)], ['per_page', String(perPage)]);
  return params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
}
