import type { Insight } from '../../src/insights/types.js';
import type { TrackedIssue } from '../../src/github/types.js';
import { fingerprint } from '../../src/insights/fingerprint.js';
import { issueBody, issueLabels, issueTitle } from '../../src/github/render.js';
import { parseMarker } from '../../src/github/marker.js';
import { NO_FILTERS } from '../../src/insights/filter.js';
import type { PlanSettings } from '../../src/sync/plan.js';

export const ACCOUNT = '0123456789abcdef0123456789abcdef';
export const SCOPE = { kind: 'accounts' as const, id: ACCOUNT };

/** A small, readable insight for table tests. */
export function insight(id: string, over: Partial<Insight> = {}): Insight {
  return {
    id,
    dismissed: false,
    issue_class: 'dangling_dns_record',
    issue_type: 'exposed_infrastructure',
    severity: 'High',
    subject: `${id}.example.com`,
    payload: { record: `${id}.example.com`, type: 'CNAME' },
    resolve_link: `https://dash.cloudflare.com/${ACCOUNT}/security-center`,
    resolve_text: 'Delete the record or point it at a live host.',
    since: '2026-11-01T00:00:00Z',
    timestamp: '2026-11-20T00:00:00Z',
    ...over,
  };
}

/** The issue cf-insights would have filed for an insight. */
export function issueFor(i: Insight, number: number, over: Partial<TrackedIssue> = {}): TrackedIssue {
  const body = issueBody(i, { fingerprint: fingerprint(i), scope: SCOPE });
  return {
    number,
    state: 'open',
    stateReason: null,
    title: issueTitle(i),
    body,
    labels: issueLabels(i, ['cloudflare-insight']),
    updatedAt: '2026-11-20T00:00:00Z',
    marker: parseMarker(body),
    ...over,
  };
}

export function planSettings(over: Partial<PlanSettings> = {}): PlanSettings {
  return {
    scope: SCOPE,
    filters: NO_FILTERS,
    labels: ['cloudflare-insight'],
    assignees: [],
    groupBy: 'insight',
    closeResolved: true,
    maxIssueWrites: 50,
    ...over,
  };
}
