import { describe, expect, it } from 'vitest';
import type { Insight } from '../../src/insights/types.js';
import type { SyncResult } from '../../src/sync/engine.js';
import { newInsightAnnotations } from '../../src/views/annotations.js';
import { syncResult } from '../support/triage.js';

function withInsights(insights: Insight[]): SyncResult {
  const base = syncResult();
  return { ...base, insights, newIds: insights.map((i) => String(i.id)), issues: [] };
}

const insight = (id: string, severity: string, extra: Partial<Insight> = {}): Insight =>
  ({ id, severity, issue_class: 'mysql_port_exposed', subject: `198.51.100.${id.length}`, dismissed: false, ...extra }) as Insight;

describe('the run page annotations of new insights', () => {
  it('Critical is an error and High a warning, in any spelling the API sends', () => {
    const result = withInsights([insight('a', 'Critical'), insight('b', 'critical'), insight('c', 'HIGH'), insight('d', 'Moderate'), insight('e', 'Whatever')]);
    expect(newInsightAnnotations(result).map((a) => a.level)).toEqual(['error', 'error', 'warning']);
  });

  it('none for a dismissed or resolved insight, nor for one seen before', () => {
    const result = withInsights([insight('a', 'Critical', { dismissed: true }), insight('b', 'Critical', { status: 'resolved' } as Partial<Insight>)]);
    expect(newInsightAnnotations(result)).toEqual([]);
    expect(newInsightAnnotations({ ...withInsights([insight('c', 'Critical')]), newIds: [] })).toEqual([]);
  });
});
