import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeInsights } from '../fakes/cloudflare.js';
import type { Insight } from '../../src/insights/types.js';
import { duplicates, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const open = () => h.gh.openIssues().filter((i) => !i.pullRequest);

describe('sync over several runs (engine, real clients, fakes)', () => {
  it('opens N issues, then an identical run writes nothing and makes one GitHub request', async () => {
    const insights = makeInsights(12, 3);
    h.setInsights(insights);
    const first = await h.run();
    expect(first.error).toBeUndefined();
    expect(first.result!.counts.created).toBe(insights.filter((i) => !i.dismissed).length);
    expect(h.gh.ours()).toHaveLength(first.result!.counts.created);
    const writes = h.gh.writes().length;
    const requestsBefore = h.gh.requests.length;

    const second = await h.run();
    expect(second.error).toBeUndefined();
    expect(h.gh.writes().length).toBe(writes);
    expect(h.gh.requests.length - requestsBefore).toBe(1);
    expect(second.result!.github).toMatchObject({ requests: 1, writes: 0, listing: 'since' });
    expect(duplicates(h.gh)).toEqual([]);
  });

  it('a severity change edits the issue, relabels it and comments', async () => {
    const [a] = makeInsights(1, 5) as [Insight];
    h.setInsights([{ ...a, severity: 'Moderate', dismissed: false }]);
    await h.run();
    const issue = h.gh.ours()[0]!;
    h.setInsights([{ ...a, severity: 'Critical', dismissed: false }]);
    const run = await h.run();
    expect(run.result!.counts.updated).toBe(1);
    const after = h.gh.issue(issue.number)!;
    expect(after.title).toMatch(/^\[Critical\]/);
    expect(after.labels).toContain('severity:critical');
    expect(after.labels).not.toContain('severity:moderate');
    expect(
      h.gh
        .commentsOn(issue.number)
        .map((c) => c.body)
        .join('\n'),
    ).toMatch(/Moderate.*Critical/);
  });

  it('closes an insight that is gone, and reopens it when it returns', async () => {
    const list = makeInsights(3, 7).map((i) => ({ ...i, dismissed: false }));
    h.setInsights(list);
    await h.run();
    h.setInsights(list.slice(1));
    const closing = await h.run();
    expect(closing.result!.counts.resolved).toBe(1);
    const closed = h.gh.ours().find((i) => i.state === 'closed')!;
    expect(closed.state_reason).toBe('completed');
    h.setInsights(list);
    const back = await h.run();
    expect(back.result!.counts.reopened).toBe(1);
    expect(h.gh.issue(closed.number)!.state).toBe('open');
    expect(duplicates(h.gh)).toEqual([]);
  });

  it('status: resolved closes its issue as completed, counts for no threshold, and a new resolved insight opens none', async () => {
    const list = makeInsights(3, 7).map((i) => ({ ...i, dismissed: false, status: 'active', severity: 'Critical' }));
    h.setInsights(list);
    await h.run({ 'fail-on-severity': 'none' });
    expect(h.gh.ours()).toHaveLength(3);
    const resolved = { ...list[0]!, status: 'resolved' };
    const fresh = { ...makeInsights(1, 99)[0]!, dismissed: false, status: 'resolved', severity: 'Critical' };
    h.setInsights([resolved, list[1]!, list[2]!, fresh]);
    const run = await h.run({ 'fail-on-severity': 'critical', 'fail-on-scope': 'new' });
    expect(run.result!.counts.resolved).toBe(1);
    expect(run.result!.counts.created).toBe(0);
    expect(run.result!.threshold.breached).toBe(false);
    expect(run.result!.maxSeverity).toBe('Critical');
    const closed = h.gh.ours().filter((i) => i.state === 'closed');
    expect(closed).toHaveLength(1);
    expect(closed[0]!.state_reason).toBe('completed');
    expect(closed[0]!.body).toContain(String(list[0]!.id));
    expect(h.gh.ours()).toHaveLength(3);
    expect(duplicates(h.gh)).toEqual([]);
  });

  it('group-by class: a member with status resolved is listed as resolved', async () => {
    const list = makeInsights(2, 7).map((i) => ({ ...i, dismissed: false, status: 'active', issue_class: 'dns_record_dangling', severity: 'Moderate' }));
    h.setInsights(list);
    await h.run({ 'group-by': 'class', 'fail-on-severity': 'none' });
    h.setInsights([list[0]!, { ...list[1]!, status: 'resolved' }]);
    await h.run({ 'group-by': 'class', 'fail-on-severity': 'none' });
    const issue = h.gh.ours()[0]!;
    expect(issue.state).toBe('open');
    expect(issue.body).toMatch(/### Open \(1\)\n\n- /);
    expect(issue.body).toMatch(/### Resolved \(1\)\n\n- /);
  });

  it('a person closing an issue as not planned is respected', async () => {
    const list = makeInsights(2, 9).map((i) => ({ ...i, dismissed: false, severity: 'High' }));
    h.setInsights(list);
    await h.run();
    const target = h.gh.ours()[0]!;
    h.gh.person.close(target.number, 'not_planned');
    const run = await h.run();
    expect(run.result!.counts.reopened).toBe(0);
    expect(h.gh.issue(target.number)!.state).toBe('closed');
    // ... unless the severity rises.
    const id = target.body!.match(/id=(\S+)/)![1]!;
    h.setInsights(list.map((i) => (i.id === id ? { ...i, severity: 'Critical' } : i)));
    const rose = await h.run();
    expect(rose.result!.counts.reopened).toBe(1);
    expect(h.gh.issue(target.number)!.state).toBe('open');
  });

  it('with the state lost, the next run opens no duplicate and writes nothing', async () => {
    h.setInsights(makeInsights(30, 11));
    await h.run();
    const issues = h.gh.ours().length;
    const before = h.gh.requests.length;
    const writesBefore = h.gh.writes().length;
    const store = { kind: 'none' as const, load: async () => ({ state: null }), save: async () => ({ saved: false, reason: 'test' }) };
    const run = await h.run({}, { store });
    expect(run.error).toBeUndefined();
    expect(h.gh.ours()).toHaveLength(issues);
    expect(h.gh.writes().length).toBe(writesBefore);
    expect(run.result!.github!.writes).toBe(0);
    expect(h.gh.requests.length - before).toBe(Math.ceil(issues / 100));
    expect(duplicates(h.gh)).toEqual([]);
  });

  it('the write cap carries the rest over, most severe first, and a later run finishes', async () => {
    const list = makeInsights(10, 13).map((i) => ({ ...i, dismissed: false }));
    h.setInsights(list);
    const first = await h.run({ 'max-issue-writes': '4' });
    expect(first.result!.counts.created).toBe(4);
    expect(first.result!.pendingWrites).toBe(6);
    const ranks = { Low: 1, Moderate: 2, High: 3, Critical: 4 } as Record<string, number>;
    const filed = first.result!.issues.filter((i) => i.action === 'created').map((i) => ranks[i.severity]!);
    const waiting = first.result!.issues.filter((i) => i.action === 'pending').map((i) => ranks[i.severity]!);
    expect(Math.min(...filed)).toBeGreaterThanOrEqual(Math.max(...waiting));
    await h.run({ 'max-issue-writes': '4' });
    const last = await h.run({ 'max-issue-writes': '4' });
    expect(last.result!.pendingWrites).toBe(0);
    expect(h.gh.ours()).toHaveLength(10);
    expect(duplicates(h.gh)).toEqual([]);
  });

  it('an incomplete inventory closes nothing', async () => {
    const list = makeInsights(5, 17).map((i) => ({ ...i, dismissed: false }));
    h.setInsights(list);
    await h.run();
    h.setInsights(list.slice(0, 2));
    h.cf.failNext('countChanges');
    const run = await h.run();
    expect(run.error).toBeUndefined();
    expect(run.result!.complete).toBe(false);
    expect(run.result!.counts.resolved).toBe(0);
    expect(open()).toHaveLength(5);
    // The next complete run closes them.
    const complete = await h.run();
    expect(complete.result!.counts.resolved).toBe(3);
  });

  it('group-by class opens one issue per class and lists resolved subjects', async () => {
    const list = makeInsights(20, 19).map((i) => ({ ...i, dismissed: false }));
    h.setInsights(list);
    const run = await h.run({ 'group-by': 'class' });
    const classes = new Set(list.map((i) => i.issue_class));
    expect(h.gh.ours()).toHaveLength(classes.size);
    const cls = list[0]!.issue_class;
    const members = list.filter((i) => i.issue_class === cls);
    h.setInsights(list.filter((i) => i.id !== members[0]!.id));
    await h.run({ 'group-by': 'class' });
    const issue = h.gh.ours().find((i) => i.body!.includes(`id=class:${cls}`))!;
    expect(issue.body).toContain('### Resolved (1)');
    expect(run.result!.counts.created).toBe(classes.size);
  });

  it('records the state file with the issue numbers and the quota ledger', async () => {
    h.setInsights(makeInsights(3, 23));
    const run = await h.run();
    const doc = JSON.parse(readFileSync(h.statePath, 'utf8'));
    expect(doc.quota.used).toBe(1);
    expect(run.result!.quota.used).toBe(1);
    expect(Object.values(doc.insights).filter((r) => (r as { issue: unknown }).issue !== null)).toHaveLength(run.result!.counts.created);
  });
});
