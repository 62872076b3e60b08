/**
 * `cf-insights sync`, in-process through main(argv, io), against the Cloudflare and
 * GitHub fakes through the real clients, with the state in the file store: the same
 * multi-run scenario as the action, --dry-run, --json, the threshold and the errors.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseStateText } from '../../src/state/document.js';
import type { ResultJson } from '../../src/views/result-json.js';
import type { Insight } from '../../src/insights/types.js';
import { FAKE_ACCOUNT_ID, FAKE_TOKEN, makeInsights, startCloudflareFake, type CloudflareFake } from '../fakes/cloudflare.js';
import { startGithubFake, type GithubFake } from '../fakes/github.js';
import { SAMPLE_INVENTORY, runCli } from '../support/cli-runner.js';
import { duplicates } from '../support/harness.js';

/** The top-level fields of `sync --json`, as README documents them. */
const SYNC_JSON_FIELDS = [
  'scope',
  'repository',
  'dryRun',
  'complete',
  'incompleteReason',
  'counts',
  'newIds',
  'maxSeverity',
  'threshold',
  'requests',
  'state',
  'issues',
  'plan',
];

type SyncJson = ResultJson;

let cf: CloudflareFake;
let gh: GithubFake;
let home: string;
let state: string;

beforeEach(async () => {
  cf = await startCloudflareFake();
  gh = await startGithubFake({ owner: 'acme', repo: 'security' });
  home = mkdtempSync(join(tmpdir(), 'cf-insights-cli-sync-'));
  state = join(home, 'state.json');
});
afterEach(async () => {
  await Promise.all([cf.close(), gh.close()]);
  rmSync(home, { recursive: true, force: true });
});

const env = (extra: Record<string, string | undefined> = {}) => ({
  CLOUDFLARE_API_TOKEN: FAKE_TOKEN,
  CLOUDFLARE_ACCOUNT_ID: FAKE_ACCOUNT_ID,
  CLOUDFLARE_API_BASE_URL: cf.url,
  GITHUB_TOKEN: gh.token,
  GITHUB_API_URL: gh.url,
  ...extra,
});
const sync = (extra: string[] = [], e: Record<string, string | undefined> = {}) =>
  runCli(['sync', '--repo', 'acme/security', '--state', state, '--budget', '1000', '--fail-on', 'none', ...extra], { home, env: env(e) });
const syncJson = async (extra: string[] = [], e: Record<string, string | undefined> = {}) => {
  const run = await sync(['--json', ...extra], e);
  expect(run.code, run.stderr).toBe(0);
  return { run, json: JSON.parse(run.stdout) as SyncJson };
};
const validState = () => {
  const read = parseStateText(readFileSync(state, 'utf8'), { scope: `accounts/${FAKE_ACCOUNT_ID}` });
  expect(read.warning).toBeUndefined();
  return read.state!;
};

