import { describe, expect, it } from 'vitest';
import { emptyState, parseStateText, readState, serializeState } from '../../src/state/document.js';
import { STATE_VERSION, type InsightRecord, type StateDocument } from '../../src/state/types.js';

const scope = 'accounts/0123456789abcdef0123456789abcdef';
const now = new Date('2025-06-01T06:00:00.000Z');

const record: InsightRecord = {
  fingerprint: '0123456789abcdef',
  severity: 'High',
  issueType: 'exposed_infrastructure',
  issueClass: 'exposed_origin_ip',
  subject: 'origin.example.com',
  issue: 42,
  state: 'open',
  firstSeen: '2025-05-01T06:00:00.000Z',
  lastSeen: '2025-06-01T06:00:00.000Z',
};

function fullState(): StateDocument {
  return {
    ...emptyState({ scope, filters: 'severity=high', now }),
    lastCompleteAt: now.toISOString(),
    insights: { abc: record, def: { ...record, issue: null, state: 'pending' } },
    groups: { exposed_origin_ip: { issue: 7, fingerprint: 'fedcba9876543210', state: 'open', severity: 'High' } },
    quota: { month: '2025-06', used: 12 },
    lastInventorySize: 2,
    github: { repository: 'acme/security', listedAt: now.toISOString() },
  };
}

describe('emptyState', () => {
  it('is a valid current document with nothing remembered', () => {
    const doc = emptyState({ scope, filters: 'f', now });
    expect(doc).toEqual({
      version: STATE_VERSION,
      scope,
      filters: 'f',
      updatedAt: '2025-06-01T06:00:00.000Z',
      lastCompleteAt: null,
      insights: {},
      groups: {},
      quota: { month: '2025-06', used: 0 },
      lastInventorySize: null,
      github: null,
    });
    expect(readState(doc, { scope }).state).toEqual(doc);
  });
});

describe('serializeState / parseStateText', () => {
  it('round-trips a full document', () => {
    const doc = fullState();
    const text = serializeState(doc);
    expect(text).not.toContain('\n');
    const read = parseStateText(text, { scope, filters: 'severity=high' });
    expect(read).toEqual({ state: doc });
  });

  it('turns unreadable JSON into a warning and no state', () => {
    const read = parseStateText('{"version":2,"scope":', { scope, source: '/tmp/x.json' });
    expect(read.state).toBeNull();
    expect(read.warning).toMatch(/^Ignoring saved state \(\/tmp\/x\.json\): it is not valid JSON \(.+\); this run starts as a first run\.$/);
  });
});

describe('readState', () => {
  it('migrates version 1 (no groups, lastInventorySize, github) with defaults', () => {
    const { groups: _g, lastInventorySize: _l, github: _h, ...v1 } = fullState();
    const read = readState({ ...v1, version: 1 }, { scope });
    expect(read.warning).toBeUndefined();
    expect(read.migratedFrom).toBe(1);
    expect(read.state).toEqual({ ...fullState(), version: STATE_VERSION, groups: {}, lastInventorySize: null, github: null });
  });

  it('does not use a document from a newer version, and says so', () => {
    const read = readState({ ...fullState(), version: 3, somethingNew: true }, { scope });
    expect(read.state).toBeNull();
    expect(read.warning).toBe(
      'Ignoring saved state: it was written by a newer cf-insights (version 3, this one reads up to 2); upgrade cf-insights to use it; this run starts as a first run.',
    );
  });

  it('does not use a document for another scope', () => {
    const read = readState(fullState(), { scope: 'zones/ffffffffffffffffffffffffffffffff' });
    expect(read.state).toBeNull();
    expect(read.warning).toContain(`it belongs to ${scope}, not zones/ffffffffffffffffffffffffffffffff`);
  });

  it('uses a document written with other filters, and reports the change', () => {
    const read = readState(fullState(), { scope, filters: 'severity=critical' });
    expect(read.state).toEqual(fullState());
    expect(read.filtersChanged).toEqual({ saved: 'severity=high', current: 'severity=critical' });
  });

  const invalid: [string, unknown, RegExp][] = [
    ['null', null, /it is not a cf-insights state document/],
    ['an array', [fullState()], /it is not a cf-insights state document/],
    ['no version', { ...fullState(), version: undefined }, /it has no valid version \(found none\)/],
    ['a string version', { ...fullState(), version: '2' }, /it has no valid version \(found "2"\)/],
    ['version 0', { ...fullState(), version: 0 }, /no valid version/],
    ['a bad record state', { ...fullState(), insights: { abc: { ...record, state: 'bogus' } } }, /insights\.abc\.state/],
    ['a missing fingerprint', { ...fullState(), insights: { abc: { ...record, fingerprint: undefined } } }, /insights\.abc\.fingerprint/],
    ['a fractional issue number', { ...fullState(), insights: { abc: { ...record, issue: 1.5 } } }, /insights\.abc\.issue/],
    ['a bad quota month', { ...fullState(), quota: { month: 'June', used: 1 } }, /quota\.month: expected YYYY-MM/],
    ['a negative quota', { ...fullState(), quota: { month: '2025-06', used: -1 } }, /quota\.used/],
    ['a v2 document without groups', { ...fullState(), groups: undefined }, /groups/],
    ['a v1 document with bad insights', { ...fullState(), version: 1, insights: [] }, /version 1 format \(insights/],
  ];

  it.each(invalid)('does not use a document with %s', (_name, json, why) => {
    const read = readState(json, { scope });
    expect(read.state).toBeNull();
    expect(read.warning).toMatch(/^Ignoring saved state: .*; this run starts as a first run\.$/);
    expect(read.warning).toMatch(why);
  });

  it('drops unknown fields of a current document rather than rejecting it', () => {
    const read = readState({ ...fullState(), extra: 1, insights: { abc: { ...record, note: 'x' } } }, { scope });
    expect(read.state?.insights['abc']).toEqual(record);
    expect(read.state).not.toHaveProperty('extra');
  });
});
