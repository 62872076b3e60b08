/**
 * cf-insights touches only what it owns (issue 11): the issues of the configured
 * repository and scope that it opened, and the labels it defines. Each case runs the
 * engine through the real clients against the GitHub and Cloudflare fakes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeInsights } from '../fakes/cloudflare.js';
import { startGithubFake, type GithubFake } from '../fakes/github.js';
import type { Insight } from '../../src/insights/types.js';
import { defaultStateKey } from '../../src/state/cache-store.js';
import { emptyState, forRepository } from '../../src/state/document.js';
import type { InsightRecord } from '../../src/state/types.js';
import { defaultStatePath } from '../../src/state/file-store.js';
import { duplicates, startHarness, type Harness } from '../support/harness.js';
import { parseSettings } from '../../src/config/settings.js';
import { fastThrottleForTests } from '../../src/github/throttle.js';
import { parseMarker } from '../../src/github/marker.js';
import { memoryLogger } from '../../src/log.js';
import { fileStateStore } from '../../src/state/file-store.js';
import { runEngine } from '../../src/sync/engine.js';
import { githubTracker } from '../../src/sync/github-tracker.js';
import type { Scope } from '../../src/insights/types.js';
import { insight } from '../support/insights.js';
import { thisProcess } from '../../src/cli/this-process.js';

const ACCOUNT_A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const ACCOUNT_B = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const ZONE = 'cccccccccccccccccccccccccccccccc';

/**
 * One sync of `scope` with a saved inventory, through the real GitHub client against the
 * harness's fake, each scope with its own state file (`lose` starts it without one).
 */
async function syncScope(scope: Scope, insights: Insight[], opts: { groupBy?: 'class'; lose?: boolean } = {}) {
  const log = memoryLogger();
  const raw = {
    [scope.kind === 'accounts' ? 'account-id' : 'zone-id']: scope.id,
    repository: 'acme/security',
    'github-token': h.gh.token,
    'github-api-url': h.gh.url,
    'fail-on-severity': 'none',
    ...(opts.groupBy ? { 'group-by': opts.groupBy } : {}),
  };
  const settings = parseSettings(raw, { cloudflare: false, github: true });
  const path = `${h.dir}/${scope.kind}-${scope.id}.json`;
  if (opts.lose) (await import('node:fs')).rmSync(path, { force: true });
  const inventory = { scope, insights, complete: true, count: insights.length, requests: 0, fetchedAt: '2026-11-20T00:00:00Z' };
  const result = await runEngine({
    settings,
    scope,
    store: fileStateStore({ proc: thisProcess, path, scope: `${scope.kind}/${scope.id}` }),
    source: { kind: 'file', inventory },
    tracker: githubTracker(settings.github!, log, { throttle: fastThrottleForTests(), recoveryDelayMs: 0 }),
    log,
  });
  expect(result.failure).toBeUndefined();
  return { result, log };
}

const scopeOfIssue = (body: string | null) => parseMarker(body)?.scope ?? null;

let h: Harness;
let other: GithubFake | null = null;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
  await other?.close();
  other = null;
});

const active = (list: Insight[]) => list.map((i) => ({ ...i, dismissed: false }));

