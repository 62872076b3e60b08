import { describe, expect, it } from 'vitest';
import { CfInsightsError, InternalError, RemoteError } from '../../src/errors.js';
import { emptyState } from '../../src/state/document.js';
import type { InsightRecord, StateDocument } from '../../src/state/types.js';
import type { Inventory } from '../../src/insights/types.js';
import type { ExecutionResult } from '../../src/sync/execute.js';
import {
  NOT_SAVING,
  copyWarnings,
  inputWarnings,
  issuesToRecheck,
  listedAtAfter,
  listingFor,
  loadMessages,
  newInsightIds,
  nextStatePatch,
  pendingUnits,
  recordsAfter,
  saveMessages,
  stateDocument,
  syncResult,
  toCfError,
  type ResultInput,
} from '../../src/sync/outcome.js';
import type { PendingUnit, Plan, PlanUnit } from '../../src/sync/types.js';
import { SCOPE, insight, issueFor } from '../support/insights.js';

const NOW = '2026-11-25T00:00:00.000Z';
const EARLIER = '2026-11-20T00:00:00.000Z';
const REPO = 'acme/web';

function state(over: Partial<StateDocument> = {}): StateDocument {
  return { ...emptyState({ scope: 'accounts/x', filters: '', now: new Date(EARLIER) }), ...over };
}

function record(over: Partial<InsightRecord> = {}): InsightRecord {
  return {
    fingerprint: 'f',
    severity: 'High',
    issueType: 't',
    issueClass: 'c',
    subject: 's',
    issue: null,
    state: 'open',
    firstSeen: EARLIER,
    lastSeen: EARLIER,
    ...over,
  };
}

function unit(key: string, kinds: ('create' | 'close' | 'comment')[] = ['create'], issue: number | null = null): PlanUnit {
  return {
    key,
    insightIds: [key],
    severity: 'High',
    subject: `${key}.example.com`,
    title: `[High] ${key}`,
    issue,
    outcome: kinds[0] === 'close' ? 'resolved' : 'created',
    reason: 'r',
    steps: kinds.map((kind) => ({ kind })),
    actions: [],
    records: {},
  };
}

function planOf(units: PlanUnit[], deferred: PendingUnit[] = [], baseRecords: Record<string, InsightRecord> = {}): Plan {
  return { units, deferred, noops: [], baseRecords, baseGroups: {}, writes: 0, pendingWrites: 0 };
}

function executedOf(over: Partial<ExecutionResult> = {}): ExecutionResult {
  return { records: {}, groups: {}, done: [], notRun: [], failed: [], gone: [], writes: 0, ...over };
}

function inventory(over: Partial<Inventory> = {}): Inventory {
  return { scope: SCOPE, insights: [], complete: true, count: 0, requests: 3, fetchedAt: NOW, ...over };
}

describe('outcome: which listing to ask GitHub for', () => {
  const cases: { name: string; previous: StateDocument | null; want: ReturnType<typeof listingFor> }[] = [
    { name: 'no state: all issues', previous: null, want: { listing: 'full', since: null } },
    { name: 'a state that never listed: all', previous: state(), want: { listing: 'full', since: null } },
    {
      name: 'listed for this repository: since then',
      previous: state({ github: { repository: REPO, listedAt: EARLIER } }),
      want: { listing: 'since', since: EARLIER },
    },
    {
      name: 'listed for another repository: all',
      previous: state({ github: { repository: 'acme/other', listedAt: EARLIER } }),
      want: { listing: 'full', since: null },
    },
  ];
  it.each(cases)('$name', ({ previous, want }) => expect(listingFor(previous, REPO)).toEqual(want));
});

