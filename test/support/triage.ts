/**
 * One realistic run, as a triager meets it: the insights, the issues the run wrote and
 * the result the job summary is rendered from. Shared by test/unit/views.summary.test.ts and the
 * golden files (test/unit/github.golden.test.ts). A fixed clock: nothing here reads the time.
 */
import { parseSettings, type Settings } from '../../src/config/settings.js';
import type { Insight } from '../../src/insights/types.js';
import type { SyncResult } from '../../src/sync/engine.js';
import { evaluateThreshold } from '../../src/sync/threshold.js';
import type { InsightRecord } from '../../src/state/types.js';

export const NOW = '2026-02-26T09:30:00.000Z';
export const ACCOUNT = '0123456789abcdef0123456789abcdef';
export const ZONE_TAG = '023e105f4ecef8ad9ca31a8372d0c353';
export const SCOPE = { kind: 'accounts' as const, id: ACCOUNT };

export const mysql: Insight = {
  id: '8a1f0c9e-4b7d-4e2a-9c3f-5d6e7f8a9b01',
  dismissed: false,
  issue_class: 'mysql_port_exposed',
  issue_type: 'exposed_infrastructure',
  severity: 'Critical',
  subject: '198.51.100.17',
  payload: { detection_method: 'port_scan', port: 3306, protocol: 'tcp' },
  resolve_link: `https://dash.cloudflare.com/${ACCOUNT}/security-center`,
  resolve_text: 'Close port 3306 to the internet, or allow only the addresses that need it.',
  since: '2026-01-12T04:17:09.421Z',
  timestamp: '2026-02-25T22:03:41.118Z',
  status: 'active',
};

export const dangling: Insight = {
  id: '3c2b1a09-8f7e-4d6c-b5a4-9382716050fe',
  dismissed: false,
  issue_class: 'dangling_dns_record',
  issue_type: 'exposed_infrastructure',
  severity: 'High',
  subject: 'dev.example.com',
  payload: { zone_name: 'example.com', zone_tag: ZONE_TAG, dns_record_type: 'CNAME', target: 'gone-app.herokuapp.com' },
  resolve_link: `https://dash.cloudflare.com/${ACCOUNT}/example.com/dns/records`,
  resolve_text: 'Delete the DNS record, or point it to a resource you control.\nAttackers can claim the target and serve content on your hostname.',
  since: '2026-02-19T11:00:00.000Z',
  timestamp: '2026-02-25T22:03:41.118Z',
  status: 'active',
};

export const danglingOther: Insight = {
  ...dangling,
  id: '3c2b1a09-8f7e-4d6c-b5a4-9382716050ff',
  severity: 'Moderate',
  subject: 'old-shop.example.com',
  payload: { zone_name: 'example.com', zone_tag: ZONE_TAG, dns_record_type: 'A', target: '203.0.113.9' },
};

export const adminEmail: Insight = {
  id: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f70812',
  dismissed: false,
  issue_class: 'admin_without_2fa',
  issue_type: 'weak_authentication',
  severity: 'Moderate',
  subject: 'ops-admin@example.com',
  payload: { detection_method: 'account_members', role: 'Super Administrator' },
  resolve_link: `https://dash.cloudflare.com/${ACCOUNT}/members`,
  resolve_text: 'Ask ops-admin@example.com to turn on two-factor authentication, or enforce it for the account (see @acme/security).',
  since: '2025-11-03T08:00:00.000Z',
  timestamp: '2026-02-25T22:03:41.118Z',
  status: 'active',
};

export const insights = [mysql, dangling, adminEmail];

/** A cache lost before this run: the gone insight's issue is known only from GitHub. */
const GONE_ID = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';

function record(i: Insight, issue: number): InsightRecord {
  return {
    fingerprint: 'f',
    severity: i.severity,
    issueType: i.issue_type,
    issueClass: i.issue_class,
    subject: i.subject,
    issue,
    state: 'open',
    firstSeen: NOW,
    lastSeen: NOW,
  };
}

export function settings(): Settings {
  return parseSettings(
    { 'account-id': ACCOUNT, 'api-token': 'x', 'github-token': 'y', repository: 'acme/security', 'fail-on-severity': 'high', 'monthly-request-budget': '100' },
    { cloudflare: true, github: true },
  );
}

export function syncResult(): SyncResult {
  const threshold = evaluateThreshold({
    insights,
    failOn: 'High',
    scope: 'open',
    records: { [mysql.id]: record(mysql, 12), [dangling.id]: record(dangling, 13), [adminEmail.id]: record(adminEmail, 9) },
    newIds: new Set([mysql.id, dangling.id]),
  });
  return {
    scope: `accounts/${ACCOUNT}`,
    insights,
    complete: true,
    total: 3,
    newIds: [mysql.id, dangling.id],
    counts: { created: 2, updated: 1, resolved: 1, dismissed: 0, reopened: 0 },
    issues: [
      {
        key: mysql.id,
        insightIds: [mysql.id],
        issue: 12,
        action: 'created',
        severity: 'Critical',
        subject: mysql.subject,
        title: '[Critical] MySQL port exposed: 198.51.100.17',
      },
      {
        key: dangling.id,
        insightIds: [dangling.id],
        issue: 13,
        action: 'created',
        severity: 'High',
        subject: dangling.subject,
        title: '[High] Dangling DNS record: dev.example.com',
      },
      {
        key: adminEmail.id,
        insightIds: [adminEmail.id],
        issue: 9,
        action: 'updated',
        severity: 'Moderate',
        subject: adminEmail.subject,
        title: '[Moderate] Admin without 2FA: ops-admin@example.com',
      },
      {
        key: GONE_ID,
        insightIds: [GONE_ID],
        issue: 5,
        action: 'resolved',
        severity: 'Low',
        subject: GONE_ID,
        title: '[Low] Always use HTTPS disabled: old.example.com',
      },
    ],
    pendingWrites: 0,
    pendingBy: { 'over-cap': 0, failed: 0, stopped: 0, 'dry-run': 0 },
    maxSeverity: 'Critical',
    threshold,
    quota: { used: 3, remaining: 97, budget: 100, resetDate: '2026-03-01', month: '2026-02' },
    cloudflareRequests: 1,
    github: { requests: 9, writes: 5, listing: 'full' },
    state: { saved: true },
    dryRun: false,
    plan: null,
  };
}