describe('the state belongs to one repository', () => {
  it('a new repository starts like a lost state: no stranger is rewritten or closed, and every insight gets an issue there', async () => {
    const list = active(makeInsights(3, 31));
    h.setInsights(list);
    expect((await h.run()).result!.counts.created).toBe(3);

    // Another repository, with issues of its own under the same numbers.
    other = await startGithubFake({ owner: 'acme', repo: 'other' });
    for (const n of [1, 2, 3]) other.person.createIssue({ title: `Someone's issue ${n}`, body: `Notes ${n}`, labels: ['bug'] });
    const strangers = structuredClone(other.issues);
    h.setInsights([{ ...list[0]!, severity: 'Critical' }, list[1]!]);
    const run = await h.run({ repository: 'acme/other', 'github-api-url': other.url, 'github-token': other.token });
    expect(run.error).toBeUndefined();
    expect(other.issues.slice(0, 3)).toEqual(strangers);
    expect(other.writes().filter((w) => /\/issues\/[123](\/|$)/.test(w.path))).toEqual([]);
    expect(run.result!.counts.created).toBe(2);
    expect(other.ours()).toHaveLength(2);
    expect(run.log.lines.map((l) => l.message).join('\n')).toMatch(/written for acme\/security/);

    // And back: the first repository's issues are found by their markers, none doubled.
    h.setInsights(list);
    const back = await h.run();
    expect(back.error).toBeUndefined();
    expect(duplicates(h.gh)).toEqual([]);
    expect(h.gh.ours()).toHaveLength(3);
  });

  it('records of a state written for another repository, or for none it names (version 1), lose their issue numbers', () => {
    const record: InsightRecord = {
      fingerprint: 'f',
      severity: 'High',
      issueType: 't',
      issueClass: 'c',
      subject: 's',
      issue: 7,
      state: 'triaged',
      firstSeen: 'a',
      lastSeen: 'b',
    };
    const doc = {
      ...emptyState({ scope: 'accounts/x', filters: '', now: new Date(0) }),
      insights: { a: record },
      groups: { c: { issue: 8, fingerprint: 'g', state: 'open' as const, severity: 'High' } },
    };
    const mine = { ...doc, github: { repository: 'Acme/Security', listedAt: 'x' } };
    expect(forRepository(mine, 'acme/security')).toMatchObject({ state: mine, setAside: false });
    for (const [state, from] of [
      [mine, 'Acme/Security'],
      [doc, null],
    ] as const) {
      const here = forRepository(state, 'acme/other');
      expect(here).toMatchObject({ setAside: true, from });
      expect(here.state.insights['a']).toEqual({ ...record, issue: null, state: 'pending' });
      expect(Object.keys(here.state.groups)).toEqual([]);
    }
  });

  it('the default state key and state file name carry the repository', () => {
    const scope = 'accounts/0123456789abcdef0123456789abcdef';
    expect(defaultStateKey(scope, 'f', 'acme/security')).not.toBe(defaultStateKey(scope, 'f', 'acme/other'));
    expect(defaultStateKey(scope, 'f', 'Acme/Security')).toBe(defaultStateKey(scope, 'f', 'acme/security'));
    expect(defaultStateKey(scope, 'f', 'acme/security')).toContain('acme.security');
    const env = { HOME: '/home/u' };
    expect(defaultStatePath(scope, env, 'acme/security')).not.toBe(defaultStatePath(scope, env, 'acme/other'));
    expect(defaultStatePath(scope, env, 'acme/security')).toBe(`/home/u/.local/state/cf-insights/accounts-0123456789abcdef0123456789abcdef.acme.security.json`);
    expect(defaultStatePath(scope, env)).toBe(`/home/u/.local/state/cf-insights/accounts-0123456789abcdef0123456789abcdef.json`);
  });
});

