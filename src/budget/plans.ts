/** What each Cloudflare plan allows (requests a month, scan cadence) and what one run costs. */

export const PLANS = ['free', 'pro', 'business', 'enterprise'] as const;
export type Plan = (typeof PLANS)[number];

/** Requests a month on the Security Center endpoint, by plan (docs/architecture.md, "The request budget"). */
export const PLAN_BUDGET: Record<Plan, number> = { free: 100, pro: 100, business: 100, enterprise: 2500 };

/**
 * How often Cloudflare rescans an account for Security Insights, in days, by plan: the one
 * place this is written (the schedule advice of `quota`, `validate` and the action read it).
 * Source: https://developers.cloudflare.com/security/security-insights/how-it-works/
 * ("Scan frequency"), read 2026-12-08: Free every 7 days, Pro and Business every 3 days,
 * Enterprise daily; on-demand scans on every plan. An older version of the page said every
 * 7 days for Free, Pro and Business and every 3 days for Enterprise.
 */
export const SCAN_INTERVAL_DAYS: Readonly<Record<Plan, number>> = { free: 7, pro: 3, business: 3, enterprise: 1 };

/** The page size the client asks for; the API caps it at this. */
export const PAGE_SIZE = 1000;

/** Requests a complete fetch needs: one per page of PAGE_SIZE, at least one. */
export function estimateRequests(lastInventorySize: number | null): number {
  return Math.max(1, Math.ceil((lastInventorySize ?? 0) / PAGE_SIZE));
}
