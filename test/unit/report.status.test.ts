/** `status: resolved` (newer responses) in every report: shown as resolved, never as an open alert. */
import { describe, expect, it } from 'vitest';
import type { Insight } from '../../src/insights/types.js';
import { renderReport } from '../../src/report/index.js';
import { toSarif } from '../../src/report/sarif.js';

const insight = (id: string, over: Partial<Insight> = {}): Insight => ({
  id,
  dismissed: false,
  issue_class: 'exposed_rdp_port',
  issue_type: 'exposed_infrastructure',
  severity: 'Critical',
  subject: `${id}.example.com`,
  payload: {},
  status: 'active',
  ...over,
});

const list = [insight('open-one'), insight('gone-one', { status: 'resolved' })];

describe('status: resolved in reports', () => {
  it('the table and markdown mark it resolved, and the counts say how many', () => {
    const table = renderReport('table', list, { width: 120 });
    expect(table).toMatch(/gone-one\.example\.com \(resolved\)/);
    expect(table).not.toMatch(/open-one\.example\.com \(resolved\)/);
    expect(table).toMatch(/2 insights: 2 critical, .*\(1 resolved\)/);
    const md = renderReport('markdown', list, {});
    expect(md).toMatch(/`gone-one\.example\.com` _\(resolved\)_/);
  });

  it('csv and json carry the status as given', () => {
    expect(renderReport('csv', list, {}).split('\r\n')[0]).toContain('status');
    expect(renderReport('csv', list, {})).toMatch(/gone-one.*,resolved/);
  });

  it('SARIF: a resolved insight is a passing result (kind pass, level none), not an open alert', () => {
    const results = toSarif(list, {}).runs[0]!.results!;
    const gone = results.find((r) => r.partialFingerprints && Object.values(r.partialFingerprints).includes('gone-one'))!;
    const open = results.find((r) => r.partialFingerprints && Object.values(r.partialFingerprints).includes('open-one'))!;
    expect(gone).toMatchObject({ kind: 'pass', level: 'none' });
    expect(open.kind).toBeUndefined();
    expect(open.level).toBe('error');
  });
});