describe('the marker names its scope', () => {
  const A: Scope = { kind: 'accounts', id: ACCOUNT_A };
  const B: Scope = { kind: 'accounts', id: ACCOUNT_B };
  const Z: Scope = { kind: 'zones', id: ZONE };

  it('writes a v2 marker with the scope', async () => {
    await syncScope(A, [insight('a1')]);
    expect(h.gh.ours()[0]!.body!.trimEnd().split('\n').at(-1)).toMatch(new RegExp(`^<!-- cf-insights:v2 scope=accounts/${ACCOUNT_A} id=a1 fp=\\S+ -->$`));
  });

  it('two accounts grouping by class in one repository with the same labels each keep their own class issue', async () => {
    const cls = { issue_class: 'dangling_dns_record' };
    await syncScope(A, [insight('a1', cls), insight('a2', cls)], { groupBy: 'class' });
    await syncScope(B, [insight('b1', cls)], { groupBy: 'class' });
    const issues = () => h.gh.ours().map((i) => ({ number: i.number, scope: scopeOfIssue(i.body), state: i.state }));
    expect(issues()).toEqual([
      { number: 1, scope: `accounts/${ACCOUNT_A}`, state: 'open' },
      { number: 2, scope: `accounts/${ACCOUNT_B}`, state: 'open' },
    ]);
    // A's class is gone; B's stays open. Then B with a lost state: it takes only its own.
    await syncScope(A, [], { groupBy: 'class' });
    const bBody = h.gh.issue(2)!.body;
    await syncScope(B, [insight('b1', cls)], { groupBy: 'class', lose: true });
    expect(issues()).toEqual([
      { number: 1, scope: `accounts/${ACCOUNT_A}`, state: 'closed' },
      { number: 2, scope: `accounts/${ACCOUNT_B}`, state: 'open' },
    ]);
    expect(h.gh.issue(2)!.body).toBe(bBody);
  });

  it('an account and a zone that both see an insight each file and close their own issue, with a warm or a lost state', async () => {
    const shared = insight('s1');
    await syncScope(A, [shared]);
    await syncScope(Z, [shared], { lose: true });
    expect(h.gh.ours().map((i) => scopeOfIssue(i.body))).toEqual([`accounts/${ACCOUNT_A}`, `zones/${ZONE}`]);
    await syncScope(Z, [], { lose: true });
    expect(h.gh.issue(1)!.state).toBe('open');
    expect(h.gh.issue(2)!.state).toBe('closed');
    const writes = h.gh.writes().length;
    await syncScope(A, [shared], { lose: true });
    expect(h.gh.writes().length).toBe(writes);
  });

  it('reads a v1 marker, and upgrades it only when the issue is edited anyway', async () => {
    const [a, b] = [insight('a1'), insight('a2')];
    await syncScope(A, [a, b]);
    const v1 = (n: number) => h.gh.person.editBody(n, h.gh.issue(n)!.body!.replace(/cf-insights:v2 scope=\S+ /, 'cf-insights:v1 '));
    v1(1);
    v1(2);
    const writes = h.gh.writes().length;
    // A lost state, nothing changed: both v1 issues adopted, nothing written.
    await syncScope(A, [a, b], { lose: true });
    expect(h.gh.writes().length).toBe(writes);
    // One changes: only that one is rewritten, with a v2 marker.
    await syncScope(A, [{ ...a, severity: 'Critical' }, b]);
    expect(scopeOfIssue(h.gh.issue(1)!.body)).toBe(`accounts/${ACCOUNT_A}`);
    expect(h.gh.issue(2)!.body).toMatch(/cf-insights:v1 id=a2/);
    expect(duplicates(h.gh)).toEqual([]);
  });

  it('a v1 issue that names only another account is not taken', async () => {
    await syncScope(B, [insight('x1')]);
    h.gh.person.editBody(1, h.gh.issue(1)!.body!.replace(/cf-insights:v2 scope=\S+ /, 'cf-insights:v1 '));
    const before = structuredClone(h.gh.issue(1));
    await syncScope(A, [insight('x1')], { lose: true });
    await syncScope(A, [], { lose: true });
    expect(h.gh.issue(1)).toEqual(before);
    expect(h.gh.ours()).toHaveLength(2);
  });
});

