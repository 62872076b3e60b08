import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/insights/fingerprint.js';
import type { Insight } from '../../src/insights/types.js';
import { emptyState } from '../../src/state/document.js';
import { compareInsights, diff } from '../../src/state/diff.js';
import type { InsightRecord, RecordState, StateDocument } from '../../src/state/types.js';

function insight(id: string, over: Partial<Insight> = {}): Insight {
  return {
    id,
    dismissed: false,
    issue_class: 'dnssec_disabled',
    issue_type: 'insecure_configuration',
    severity: 'Moderate',
    subject: `${id}.example.com`,
    payload: { detail: id },
    resolve_link: null,
    resolve_text: 'Enable DNSSEC.',
    since: '2025-01-01T00:00:00Z',
    timestamp: '2025-06-01T00:00:00Z',
    ...over,
  };
}

function recordOf(i: Insight, state: RecordState = 'open', issue: number | null = 1): InsightRecord {
  return {
    fingerprint: fingerprint(i),
    severity: i.severity,
    issueType: i.issue_type,
    issueClass: i.issue_class,
    subject: i.subject,
    issue,
    state,
    firstSeen: '2025-01-01T00:00:00Z',
    lastSeen: '2025-05-01T00:00:00Z',
  };
}

function stateWith(records: Record<string, InsightRecord>): StateDocument {
  return { ...emptyState({ scope: 'accounts/x', filters: '', now: new Date('2025-06-01T00:00:00Z') }), insights: records };
}

const ids = (list: { id: string }[]) => list.map((i) => i.id);

