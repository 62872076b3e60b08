import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeInsights } from '../fakes/cloudflare.js';
import type { Insight } from '../../src/insights/types.js';
import { renderJobSummary } from '../../src/views/summary.js';
import { renderSyncText } from '../../src/views/terminal.js';
import { duplicates, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const active = (n: number, seed: number): Insight[] => makeInsights(n, seed).map((i) => ({ ...i, dismissed: false, severity: 'High' }));
const issueOf = (id: string) => h.gh.ours().find((i) => i.body!.includes(`id=${id} `))!;
const warnings = (run: { log: { lines: { level: string; message: string }[] } }) => run.log.lines.filter((l) => l.level === 'warning').map((l) => l.message);
const stateRecord = (id: string) => JSON.parse(readFileSync(h.statePath, 'utf8')).insights[id];

describe('one bad issue never blocks the rest', () => {
  it('a locked issue is closed without its comment, and the other writes go on', async () => {
    const [a, b] = active(2, 31) as [Insight, Insight];
    h.setInsights([a, b]);
    await h.run();
    const locked = issueOf(String(a.id));
    h.gh.person.lock(locked.number);
    const [c] = active(1, 32) as [Insight];
    h.setInsights([b, c]);

    const run = await h.run();
    expect(run.error).toBeUndefined();
    expect(run.result!.failure).toBeUndefined();
    expect(h.gh.issue(locked.number)!.state).toBe('closed');
    expect(h.gh.commentsOn(locked.number)).toEqual([]);
    expect(issueOf(String(c.id))).toBeDefined();
    expect(run.result!.counts).toMatchObject({ created: 1, resolved: 1 });
    expect(warnings(run).join('\n')).toMatch(new RegExp(`#${locked.number}.*locked`));
    expect(warnings(run).join('\n')).not.toMatch(/issues: write/);
  });

  it('a write refused for one issue (422) is reported with its cause, retried next run, and the rest goes on', async () => {
    const list = active(3, 33);
    h.setInsights(list);
    await h.run();
    const target = issueOf(String(list[0]!.id));
    h.gh.inject({
      method: 'PATCH',
      path: `/repos/acme/security/issues/${target.number}`,
      fault: {
        type: 'status',
        status: 422,
        body: { message: 'Validation Failed', errors: [{ resource: 'Issue', code: 'custom', field: 'body', message: 'body is too long' }] },
      },
    });
    h.setInsights(list.map((i) => ({ ...i, severity: 'Critical' })));

    const run = await h.run();
    expect(run.error).toBeUndefined();
    expect(run.result!.failure).toBeUndefined();
    expect(run.result!.counts.updated).toBe(2);
    const failed = run.result!.issues.find((i) => i.issue === target.number)!;
    expect(failed).toMatchObject({ action: 'pending', pendingReason: 'failed' });
    expect(warnings(run).join('\n')).toMatch(new RegExp(`#${target.number}.*422`));
    expect(warnings(run).join('\n')).not.toMatch(/issues: write/);

    const next = await h.run();
    expect(next.result!.counts.updated).toBe(1);
    expect(h.gh.issue(target.number)!.title).toMatch(/^\[Critical\]/);
  });

  it('an issue deleted on GitHub (410) does not stop the run; it is filed anew next run', async () => {
    const list = active(2, 34);
    h.setInsights(list);
    await h.run();
    const gone = issueOf(String(list[0]!.id));
    h.gh.person.delete(gone.number);
    h.setInsights(list.map((i) => ({ ...i, severity: 'Critical' })));
    const run = await h.run();
    expect(run.error).toBeUndefined();
    expect(run.result!.failure).toBeUndefined();
    expect(run.result!.counts.updated).toBe(1);
    await h.run();
    expect(issueOf(String(list[0]!.id)).number).not.toBe(gone.number);
    expect(duplicates(h.gh)).toEqual([]);
  });

  it('a failure that hits every write (401) still stops the run', async () => {
    const list = active(2, 35);
    h.setInsights(list);
    h.gh.inject({
      method: 'POST',
      path: '/repos/acme/security/issues',
      times: 5,
      fault: { type: 'status', status: 401, body: { message: 'Bad credentials' } },
    });
    const run = await h.run();
    expect(run.result!.failure?.message).toMatch(/401/);
    expect(h.gh.ours()).toHaveLength(0);
  });
});

describe('no doubled comments', () => {
  const ourComments = (n: number) => h.gh.commentsOn(n).filter((c) => c.user.endsWith('[bot]'));

  it('a comment GitHub stored behind a 502 is not posted again', async () => {
    const list = active(2, 51);
    h.setInsights(list);
    await h.run();
    const target = issueOf(String(list[0]!.id));
    h.gh.inject({ method: 'POST', path: `/repos/acme/security/issues/${target.number}/comments`, fault: { type: 'status', status: 502, after: true } });
    h.setInsights(list.slice(1));
    const run = await h.run();
    expect(run.result!.failure).toBeUndefined();
    expect(h.gh.issue(target.number)!.state).toBe('closed');
    expect(ourComments(target.number)).toHaveLength(1);
  });

  it('a run that stopped between a comment and its close: the next run closes without a second comment', async () => {
    const list = active(3, 52);
    h.setInsights(list);
    await h.run();
    const target = issueOf(String(list[0]!.id));
    const other = issueOf(String(list[1]!.id));
    // The comment is posted, then the close never answers and the state is not saved: a killed run.
    h.gh.inject({ method: 'PATCH', path: `/repos/acme/security/issues/${target.number}`, times: 10, fault: { type: 'disconnect' } });
    h.setInsights(list.slice(1));
    const noSave = {
      kind: 'none' as const,
      load: async () => ({ state: JSON.parse(readFileSync(h.statePath, 'utf8')) }),
      save: async () => ({ saved: false, reason: 'killed' }),
    };
    const killed = await h.run({}, { store: noSave as never });
    expect(killed.result?.failure ?? killed.error).toBeDefined();
    expect(ourComments(target.number)).toHaveLength(1);
    h.gh.clearFaults();

    const next = await h.run();
    expect(next.result!.failure).toBeUndefined();
    expect(h.gh.issue(target.number)!.state).toBe('closed');
    expect(ourComments(target.number)).toHaveLength(1);

    // A normal close pays no look at the comments.
    const before = h.gh.requests.length;
    h.setInsights(list.slice(2));
    await h.run();
    expect(h.gh.issue(other.number)!.state).toBe('closed');
    expect(h.gh.requests.slice(before).filter((r) => r.method === 'GET' && r.path.endsWith('/comments'))).toEqual([]);
  });
});

describe('why writes are pending', () => {
  it('a failed create is reported as failed and tried again, not as over max-issue-writes', async () => {
    const list = active(3, 36);
    h.setInsights(list);
    h.gh.failCreate({ status: 422, after: false });
    const run = await h.run({ 'max-issue-writes': '2' });
    expect(run.result!.failure).toBeUndefined();
    expect(run.result!.pendingBy).toEqual({ 'over-cap': 1, failed: 1, stopped: 0, 'dry-run': 0 });
    const summary = renderJobSummary(run.result!, run.settings!);
    expect(summary).toMatch(
      /Pending for the next run:\*\* 2 issues \(2 writes\): 1 over max-issue-writes, 1 failed for their own issue \(tried again next run\)/,
    );
    expect(renderSyncText(run.result!, run.settings!)).toMatch(/2 writes pending for the next run \(1 over max-issue-writes, 1 failed/);
    // The links go to the server the caller names (the action passes its GITHUB_SERVER_URL), never one read from the process.
    expect(summary).toMatch(/\]\(https:\/\/github\.com\/[^/]+\/[^/]+\/issues\/\d+\)/);
    expect(renderJobSummary(run.result!, run.settings!, 'https://ghe.example.com')).toMatch(/\]\(https:\/\/ghe\.example\.com\/[^/]+\/[^/]+\/issues\/\d+\)/);
    const next = await h.run({ 'max-issue-writes': '2' });
    expect(next.result!.pendingWrites).toBe(0);
    expect(h.gh.ours()).toHaveLength(3);
  });
});