describe('the recorded issue wins over a copy', () => {
  const A: Scope = { kind: 'accounts', id: ACCOUNT_A };
  const warnings = (log: ReturnType<typeof memoryLogger>) => log.lines.filter((l) => l.level === 'warning').map((l) => l.message);

  for (const lose of [false, true]) {
    it(`a person's copy of an issue (marker included) is reported once and never written to, with a ${lose ? 'lost' : 'warm'} state`, async () => {
      const a = insight('a1');
      await syncScope(A, [a, insight('a2')]);
      const original = h.gh.issue(1)!;
      const copy = h.gh.person.createIssue({ title: `Copy of ${original.title}`, body: original.body, labels: original.labels });
      const untouched = structuredClone(copy);

      const changed = await syncScope(A, [{ ...a, severity: 'Critical' }, insight('a2')], { lose });
      expect(h.gh.issue(1)!.title).toMatch(/^\[Critical\]/);
      expect(warnings(changed.log).filter((w) => w.includes(`#${copy.number}`))).toHaveLength(1);
      const quiet = await syncScope(A, [{ ...a, severity: 'Critical' }, insight('a2')], { lose });
      if (!lose) expect(warnings(quiet.log)).toEqual([]);
      await syncScope(A, [insight('a2')], { lose });
      expect(h.gh.issue(1)!.state).toBe('closed');
      expect(h.gh.issue(copy.number)).toEqual(untouched);
      expect(h.gh.writes().filter((w) => w.path.endsWith(`/issues/${copy.number}`) || w.path.includes(`/issues/${copy.number}/`))).toEqual([]);
    });
  }
});

describe('labels: only its own', () => {
  const A: Scope = { kind: 'accounts', id: ACCOUNT_A };

  for (const lose of [false, true]) {
    it(`a person's labels that look like ours (type:triage, severity:sev2) stay through an edit, a close and a reopen (${lose ? 'lost' : 'warm'} state)`, async () => {
      const a = insight('a1', { severity: 'Moderate' });
      await syncScope(A, [a]);
      const mine = ['type:triage', 'severity:sev2', 'needs-owner'];
      h.gh.person.setLabels(1, [...h.gh.issue(1)!.labels, ...mine]);
      await syncScope(A, [{ ...a, severity: 'High' }], { lose });
      expect(h.gh.issue(1)!.labels).toEqual(expect.arrayContaining([...mine, 'severity:high', 'type:exposed_infrastructure']));
      expect(h.gh.issue(1)!.labels).not.toContain('severity:moderate');
      // A severity rise is read from our label only: a person's `severity:sev2` is not a severity.
      expect(
        h.gh
          .commentsOn(1)
          .map((c) => c.body)
          .join('\n'),
      ).toMatch(/from \*\*Moderate\*\* to \*\*High\*\*/);
      await syncScope(A, [{ ...a, severity: 'High', dismissed: true }], { lose });
      expect(h.gh.issue(1)!.labels).toEqual(expect.arrayContaining([...mine, 'dismissed-in-cloudflare']));
      await syncScope(A, [{ ...a, severity: 'Low' }], { lose });
      expect(h.gh.issue(1)!.state).toBe('open');
      expect(h.gh.issue(1)!.labels.sort()).toEqual(['cloudflare-insight', ...mine, 'severity:low', 'type:exposed_infrastructure'].sort());
    });
  }

  it('adds no label outside its own set for an undocumented severity or type', async () => {
    await syncScope(A, [insight('a1', { severity: 'Info', issue_type: 'new_kind' })]);
    expect(h.gh.issue(1)!.labels).toEqual(['cloudflare-insight']);
  });
});

describe('labels a run did not read', () => {
  it('an edit planned from the state (the issue not in the `since` listing) keeps the labels a person added earlier', async () => {
    const A: Scope = { kind: 'accounts', id: ACCOUNT_A };
    const a = insight('a1', { severity: 'Moderate' });
    await syncScope(A, [a]);
    h.gh.person.setLabels(1, [...h.gh.issue(1)!.labels, 'needs-owner', 'type:triage']);
    h.gh.advance(5);
    await syncScope(A, [a]);
    const edit = await syncScope(A, [{ ...a, severity: 'High' }]);
    expect(edit.result.github!.listing).toBe('since');
    expect(h.gh.issue(1)!.labels.sort()).toEqual(['cloudflare-insight', 'needs-owner', 'severity:high', 'type:exposed_infrastructure', 'type:triage']);
    await syncScope(A, []);
    expect(h.gh.issue(1)!.state).toBe('closed');
    expect(h.gh.issue(1)!.labels).toEqual(expect.arrayContaining(['needs-owner', 'type:triage']));
  });
});
