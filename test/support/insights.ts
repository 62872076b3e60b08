import type { Insight } from '../../src/insights/types.js';
import type { TrackedIssue } from '../../src/github/types.js';
import { fingerprint } from '../../src/insights/fingerprint.js';
import { issueBody, issueLabels, issueTitle } from '../../src/github/render.js';
import { parseMarker, scopeIdsIn } from '../../src/github/marker.js';
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

/** The body cf-insights would write for an insight. */
export function bodyFor(i: Insight): string {
  return issueBody(i, { fingerprint: fingerprint(i), scope: SCOPE });
}

/** The issue cf-insights would have filed for an insight, as a listing reads it (`body` as a person may have edited it). */
export function issueFor(i: Insight, number: number, over: Partial<TrackedIssue> & { body?: string } = {}): TrackedIssue {
  const { body = bodyFor(i), ...rest } = over;
  return {
    number,
    state: 'open',
    stateReason: null,
    title: issueTitle(i),
    labels: issueLabels(i, ['cloudflare-insight']),
    marker: parseMarker(body),
    scopeIds: scopeIdsIn(body),
    ...rest,
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