describe('sync over several runs (CLI, file store)', () => {
  it('opens, writes nothing when nothing changed, closes what is resolved and reopens what returns', async () => {
    const list = makeInsights(8, 21).map((i) => ({ ...i, dismissed: false }));
    cf.setInsights(list);

    const first = await syncJson();
    expect(first.json.counts.created).toBe(8);
    expect(gh.ours()).toHaveLength(8);
    expect(validState().insights[list[0]!.id]!.issue).toBeGreaterThan(0);

    const writes = gh.writes().length;
    const requests = gh.requests.length;
    const second = await syncJson();
    expect(second.json.counts).toMatchObject({ created: 0, updated: 0, resolved: 0, reopened: 0, new: 0, pendingWrites: 0 });
    expect(gh.writes().length).toBe(writes);
    expect(gh.requests.length - requests).toBe(1);

    cf.setInsights(list.slice(1));
    const third = await syncJson();
    expect(third.json.counts.resolved).toBe(1);
    const closed = gh.ours().filter((i) => i.state === 'closed');
    expect(closed).toHaveLength(1);
    expect(closed[0]!.state_reason).toBe('completed');

    cf.setInsights(list);
    const fourth = await syncJson();
    expect(fourth.json.counts.reopened).toBe(1);
    expect(gh.issue(closed[0]!.number)!.state).toBe('open');
    expect(gh.ours()).toHaveLength(8);
    expect(duplicates(gh)).toEqual([]);
    expect(validState().quota.used).toBe(4);
  });

  it('prints a few lines for a person, and takes GH_TOKEN as well as GITHUB_TOKEN', async () => {
    cf.setInsights(makeInsights(3, 22).map((i) => ({ ...i, dismissed: false })));
    const run = await sync([], { GITHUB_TOKEN: undefined, GH_TOKEN: gh.token });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^3 insights in accounts\/0123456789abcdef0123456789abcdef \(3 new\)\./);
    expect(run.stdout).toMatch(/Issues in acme\/security: 3 opened, 0 updated, 0 closed, 0 reopened; 0 writes pending/);
    expect(run.stdout).toMatch(/Cloudflare requests: 1 this run; 1 of 1000 used this month/);
    expect(run.stdout).toContain(`State saved to ${state}.`);
    expect(gh.ours()).toHaveLength(3);
  });

  it('--json prints the documented fields', async () => {
    cf.setInsights(makeInsights(5, 23).map((i) => ({ ...i, dismissed: false })));
    const { json } = await syncJson(['--max-issue-writes', '3']);
    expect(Object.keys(json)).toEqual(SYNC_JSON_FIELDS);
    expect(Object.keys(json.requests)).toEqual(['cloudflare', 'github', 'used', 'remaining', 'budget', 'resetDate']);
    expect(Object.keys(json.counts)).toEqual(['total', 'new', 'created', 'updated', 'resolved', 'dismissed', 'reopened', 'pendingWrites', 'pendingBy']);
    expect(json).toMatchObject({ dryRun: false, state: { saved: true, location: state, reason: null } });
    expect(json.counts).toMatchObject({ created: 3, pendingWrites: 2, total: 5, new: 5 });
    expect(json.newIds).toHaveLength(5);
    expect(json.requests.cloudflare).toBe(1);
    expect(json.requests.github).toBeGreaterThan(0);
    expect(json.issues.filter((i) => i.action === 'created')).toHaveLength(3);
    expect(json.issues.filter((i) => i.action === 'pending')).toHaveLength(2);
    expect(Object.keys(json.issues[0]!)).toEqual(['insight', 'insightIds', 'issue', 'action', 'severity', 'subject', 'title']);
    expect(json.plan.filter((p) => p.deferred)).toHaveLength(2);
    expect(Object.keys(json.plan[0]!)).toEqual(['insight', 'issue', 'severity', 'title', 'actions', 'reason', 'deferred']);
  });

  it('the threshold: exit 1 on an untriaged critical by default; --fail-on-scope new only in its first run', async () => {
    const [a] = makeInsights(1, 24) as [Insight];
    cf.setInsights([{ ...a, severity: 'Critical', dismissed: false }]);
    const args = ['sync', '--repo', 'acme/security', '--state', state];
    const first = await runCli(args, { home, env: env() });
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/^error: 1 insight is at Critical or above and untriaged: \[Critical\]/m);
    // With the issue it has now, and in words: `[Critical] #1 Dangling DNS record: host.example.com`.
    const filed = gh.ours()[0]!;
    expect(first.stderr).toContain(`[Critical] #${filed.number} ${filed.title.replace(/^\[Critical\] /, '')}`);
    const again = await runCli([...args, '--fail-on-scope', 'new'], { home, env: env() });
    expect(again.code).toBe(0);
    const open = await runCli(args, { home, env: env() });
    expect(open.code).toBe(1);
  });

  it('a token that cannot write: exit 3, one error line, the state still valid', async () => {
    await gh.close();
    gh = await startGithubFake({ owner: 'acme', repo: 'security', readOnlyToken: 'ghs_readOnly000' });
    cf.setInsights(makeInsights(2, 25).map((i) => ({ ...i, dismissed: false })));
    const run = await sync([], { GITHUB_TOKEN: 'ghs_readOnly000', GITHUB_API_URL: gh.url });
    expect(run.code).toBe(3);
    const errors = run.stderr.split('\n').filter((l) => l.startsWith('error: '));
    expect(errors).toHaveLength(1);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(gh.ours()).toHaveLength(0);
    validState();
  });

  it('without a GitHub token and without --dry-run: exit 2, no request', async () => {
    const run = await sync([], { GITHUB_TOKEN: undefined });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: A GitHub token is required/);
    expect(cf.requests).toHaveLength(0);
    expect(gh.requests).toHaveLength(0);
  });

  it('--repo is required', async () => {
    const run = await runCli(['sync', '--state', state], { home, env: env() });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/A repository is required/);
  });
});

