import { describe, expect, it } from 'vitest';
import { plan, type PlanInput } from '../../src/sync/plan.js';
import { fingerprint } from '../../src/insights/fingerprint.js';
import { emptyState } from '../../src/state/document.js';
import type { InsightRecord, StateDocument } from '../../src/state/types.js';
import type { Insight } from '../../src/insights/types.js';
import { ACCOUNT, bodyFor, insight, issueFor, planSettings } from '../support/insights.js';

const NOW = '2026-11-25T00:00:00.000Z';

function stateWith(records: Record<string, Partial<InsightRecord> & { from?: Insight }>): StateDocument {
  const doc = emptyState({ scope: `accounts/${ACCOUNT}`, filters: '', now: new Date(NOW) });
  for (const [id, r] of Object.entries(records)) {
    const i = r.from ?? insight(id);
    doc.insights[id] = {
      fingerprint: fingerprint(i),
      severity: String(i.severity),
      issueType: String(i.issue_type),
      issueClass: String(i.issue_class),
      subject: String(i.subject),
      issue: null,
      state: 'open',
      firstSeen: NOW,
      lastSeen: NOW,
      ...Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'from')),
    };
  }
  return doc;
}

function input(over: Partial<PlanInput>): PlanInput {
  return { insights: [], complete: true, state: null, issues: [], settings: planSettings(), now: NOW, ...over };
}

const kinds = (p: ReturnType<typeof plan>) => p.units.map((u) => `${u.key}:${u.actions.map((a) => a.kind).join('+')}`);