describe('diff', () => {
  it('with no state, everything is new, most severe first, then subject, then id', () => {
    const inventory = [
      insight('a', { severity: 'Low', subject: 'a.example' }),
      insight('b', { severity: 'Critical', subject: 'z.example' }),
      insight('c', { severity: 'Critical', subject: 'm.example' }),
      insight('e', { severity: 'High', subject: 'same.example' }),
      insight('d', { severity: 'High', subject: 'same.example' }),
      insight('f', { severity: 'Unheard-of', subject: 'a.example' }),
      insight('g', { severity: 'moderate', subject: 'a.example' }),
    ];
    const result = diff(inventory, null);
    expect(ids(result.new)).toEqual(['c', 'b', 'd', 'e', 'g', 'a', 'f']);
    expect(result.changed).toEqual([]);
    expect(result.unchanged).toEqual([]);
    expect(result.gone).toEqual([]);
  });

  it('property: the order is compareInsights() whatever the input order', () => {
    const arb = fc.uniqueArray(
      fc.record({
        id: fc.string({ maxLength: 4 }),
        severity: fc.constantFrom('Low', 'Moderate', 'High', 'Critical', 'critical', 'Other'),
        subject: fc.constantFrom('a', 'b', 'a.b', 'B', ''),
      }),
      { selector: (r) => r.id, maxLength: 40 },
    );
    fc.assert(
      fc.property(arb, (rows) => {
        const inventory = rows.map((r) => insight(r.id, r));
        expect(diff(inventory, null).new).toEqual([...inventory].sort(compareInsights));
      }),
      { numRuns: 200 },
    );
  });

  it('the order does not depend on the order of the inventory', () => {
    const inventory = ['p', 'q', 'r', 's', 't'].map((id, n) => insight(id, { severity: n % 2 ? 'High' : 'Low', subject: n < 2 ? 'x' : 'y' }));
    expect(ids(diff([...inventory].reverse(), null).new)).toEqual(ids(diff(inventory, null).new));
  });

  type Case = {
    name: string;
    now: Insight;
    was: Insight;
    expected: 'unchanged' | string[];
  };
  const cases: Case[] = [
    { name: 'a new scan (timestamp only)', was: insight('x'), now: insight('x', { timestamp: '2025-07-01T00:00:00Z' }), expected: 'unchanged' },
    { name: 'keys in another order', was: insight('x'), now: Object.fromEntries(Object.entries(insight('x')).reverse()) as Insight, expected: 'unchanged' },
    { name: 'a severity rise', was: insight('x', { severity: 'High' }), now: insight('x', { severity: 'Critical' }), expected: ['severity: High -> Critical'] },
    { name: 'a severity drop', was: insight('x', { severity: 'High' }), now: insight('x', { severity: 'Low' }), expected: ['severity: High -> Low'] },
    {
      name: 'type and class',
      was: insight('x'),
      now: insight('x', { issue_type: 'email_security', issue_class: 'spf_missing' }),
      expected: ['issue_type: insecure_configuration -> email_security', 'issue_class: dnssec_disabled -> spf_missing'],
    },
    {
      name: 'the subject',
      was: insight('x', { subject: 'a.example' }),
      now: insight('x', { subject: 'b.example' }),
      expected: ['subject: a.example -> b.example'],
    },
    { name: 'the payload only', was: insight('x'), now: insight('x', { payload: { detail: 'other' } }), expected: ['content'] },
    { name: 'dismissed only', was: insight('x'), now: insight('x', { dismissed: true }), expected: ['content'] },
    { name: 'the resolve text only', was: insight('x'), now: insight('x', { resolve_text: 'Do it.' }), expected: ['content'] },
  ];

  it.each(cases)('reports $name', ({ was, now, expected }) => {
    const result = diff([now], stateWith({ x: recordOf(was) }));
    expect(result.new).toEqual([]);
    expect(result.gone).toEqual([]);
    if (expected === 'unchanged') {
      expect(result.unchanged).toEqual([now]);
      expect(result.changed).toEqual([]);
    } else {
      expect(result.unchanged).toEqual([]);
      expect(result.changed).toEqual([{ insight: now, record: recordOf(was), changes: expected }]);
    }
  });

  it('gone: absent records not already resolved or dismissed, by id', () => {
    const states: RecordState[] = ['pending', 'open', 'resolved', 'dismissed', 'triaged', 'out-of-scope'];
    const records = Object.fromEntries(states.map((s, n) => [`${String.fromCharCode(106 - n)}-${s}`, recordOf(insight(s), s)]));
    const present = insight('present');
    records['present'] = recordOf(present);
    const result = diff([present], stateWith(records));
    expect(ids(result.gone)).toEqual(['e-out-of-scope', 'f-triaged', 'i-open', 'j-pending']);
    expect(result.gone[0]!.record).toBe(records['e-out-of-scope']);
    expect(result.unchanged).toEqual([present]);
  });

  it('a resolved or dismissed record that comes back is matched, not new (the planner reopens it)', () => {
    const back = insight('back');
    const result = diff([back], stateWith({ back: recordOf(back, 'resolved') }));
    expect(result.new).toEqual([]);
    expect(result.unchanged).toEqual([back]);
  });

  it('sorts changed entries like the rest, and counts a repeated id once', () => {
    const a = insight('a', { severity: 'Low', subject: 's' });
    const b = insight('b', { severity: 'High', subject: 's' });
    const result = diff([a, b, { ...a, payload: 'dup' }], stateWith({ a: recordOf({ ...a, payload: 1 }), b: recordOf({ ...b, payload: 1 }) }));
    expect(result.changed.map((c) => c.insight.id)).toEqual(['b', 'a']);
    expect(result.changed[1]!.insight).toBe(a);
  });

  it('does not mistake inherited object members for records', () => {
    const odd = [insight('constructor'), insight('toString'), insight('__proto__')];
    const result = diff(odd, stateWith(JSON.parse('{}')));
    expect(ids(result.new).sort()).toEqual(['__proto__', 'constructor', 'toString']);
  });

  it('puts every inventory id in exactly one list', () => {
    const inventory = Array.from({ length: 50 }, (_, n) => insight(`i${n}`, { severity: ['Low', 'High'][n % 2]! }));
    const records: Record<string, InsightRecord> = {};
    for (const [n, i] of inventory.slice(0, 30).entries()) records[i.id] = recordOf(n % 3 === 0 ? { ...i, payload: 'old' } : i);
    records['gone1'] = recordOf(insight('gone1'));
    const result = diff(inventory, stateWith(records));
    expect(result.new).toHaveLength(20);
    expect(result.changed).toHaveLength(10);
    expect(result.unchanged).toHaveLength(20);
    expect(ids(result.gone)).toEqual(['gone1']);
    const all = [...ids(result.new), ...result.changed.map((c) => c.insight.id), ...ids(result.unchanged)].sort();
    expect(all).toEqual(inventory.map((i) => i.id).sort());
  });
});

describe('diff order', () => {
  it('sorts new and changed insights for a reader, keeps unchanged ones in inventory order, and gone ones by id', () => {
    const z = insight('z', { severity: 'Low', subject: 'a' });
    const y = insight('y', { severity: 'Critical', subject: 'b' });
    const x = insight('x', { severity: 'High', subject: 'c' });
    const records: Record<string, InsightRecord> = { z: recordOf(z), y: recordOf(y), x: recordOf(x), g2: recordOf(insight('g2')), g1: recordOf(insight('g1')) };
    const fresh = [insight('n1', { severity: 'Low' }), insight('n2', { severity: 'Critical' })];
    const result = diff([z, ...fresh, y, x], stateWith(records));
    expect(ids(result.unchanged)).toEqual(['z', 'y', 'x']);
    expect(ids(result.new)).toEqual(['n2', 'n1']);
    expect(ids(result.gone)).toEqual(['g1', 'g2']);
    // The same inventory gives the same lists.
    expect(diff([z, ...fresh, y, x], stateWith(records))).toEqual(result);
  });
});
