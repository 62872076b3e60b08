import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Insight } from '../../src/insights/types.js';
import { formatSeverityCounts, severityCounts, sortInsights } from '../../src/report/order.js';
import { classInWords } from '../../src/insights/class-words.js';

const make = (id: string, severity: string, subject: string, dismissed = false): Insight => ({
  id,
  severity,
  subject,
  dismissed,
  issue_class: 'c',
  issue_type: 't',
  payload: {},
});

describe('sortInsights', () => {
  it('most severe first, then subject (case-insensitive), then id; unknown severities last', () => {
    const sorted = sortInsights([
      make('9', 'Low', 'a.example.com'),
      make('8', 'Informational', 'a.example.com'),
      make('7', 'critical', 'z.example.com'),
      make('6', 'High', 'b.example.com'),
      make('5', 'High', 'B.example.com'),
      make('4', 'High', 'a.example.com'),
      make('3', 'High', 'a.example.com'),
      make('2', 'Moderate', '203.0.113.9'),
    ]);
    expect(sorted.map((i) => i.id)).toEqual(['7', '3', '4', '5', '6', '2', '9', '8']);
  });

  it('does not modify its input', () => {
    const input = [make('b', 'Low', 'x'), make('a', 'High', 'y')];
    sortInsights(input);
    expect(input.map((i) => i.id)).toEqual(['b', 'a']);
  });

  it('gives the same order for any permutation of distinct ids', () => {
    const insight = fc.record({
      id: fc.string({ minLength: 1, maxLength: 6 }),
      severity: fc.constantFrom('Low', 'Moderate', 'High', 'Critical', 'critical', 'Other', ''),
      subject: fc.string({ maxLength: 6 }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(insight, { selector: (i) => i.id, maxLength: 30 }), fc.nat(), (items, seed) => {
        const insights = items.map((i) => make(i.id, i.severity, i.subject));
        const shuffled = [...insights];
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = (seed + i * 7919) % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        expect(sortInsights(shuffled).map((i) => i.id)).toEqual(sortInsights(insights).map((i) => i.id));
      }),
    );
  });
});

describe('severityCounts', () => {
  it('counts each severity case-insensitively, the unknown ones and the dismissed ones', () => {
    const counts = severityCounts([
      make('1', 'Critical', 'a'),
      make('2', 'high', 'a'),
      make('3', 'High', 'a', true),
      make('4', 'Moderate', 'a'),
      make('5', 'Low', 'a'),
      make('6', 'Informational', 'a'),
    ]);
    expect(counts).toEqual({ Critical: 1, High: 2, Moderate: 1, Low: 1, other: 1, dismissed: 1, resolved: 0, total: 6 });
    expect(formatSeverityCounts(counts)).toBe('6 insights: 1 critical, 2 high, 1 moderate, 1 low, 1 other (1 dismissed)');
  });

  it.each([
    [[], '0 insights'],
    [[make('1', 'Low', 'a')], '1 insight: 0 critical, 0 high, 0 moderate, 1 low'],
  ])('%j -> %s', (insights, text) => {
    expect(formatSeverityCounts(severityCounts(insights))).toBe(text);
  });
});

describe('classInWords', () => {
  it.each([
    ['a_record_dangling', 'A record dangling'],
    ['always_use_https_not_enabled', 'Always use HTTPS not enabled'],
    ['min_tls_version_1_0', 'Min TLS version 1.0'],
    ['tls_1_3_not_enabled', 'TLS 1.3 not enabled'],
    ['super_admin_without_mfa', 'Super admin without MFA'],
    ['mongodb_port_exposed', 'MongoDB port exposed'],
    ['', ''],
    ['Weird\u001b[31m_Class', 'Weird class'],
  ])('%j -> %j', (issueClass, words) => {
    expect(classInWords(issueClass, '')).toBe(words);
  });
});