describe('plan: one issue per insight', () => {
  const a = insight('a');
  const aCritical = insight('a', { severity: 'Critical' });
  const aPayload = insight('a', { payload: { record: 'a.example.com', type: 'A' } });

  const cases: { name: string; input: PlanInput; units: string[]; noop?: string; records?: Record<string, string> }[] = [
    { name: 'a new insight opens an issue', input: input({ insights: [a] }), units: ['a:create'], records: { a: 'pending' } },
    {
      name: 'an unchanged insight writes nothing',
      input: input({ insights: [a], state: stateWith({ a: { issue: 1 } }), issues: [] }),
      units: [],
      noop: 'unchanged',
      records: { a: 'open' },
    },
    {
      name: 'a severity change edits and comments',
      input: input({ insights: [aCritical], state: stateWith({ a: { issue: 1 } }) }),
      units: ['a:update+comment'],
    },
    {
      name: 'a payload change edits without a comment',
      input: input({ insights: [aPayload], state: stateWith({ a: { issue: 1 } }) }),
      units: ['a:update'],
    },
    {
      name: 'gone from a complete inventory closes as completed',
      input: input({ insights: [], state: stateWith({ a: { issue: 1 } }) }),
      units: ['a:close'],
    },
    {
      name: 'gone from an incomplete inventory closes nothing',
      input: input({ insights: [], complete: false, state: stateWith({ a: { issue: 1 } }) }),
      units: [],
      records: { a: 'open' },
    },
    {
      name: 'an insight the filters now exclude is kept, not closed',
      input: input({
        insights: [],
        state: stateWith({ a: { issue: 1 } }),
        settings: planSettings({ filters: { severity: ['Critical'], excludeSeverity: [], issueType: [], excludeIssueType: [], includeDismissed: false } }),
      }),
      units: [],
      records: { a: 'out-of-scope' },
    },
    {
      name: 'close-resolved off leaves the issue open',
      input: input({ insights: [], state: stateWith({ a: { issue: 1 } }), settings: planSettings({ closeResolved: false }) }),
      units: [],
    },
    {
      name: 'a resolved insight that returns reopens its issue',
      input: input({ insights: [a], state: stateWith({ a: { issue: 1, state: 'resolved' } }) }),
      units: ['a:reopen'],
      records: { a: 'resolved' },
    },
    {
      name: 'closed as not planned by a person stays closed',
      input: input({ insights: [a], state: stateWith({ a: { issue: 1 } }), issues: [issueFor(a, 1, { state: 'closed', stateReason: 'not_planned' })] }),
      units: [],
      records: { a: 'triaged' },
    },
    {
      name: 'closed as not planned reopens when the severity rises',
      input: input({
        insights: [aCritical],
        state: stateWith({ a: { issue: 1, state: 'triaged' } }),
        issues: [issueFor(a, 1, { state: 'closed', stateReason: 'not_planned' })],
      }),
      units: ['a:reopen'],
    },
    {
      name: 'closed as not planned stays closed when the severity falls',
      input: input({
        insights: [insight('a', { severity: 'Low' })],
        state: stateWith({ a: { issue: 1, state: 'triaged' } }),
      }),
      units: [],
      records: { a: 'triaged' },
    },
    {
      name: 'dismissed in Cloudflare closes as not planned',
      input: input({ insights: [insight('a', { dismissed: true })], state: stateWith({ a: { issue: 1 } }) }),
      units: ['a:close'],
    },
    {
      name: 'a dismissed insight without an issue opens none',
      input: input({ insights: [insight('a', { dismissed: true })] }),
      units: [],
      records: { a: 'dismissed' },
    },
    {
      name: 'undismissed after we closed it reopens',
      input: input({ insights: [a], state: stateWith({ a: { issue: 1, state: 'dismissed' } }) }),
      units: ['a:reopen'],
    },
    {
      name: 'closed as completed by a person while still reported reopens',
      input: input({ insights: [a], state: stateWith({ a: { issue: 1 } }), issues: [issueFor(a, 1, { state: 'closed', stateReason: 'completed' })] }),
      units: ['a:reopen'],
    },
    {
      name: 'lost state: an existing issue with the same fingerprint is reused',
      input: input({ insights: [a], issues: [issueFor(a, 7)] }),
      units: [],
      records: { a: 'open' },
    },
    {
      name: 'lost state: an existing issue with an old fingerprint is edited, not duplicated',
      input: input({ insights: [aPayload], issues: [issueFor(a, 7)] }),
      units: ['a:update'],
    },
    {
      name: 'lost state: an issue whose marker was edited away is found by its title',
      input: input({ insights: [a], issues: [issueFor(a, 7, { marker: null, body: 'edited by a person' })] }),
      units: ['a:update'],
    },
    {
      name: 'a recorded issue whose marker was edited away is found by its number and gets it back',
      input: input({ insights: [a], state: stateWith({ a: { issue: 3 } }), issues: [issueFor(a, 3, { marker: null, title: 'renamed', body: 'x' })] }),
      units: ['a:update'],
    },
    {
      name: 'lost state: an open issue of ours for a gone insight is closed',
      input: input({ insights: [], issues: [issueFor(a, 7)] }),
      units: ['a:close'],
    },
    {
      name: 'lost state: an issue that does not name our account is never closed',
      input: input({ insights: [], issues: [issueFor(a, 7, { body: bodyFor(a).replaceAll(ACCOUNT, 'f'.repeat(32)) })] }),
      units: [],
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const p = plan(c.input);
      expect(kinds(p)).toEqual(c.units);
      if (c.noop) expect(p.noops.map((n) => n.why)).toContain(c.noop);
      for (const [id, state] of Object.entries(c.records ?? {})) expect(p.baseRecords[id]?.state, id).toBe(state);
    });
  }

  it('a create carries the title, labels, assignees and marker', () => {
    const p = plan(input({ insights: [a], settings: planSettings({ assignees: ['octocat'] }) }));
    const action = p.units[0]!.actions[0]!;
    expect(action.kind).toBe('create');
    if (action.kind !== 'create') return;
    expect(action.render().title).toBe('[High] Dangling DNS record: a.example.com');
    expect(action.render().labels).toEqual(expect.arrayContaining(['cloudflare-insight', 'severity:high', 'type:exposed_infrastructure']));
    expect(action.assignees).toEqual(['octocat']);
    expect(action.render().body).toContain(`<!-- cf-insights:v2 scope=accounts/${ACCOUNT} id=a fp=${fingerprint(a)} -->`);
    // Rendered once, when first asked for, and kept: the executor reads the labels, then writes.
    expect(action.render()).toBe(action.render());
  });

  it('records of a unit claim the new fingerprint only when it runs', () => {
    const p = plan(input({ insights: [aPayload], state: stateWith({ a: { issue: 1 } }) }));
    expect(p.baseRecords['a']!.fingerprint).toBe(fingerprint(a));
    expect(p.units[0]!.records['a']!.fingerprint).toBe(fingerprint(aPayload));
  });

  it('caps writes in severity order and carries the rest over', () => {
    const many = [
      insight('l', { severity: 'Low' }),
      insight('c', { severity: 'Critical' }),
      insight('m', { severity: 'Moderate' }),
      insight('h', { severity: 'High' }),
    ];
    const p = plan(input({ insights: many, settings: planSettings({ maxIssueWrites: 2 }) }));
    expect(p.units.map((u) => u.key)).toEqual(['c', 'h']);
    expect(p.deferred.map((u) => u.key)).toEqual(['m', 'l']);
    expect(p.writes).toBe(2);
    expect(p.pendingWrites).toBe(2);
    expect(p.baseRecords['m']!.state).toBe('pending');
  });

  it('a close costs two writes (comment and close)', () => {
    const p = plan(input({ insights: [], state: stateWith({ a: { issue: 1 }, b: { issue: 2 } }), settings: planSettings({ maxIssueWrites: 3 }) }));
    expect(p.units).toHaveLength(1);
    expect(p.deferred).toHaveLength(1);
  });

  it('withholds closes after an incomplete inventory and says why', () => {
    const p = plan(input({ insights: [], complete: false, incompleteReason: 'page 3 failed', state: stateWith({ a: { issue: 1 } }) }));
    expect(p.units).toEqual([]);
    expect(p.closesWithheld).toBe('page 3 failed');
  });

  it('two issues with the same marker: the open one is used, nothing new is filed', () => {
    const p = plan(input({ insights: [aPayload], issues: [issueFor(a, 9, { state: 'closed', stateReason: 'completed' }), issueFor(a, 4)] }));
    expect(p.units.map((u) => [u.issue, u.actions.map((x) => x.kind)])).toEqual([[4, ['update']]]);
  });
});

