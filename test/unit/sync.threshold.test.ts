import { describe, expect, it } from 'vitest';
import type { Insight } from '../../src/insights/types.js';
import type { InsightRecord } from '../../src/state/types.js';
import { describeBreach, evaluateThreshold } from '../../src/sync/threshold.js';

function insight(id: string, over: Partial<Insight> = {}): Insight {
  return {
    id,
    dismissed: false,
    issue_class: 'mysql_port_exposed',
    issue_type: 'exposed_infrastructure',
    severity: 'Critical',
    subject: '198.51.100.17',
    payload: null,
    ...over,
  };
}

function record(issue: number | null, state: InsightRecord['state'] = 'open'): InsightRecord {
  return {
    fingerprint: 'f',
    severity: 'Critical',
    issueType: 'exposed_infrastructure',
    issueClass: 'mysql_port_exposed',
    subject: '',
    issue,
    state,
    firstSeen: '',
    lastSeen: '',
  };
}

describe('the threshold message', () => {
  it('names each insight in words with its issue, not its class id', () => {
    const result = evaluateThreshold({
      insights: [insight('a'), insight('b', { issue_class: 'dangling_dns_record', severity: 'High', subject: 'dev.example.com\n@octocat' })],
      failOn: 'High',
      scope: 'open',
      records: { a: record(12), b: record(null, 'pending') },
      newIds: new Set(['b']),
    });
    expect(result.issues).toEqual({ a: 12 });
    expect(describeBreach(result, 'High')).toBe(
      '2 insights are at High or above and untriaged: [Critical] #12 MySQL port exposed: 198.51.100.17; [High] Dangling DNS record: dev.example.com @octocat (no issue yet)',
    );
  });

  it('an id such as __proto__ or constructor is only a key', () => {
    const result = evaluateThreshold({
      insights: [insight('__proto__'), insight('constructor')],
      failOn: 'High',
      scope: 'open',
      records: {},
      newIds: new Set(),
    });
    expect(describeBreach(result, 'High')).toBe(
      '2 insights are at High or above and untriaged: [Critical] MySQL port exposed: 198.51.100.17 (no issue yet); [Critical] MySQL port exposed: 198.51.100.17 (no issue yet)',
    );
  });
});