describe('outcome: the next listing time', () => {
  const cases: { name: string; previous: StateDocument | null; newest: string | null; want: string }[] = [
    {
      name: 'the newest update GitHub showed',
      previous: state({ github: { repository: REPO, listedAt: EARLIER } }),
      newest: '2026-11-24T00:00:00Z',
      want: '2026-11-24T00:00:00Z',
    },
    { name: 'nothing changed: the last listing time stays', previous: state({ github: { repository: REPO, listedAt: EARLIER } }), newest: null, want: EARLIER },
    { name: 'first listing with no issue: the start of the run', previous: null, newest: null, want: NOW },
  ];
  it.each(cases)('$name', ({ previous, newest, want }) => expect(listedAtAfter(previous, newest, NOW)).toBe(want));
});

describe('outcome: issues whose comments are looked at before posting', () => {
  it('only listed issues with comments', () => {
    const a = insight('a');
    const issues = [issueFor(a, 1, { comments: 2 }), issueFor(a, 2, { comments: 0 }), issueFor(a, 3)];
    expect([...issuesToRecheck(issues)]).toEqual([1]);
  });
});

describe('outcome: warnings about the inputs', () => {
  const cases: { name: string; args: Parameters<typeof inputWarnings>[0]; want: RegExp[] }[] = [
    { name: 'a complete inventory from Cloudflare: none', args: { inventory: { complete: true }, source: 'cloudflare' }, want: [] },
    {
      name: 'incomplete from Cloudflare: the client said it already',
      args: { inventory: { complete: false, incompleteReason: 'x' }, source: 'cloudflare' },
      want: [],
    },
    {
      name: 'an incomplete saved file',
      args: { inventory: { complete: false, incompleteReason: 'budget' }, source: 'file' },
      want: [/incomplete \(budget\): no issue will be closed/],
    },
    {
      name: 'a state of another repository',
      args: { inventory: { complete: true }, source: 'cloudflare', repository: REPO, setAside: { setAside: true, from: 'acme/old' } },
      want: [/was written for acme\/old, not acme\/web: they are not used/],
    },
    {
      name: 'a state that names no repository',
      args: { inventory: { complete: true }, source: 'cloudflare', repository: REPO, setAside: { setAside: true, from: null } },
      want: [/does not say which repository/],
    },
    {
      name: 'a state of this repository',
      args: { inventory: { complete: true }, source: 'cloudflare', repository: REPO, setAside: { setAside: false, from: REPO } },
      want: [],
    },
  ];
  it.each(cases)('$name', ({ args, want }) => {
    const lines = inputWarnings(args);
    expect(lines).toHaveLength(want.length);
    for (const [i, re] of want.entries()) expect(lines[i]).toMatch(re);
  });

  it('names each copied marker', () => {
    expect(copyWarnings([{ issue: 7, key: 'a', of: 3 }], REPO)).toEqual([
      expect.stringMatching(/^Issue #7 in acme\/web carries the cf-insights marker of a, whose issue is #3/),
    ]);
    expect(copyWarnings(undefined, REPO)).toEqual([]);
  });
});

describe('outcome: what a load says', () => {
  const cases: { name: string; result: Parameters<typeof loadMessages>[0]; want: ReturnType<typeof loadMessages> }[] = [
    { name: 'loaded: nothing', result: { state: null }, want: [] },
    {
      name: 'unusable: a warning; details for debugging',
      result: { state: null, warning: 'newer version', details: ['migrated', 'filters changed'] },
      want: [
        { level: 'warning', text: 'newer version' },
        { level: 'debug', text: 'migrated' },
        { level: 'debug', text: 'filters changed' },
      ],
    },
    { name: 'a first run: a notice', result: { state: null, notice: 'no state yet' }, want: [{ level: 'info', text: 'no state yet' }] },
  ];
  it.each(cases)('$name', ({ result, want }) => expect(loadMessages(result)).toEqual(want));
});

describe('outcome: what a save says', () => {
  const cases: { name: string; result: Parameters<typeof saveMessages>[0]; want: ReturnType<typeof saveMessages> }[] = [
    { name: 'saved: nothing', result: { saved: true, location: 'k' }, want: [] },
    { name: 'saved with a notice', result: { saved: true, notice: 'kept aside' }, want: [{ level: 'info', text: 'kept aside' }] },
    { name: 'skipped by design: a notice', result: { saved: false, skipped: true, reason: 'no cache' }, want: [{ level: 'info', text: 'no cache' }] },
    { name: 'failed: a warning', result: { saved: false, reason: 'disk full' }, want: [{ level: 'warning', text: 'disk full' }] },
    { name: 'failed without a reason', result: { saved: false }, want: [{ level: 'warning', text: 'The state was not saved.' }] },
  ];
  it.each(cases)('$name', ({ result, want }) => expect(saveMessages(result)).toEqual(want));
});

describe('outcome: the state document', () => {
  const quota = { month: '2026-11', used: 9 };
  const base = { scope: 'accounts/x', filters: 'sev=High', startedAt: new Date(NOW), updatedAt: new Date('2026-11-25T00:01:00Z'), quota };
  it('builds on the previous one; scope, filters, time and ledger are always this run', () => {
    const previous = state({ lastCompleteAt: EARLIER, filters: 'old', quota: { month: '2026-10', used: 1 } });
    const doc = stateDocument({ ...base, previous, patch: { lastInventorySize: 4 } });
    expect(doc).toMatchObject({ lastCompleteAt: EARLIER, lastInventorySize: 4, filters: 'sev=High', updatedAt: '2026-11-25T00:01:00.000Z', quota });
  });
  it('starts a new one without a previous', () => {
    expect(stateDocument({ ...base, previous: null, patch: {} })).toMatchObject({
      insights: {},
      github: null,
      lastCompleteAt: null,
      scope: 'accounts/x',
      quota,
    });
  });

  const records = { a: record() };
  const groups = { c: { issue: 1, fingerprint: 'g', state: 'open' as const, severity: 'High' } };
  const gh = { repository: REPO, listedAt: NOW };
  const previous = state({ lastCompleteAt: EARLIER, lastInventorySize: 10, github: { repository: 'acme/old', listedAt: EARLIER } });
  const cases: { name: string; args: Partial<Parameters<typeof nextStatePatch>[0]>; want: Partial<StateDocument> }[] = [
    { name: 'a dry run changes only the ledger', args: { dryRun: true }, want: {} },
    {
      name: 'a complete inventory sets the complete time and size',
      args: {},
      want: { insights: records, groups, lastCompleteAt: NOW, lastInventorySize: 5, github: gh },
    },
    {
      name: 'an incomplete one keeps the last complete time and size',
      args: { inventory: { complete: false, count: 5 } },
      want: { insights: records, groups, lastCompleteAt: EARLIER, lastInventorySize: 10, github: gh },
    },
    {
      name: 'a run without GitHub keeps the listing it had',
      args: { github: null },
      want: { insights: records, groups, lastCompleteAt: NOW, lastInventorySize: 5, github: previous.github },
    },
    {
      name: 'a first run without GitHub and an incomplete inventory',
      args: { previous: null, github: null, inventory: { complete: false, count: 5 } },
      want: { insights: records, groups, lastCompleteAt: null, lastInventorySize: null, github: null },
    },
  ];
  it.each(cases)('next state: $name', ({ args, want }) => {
    expect(nextStatePatch({ previous, dryRun: false, inventory: { complete: true, count: 5 }, records, groups, startedAt: NOW, github: gh, ...args })).toEqual(
      want,
    );
  });
});

describe('outcome: the records after the run', () => {
  const written = { a: record({ issue: 5 }) };
  const based = { a: record({ issue: null, state: 'pending' }) };
  const previous = state({
    insights: { old: record({ issue: 2 }), a: record({ fingerprint: 'kept', state: 'triaged', issue: 3 }) },
    groups: { c: { issue: 1, fingerprint: 'g', state: 'open', severity: 'High' } },
  });
  it('what the writes left, else what the plan built on', () => {
    expect(
      recordsAfter({ executed: executedOf({ records: written }), planned: planOf([], [], based), previous, insights: [], startedAt: NOW }).records,
    ).toEqual(written);
    expect(recordsAfter({ executed: null, planned: planOf([], [], based), previous, insights: [], startedAt: NOW }).records).toEqual(based);
  });
  it('without GitHub: what was seen, keeping what the state knew', () => {
    const { records, groups } = recordsAfter({ executed: null, planned: null, previous, insights: [insight('a'), insight('b')], startedAt: NOW });
    expect(Object.keys(records).sort()).toEqual(['a', 'b', 'old']);
    expect(records['a']).toMatchObject({ fingerprint: 'kept', state: 'triaged', issue: 3, lastSeen: NOW });
    expect(records['b']).toMatchObject({ state: 'pending', issue: null, firstSeen: NOW });
    expect(groups).toEqual(previous.groups);
  });
});

describe('outcome: what counts as new', () => {
  const insights = ['a', 'b', 'c', 'd'].map((id) => insight(id));
  const cases: { name: string; previous: StateDocument | null; planned: Plan | null; records: Record<string, InsightRecord>; want: string[] }[] = [
    { name: 'a first run without GitHub: all', previous: null, planned: null, records: {}, want: ['a', 'b', 'c', 'd'] },
    { name: 'those the state had are not', previous: state({ insights: { a: record(), c: record() } }), planned: null, records: {}, want: ['b', 'd'] },
    {
      name: 'with GitHub, one that already had an issue is not',
      previous: null,
      planned: planOf([], [], { a: record({ issue: 4 }), b: record({ issue: null }) }),
      records: {},
      want: ['b', 'c', 'd'],
    },
    { name: 'a triaged one is not', previous: null, planned: null, records: { d: record({ state: 'triaged' }) }, want: ['a', 'b', 'c'] },
  ];
  it.each(cases)('$name', ({ previous, planned, records, want }) => expect(newInsightIds({ insights, previous, planned, records })).toEqual(want));
});

describe('outcome: what waits, and why', () => {
  const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((k) => unit(k));
  const planned = planOf([a!, b!, c!], [d!]);
  const cases: { name: string; planned: Plan | null; executed: ExecutionResult | null; dryRun: boolean; want: string[] }[] = [
    { name: 'no GitHub: nothing', planned: null, executed: null, dryRun: false, want: [] },
    { name: 'a dry run: every unit', planned, executed: null, dryRun: true, want: ['a:dry-run', 'b:dry-run', 'c:dry-run', 'd:dry-run'] },
    { name: 'all written: those over the cap', planned, executed: executedOf(), dryRun: false, want: ['d:over-cap'] },
    {
      name: 'failed first, then stopped, then over the cap',
      planned,
      executed: executedOf({ failed: [b!], notRun: [c!] }),
      dryRun: false,
      want: ['b:failed', 'c:stopped', 'd:over-cap'],
    },
  ];
  it.each(cases)('$name', ({ planned, executed, dryRun, want }) => {
    expect(pendingUnits(planned, executed, dryRun).map(([u, why]) => `${u.key}:${why}`)).toEqual(want);
  });
});

describe('outcome: the result', () => {
  const quota = { used: 3, remaining: 97, budget: 100, resetDate: '2026-12-01', month: '2026-11' };
  const base = (over: Partial<ResultInput>): ResultInput => ({
    scope: 'accounts/x',
    inventory: inventory(),
    source: 'cloudflare',
    settings: { failOn: 'High', failOnScope: 'open' },
    dryRun: false,
    planned: null,
    executed: null,
    records: {},
    newIds: [],
    quota,
    github: null,
    saved: { saved: true, location: 'state.json' },
    ...over,
  });
  const created = unit('a');
  const closed = unit('b', ['close'], 2);
  const failed = unit('c', ['create', 'comment']);
  const over = unit('d', ['close'], 4);

  const cases: { name: string; input: ResultInput; want: Record<string, unknown> }[] = [
    {
      name: 'a report: no GitHub, the requests from Cloudflare',
      input: base({}),
      want: { github: null, cloudflareRequests: 3, plan: null, issues: [], pendingWrites: 0, state: { saved: true, location: 'state.json' } },
    },
    { name: 'a saved file spends no request', input: base({ source: 'file' }), want: { cloudflareRequests: 0 } },
    {
      name: 'an incomplete inventory says why',
      input: base({ inventory: inventory({ complete: false, incompleteReason: 'budget' }) }),
      want: { complete: false, incompleteReason: 'budget' },
    },
    {
      name: 'not saved, with the reason',
      input: base({ saved: NOT_SAVING }),
      want: { state: { saved: false, reason: NOT_SAVING.reason } },
    },
    {
      name: 'done units are counted; pending ones wait with their writes by reason',
      input: base({
        planned: planOf([created, closed, failed], [over]),
        executed: executedOf({
          done: [
            { unit: created, issue: 9 },
            { unit: closed, issue: 2 },
          ],
          failed: [failed],
        }),
        github: { requests: 5, writes: 3, listing: 'since' },
      }),
      want: {
        counts: { created: 1, updated: 0, resolved: 1, dismissed: 0, reopened: 0 },
        issues: [
          expect.objectContaining({ key: 'a', issue: 9, action: 'created' }),
          expect.objectContaining({ key: 'b', issue: 2, action: 'resolved' }),
          expect.objectContaining({ key: 'c', issue: null, action: 'pending', pendingReason: 'failed' }),
          expect.objectContaining({ key: 'd', issue: 4, action: 'pending', pendingReason: 'over-cap' }),
        ],
        pendingWrites: 4,
        pendingBy: { 'over-cap': 2, failed: 2, stopped: 0, 'dry-run': 0 },
        github: { requests: 5, writes: 3, listing: 'since' },
      },
    },
    {
      name: 'a dry run: everything pending',
      input: base({ dryRun: true, planned: planOf([created], [over]) }),
      want: { dryRun: true, pendingWrites: 3, pendingBy: { 'over-cap': 0, failed: 0, stopped: 0, 'dry-run': 3 } },
    },
    {
      name: 'the highest severity among active, undismissed insights',
      input: base({
        inventory: inventory({
          insights: [
            insight('a', { severity: 'Critical', dismissed: true }),
            insight('b', { severity: 'Moderate' }),
            insight('c', { severity: 'High', status: 'resolved' }),
          ],
        }),
      }),
      want: { maxSeverity: 'Moderate', total: 3 },
    },
    {
      name: 'the threshold counts new insights with scope new',
      input: base({
        inventory: inventory({ insights: [insight('a', { severity: 'High' }), insight('b', { severity: 'High' })] }),
        settings: { failOn: 'High', failOnScope: 'new' },
        newIds: ['b'],
      }),
      want: { newIds: ['b'], threshold: { breached: true, breaching: [expect.objectContaining({ id: 'b' })] } },
    },
  ];
  it.each(cases)('$name', ({ input, want }) => expect(syncResult(input)).toMatchObject(want));

  it('an error that stopped the writes becomes a CfInsightsError, kept as is when it is one', () => {
    const stopped = syncResult(base({ planned: planOf([created]), executed: executedOf({ notRun: [created], failure: new Error('socket hang up\nat x') }) }));
    // Not a remote failure but one of ours: its own exit code (70), a request for a report.
    expect(stopped.failure).toBeInstanceOf(InternalError);
    expect(stopped.failure?.message).toBe('The run failed unexpectedly: socket hang up');
    const own = new RemoteError('GitHub is down');
    expect(toCfError(own)).toBe(own);
    expect(toCfError('text')).toBeInstanceOf(CfInsightsError);
    expect(syncResult(base({})).failure).toBeUndefined();
  });
});