describe('plan: what a lost state still knows', () => {
  it("names a gone insight's issue by its title, not by the insight id", () => {
    const a = insight('a');
    const p = plan(input({ insights: [], issues: [issueFor(a, 7)] }));
    expect(p.units.map((u) => u.title)).toEqual(['[High] Dangling DNS record: a.example.com']);
  });
});

describe('plan: dates', () => {
  it("counts the age of an insight to the run's clock", () => {
    const p = plan(input({ insights: [insight('a')] }));
    const create = p.units[0]!.actions[0]!;
    expect(create.kind === 'create' && create.render().body).toContain('| First detected | 2026-11-01 (24 days ago as of 2026-11-25) |');
  });
});

describe('plan: group-by class', () => {
  const settings = planSettings({ groupBy: 'class' });
  const a = insight('a');
  const b = insight('b', { severity: 'Critical' });
  const c = insight('c', { issue_class: 'missing_dmarc_record', issue_type: 'email_security', severity: 'Moderate' });

  it('opens one issue per class with a list of subjects', () => {
    const p = plan(input({ insights: [a, b, c], settings }));
    expect(p.units.map((u) => u.key).sort()).toEqual(['class:dangling_dns_record', 'class:missing_dmarc_record']);
    const dns = p.units.find((u) => u.key === 'class:dangling_dns_record')!;
    expect(dns.severity).toBe('Critical');
    expect(dns.insightIds.sort()).toEqual(['a', 'b']);
    const create = dns.actions[0]!;
    expect(create.kind === 'create' && create.render().body).toMatch(/### Open \(2\)\n\n- `b\.example\.com`.*\n- `a\.example\.com`/);
  });

  it('lists a resolved subject, keeps the title, and closes the issue when every subject is resolved', () => {
    const first = plan(input({ insights: [a, b], settings }));
    const created = first.units[0]!.actions[0]!;
    const state = emptyState({ scope: `accounts/${ACCOUNT}`, filters: '', now: new Date(NOW) });
    for (const u of first.units) {
      for (const [id, r] of Object.entries(u.records)) state.insights[id] = { ...r, issue: 5 };
      state.groups[u.group!.issueClass] = { ...u.group!.record, issue: 5 };
    }
    const second = plan(input({ insights: [b], settings, state }));
    expect(kinds(second)).toEqual(['class:dangling_dns_record:update']);
    const update = second.units[0]!.actions[0]!;
    expect(update.kind === 'update' && update.render().body).toMatch(/### Resolved \(1\)\n\n- `a\.example\.com`/);
    // One subject fewer is no reason to rename the issue.
    expect(update.kind === 'update' && created.kind === 'create' && update.render().title).toBe(created.kind === 'create' && created.render().title);
    expect(second.units[0]!.title).toBe('[Critical] Dangling DNS record');
    for (const u of second.units) {
      for (const [id, r] of Object.entries(u.records)) state.insights[id] = { ...r, issue: 5 };
      state.groups[u.group!.issueClass] = { ...u.group!.record, issue: 5 };
    }
    const third = plan(input({ insights: [], settings, state }));
    expect(kinds(third)).toEqual(['class:dangling_dns_record:close']);
    const incomplete = plan(input({ insights: [], complete: false, settings, state }));
    expect(incomplete.units).toEqual([]);
  });
});

describe('plan: labels', () => {
  it('keeps labels a person added and replaces our severity label', () => {
    const a = insight('a');
    const issue = issueFor(a, 3, { labels: ['cloudflare-insight', 'severity:high', 'type:exposed_infrastructure', 'team:edge'] });
    const p = plan({ insights: [insight('a', { severity: 'Critical' })], complete: true, state: null, issues: [issue], settings: planSettings(), now: NOW });
    const update = p.units[0]!.actions[0]!;
    expect(update.kind).toBe('update');
    if (update.kind !== 'update') return;
    expect(update.render().labels.sort()).toEqual(['cloudflare-insight', 'severity:critical', 'team:edge', 'type:exposed_infrastructure']);
  });
});

describe('plan: cost of units over the cap', () => {
  it('builds actions and records only for units that run; deferred ones keep what a report shows', () => {
    const many = ['a', 'b', 'c'].map((id) => insight(id));
    const p = plan({ insights: many, complete: true, state: null, issues: [], settings: planSettings({ maxIssueWrites: 1 }), now: NOW });
    expect(p.units).toHaveLength(1);
    expect(Object.keys(p.units[0]!.records)).toEqual(['a']);
    expect(p.units[0]!.actions.map((a) => a.kind)).toEqual(['create']);
    expect(p.deferred).toEqual([
      expect.objectContaining({ key: 'b', title: '[High] Dangling DNS record: b.example.com', outcome: 'created', steps: [{ kind: 'create' }] }),
      expect.objectContaining({ key: 'c', steps: [{ kind: 'create' }] }),
    ]);
    for (const unit of p.deferred) {
      expect(unit).not.toHaveProperty('actions');
      expect(unit).not.toHaveProperty('records');
    }
  });

  it('a deferred close shows how it would close', () => {
    const p = plan({
      insights: [],
      complete: true,
      state: stateWith({ a: { issue: 1 }, b: { issue: 2 } }),
      issues: [],
      settings: planSettings({ maxIssueWrites: 2 }),
      now: NOW,
    });
    expect(p.deferred.map((u) => u.steps)).toEqual([[{ kind: 'close', closeReason: 'completed' }]]);
  });
});
