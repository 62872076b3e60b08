import type { Insight } from './types.js';

/**
 * Whether Cloudflare still reports the insight as a problem. Newer responses carry
 * `status: active | resolved` (cloudflare-typescript, intel/attack-surface-report
 * issues.ts); an insight marked resolved is treated like one that is gone: its issue is
 * closed as completed, it breaches no threshold, reports show it as resolved. Absent,
 * null or any other value is active (older responses have no status).
 */
export function isActive(insight: Pick<Insight, 'status'>): boolean {
  return !isResolved(insight);
}

export function isResolved(insight: Pick<Insight, 'status'>): boolean {
  return typeof insight.status === 'string' && insight.status.trim().toLowerCase() === 'resolved';
}