describe('a transferred issue stays where it went', () => {
  it('a moved issue is never closed in the other repository, said once, and not filed again for a resolved insight', async () => {
    const list = active(2, 41);
    h.setInsights(list);
    await h.run();
    const moved = issueOf(String(list[0]!.id));
    const there = h.gh.person.transfer(moved.number);
    h.setInsights(list.slice(1));

    const run = await h.run();
    expect(run.error).toBeUndefined();
    expect(run.result!.failure).toBeUndefined();
    expect(there.state).toBe('open');
    expect(h.gh.comments.filter((c) => c.issue < 0)).toEqual([]);
    expect(h.gh.requests.filter((r) => r.path.startsWith('/repositories/'))).toEqual([]);
    expect(
      warnings(run).filter((w) => w.includes(`#${moved.number}`)),
      warnings(run).join('\n'),
    ).toHaveLength(1);
    expect(warnings(run).join('\n')).toMatch(/transferred|moved/);
    expect(stateRecord(String(list[0]!.id))?.issue ?? null).toBeNull();
    expect(run.result!.pendingWrites).toBe(0);

    const writes = h.gh.writes().length;
    const again = await h.run();
    expect(again.error).toBeUndefined();
    expect(h.gh.writes().length).toBe(writes);
    expect(h.gh.requests.filter((r) => r.path.includes(`/issues/${moved.number}`))).toHaveLength(1);
    expect(again.result!.pendingWrites).toBe(0);
  });

  it('an active insight whose issue moved is filed anew in the configured repository', async () => {
    const list = active(1, 42);
    h.setInsights(list);
    await h.run();
    const moved = issueOf(String(list[0]!.id));
    const there = h.gh.person.transfer(moved.number);
    h.setInsights(list.map((i) => ({ ...i, severity: 'Critical' })));
    const run = await h.run();
    expect(run.error).toBeUndefined();
    expect(there.title).not.toMatch(/Critical/);
    await h.run();
    const fresh = issueOf(String(list[0]!.id));
    expect(fresh.number).not.toBe(moved.number);
    expect(fresh.title).toMatch(/^\[Critical\]/);
  });
});
