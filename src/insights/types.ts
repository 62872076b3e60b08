/** The vocabulary of Cloudflare Security Center (docs/architecture.md, "Cloudflare's vocabulary"). */

/**
 * The order used for thresholds and sorting. The published API knows only Low,
 * Moderate and Critical (PUBLISHED_SEVERITIES); Cloudflare's product docs and our users
 * also speak of High. See docs/architecture.md, "Cloudflare's vocabulary".
 */
export const SEVERITIES = ['Low', 'Moderate', 'High', 'Critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The response enum of the published API (cloudflare-typescript, security-center/insights). */
export const PUBLISHED_SEVERITIES = ['Low', 'Moderate', 'Critical'] as const;

export const ISSUE_TYPES = [
  'compliance_violation',
  'email_security',
  'exposed_infrastructure',
  'insecure_configuration',
  'weak_authentication',
  'configuration_suggestion',
] as const;

/**
 * One insight as the API returns it. Known fields are typed; unknown fields are kept
 * (the API adds fields over time) and severities or types we have not seen yet are
 * carried as plain strings rather than rejected.
 */
export interface Insight {
  id: string;
  dismissed: boolean;
  issue_class: string;
  issue_type: string;
  severity: string;
  subject: string;
  payload: unknown;
  resolve_link?: string | null;
  resolve_text?: string | null;
  since?: string | null;
  timestamp?: string | null;
  status?: string | null;
  user_classification?: string | null;
  [extra: string]: unknown;
}

export type ScopeKind = 'accounts' | 'zones';

export interface Scope {
  kind: ScopeKind;
  id: string;
}

/** `accounts/<id>` or `zones/<id>`: the scope as written in the state and the URL. */
export function scopeKey(scope: Scope): string {
  return `${scope.kind}/${scope.id}`;
}

/** The filters a run applies, on the server and again on the client. */
export interface InsightFilters {
  severity: Severity[];
  excludeSeverity: Severity[];
  issueType: string[];
  excludeIssueType: string[];
  includeDismissed: boolean;
}

/** The result of one fetch of the inventory. */
export interface Inventory {
  scope: Scope;
  insights: Insight[];
  /** False when any page failed, the budget ran out, or the ids did not add up to `count`. */
  complete: boolean;
  incompleteReason?: string;
  /** The total the API announced (`result.count` of the first page). */
  count: number;
  /** Requests this fetch spent, retries included. */
  requests: number;
  fetchedAt: string;
}