describe('sync --dry-run', () => {
  it('prints the plan as a table and writes no issue; only the request ledger is saved', async () => {
    const list = makeInsights(4, 31).map((i) => ({ ...i, dismissed: false }));
    cf.setInsights(list);
    await syncJson();
    const writes = gh.writes().length;
    const before = validState();

    // One insight changes severity, one is gone.
    cf.setInsights([{ ...list[0]!, severity: list[0]!.severity === 'Critical' ? 'Low' : 'Critical' }, ...list.slice(2)]);
    const run = await sync(['--dry-run']);
    expect(run.code, run.stderr).toBe(0);
    expect(gh.writes().length).toBe(writes);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^ACTION\s+ISSUE\s+TITLE\s+WHY$/);
    const changed = gh.ours().find((i) => i.body!.includes(`id=${list[0]!.id} `))!;
    const gone = gh.ours().find((i) => i.body!.includes(`id=${list[1]!.id} `))!;
    expect(run.stdout).toMatch(new RegExp(`^update \\+ comment\\s+#${changed.number}\\s+\\[`, 'm'));
    expect(run.stdout).toMatch(new RegExp(`^close \\(completed\\)\\s+#${gone.number}\\s+\\[`, 'm'));
    expect(run.stdout).toMatch(/^Plan: 2 issues to write \(\d+ writes\), 0 over the cap \(0 writes\), 2 unchanged\.$/m);
    expect(run.stdout).toMatch(/^Dry run: 3 insights/m);

    const after = validState();
    expect(after.insights).toEqual(before.insights);
    expect(after.quota.used).toBe(before.quota.used + 1);
  });

  it('works without a GitHub token and makes no GitHub request', async () => {
    cf.setInsights(makeInsights(3, 32).map((i) => ({ ...i, dismissed: false })));
    const { json, run } = await syncJson(['--dry-run'], { GITHUB_TOKEN: undefined });
    expect(json.dryRun).toBe(true);
    expect(json.plan).toHaveLength(3);
    expect(json.plan.every((p) => p.actions.join() === 'create' && p.issue === null)).toBe(true);
    expect(json.counts.created).toBe(0);
    expect(gh.requests).toHaveLength(0);
    expect(run.stderr).toContain('No GitHub token: planning against the saved state only');
  });

  it('--from-file --dry-run spends nothing and leaves no state file', async () => {
    const run = await runCli(['sync', '--from-file', SAMPLE_INVENTORY, '--repo', 'example/security', '--dry-run', '--state', state, '--fail-on', 'none'], {
      home,
      env: {},
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Plan: 23 issues to write/m);
    expect(existsSync(state)).toBe(false);
    expect(cf.requests).toHaveLength(0);
  });
});

describe('the default state file', () => {
  it('of a sync names its repository', async () => {
    cf.setInsights(makeInsights(2, 41));
    const run = await runCli(['sync', '--repo', 'Acme/Security', '--budget', '1000', '--fail-on', 'none'], { home, env: env({ XDG_STATE_HOME: home }) });
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(home, 'cf-insights', `accounts-${FAKE_ACCOUNT_ID}.acme.security.json`))).toBe(true);
    expect(existsSync(join(home, 'cf-insights', `accounts-${FAKE_ACCOUNT_ID}.json`))).toBe(false);
  });
});

describe('one sync at a time on a state', () => {
  it('a second sync on the same state while one runs stops with one line (exit 2) and opens no duplicate', async () => {
    cf.setInsights(makeInsights(6, 31).map((i) => ({ ...i, dismissed: false })));
    const [a, b] = await Promise.all([sync(), sync()]);
    const codes = [a.code, b.code].sort();
    expect(codes).toEqual([0, 2]);
    const refused = a.code === 2 ? a : b;
    expect(refused.stderr).toMatch(/^error: Another cf-insights sync \(pid \d+[^)]*\) is using the state /m);
    expect(duplicates(gh)).toEqual([]);
    expect(gh.ours()).toHaveLength(6);
    expect(existsSync(`${state}.lock`)).toBe(false);
    // Once the first is done, the next run goes ahead and writes nothing.
    const again = await sync();
    expect(again.code).toBe(0);
    expect(gh.ours()).toHaveLength(6);
  });
});
