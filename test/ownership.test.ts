/**
 * cf-insights touches only what it owns (issue 11): the issues of the configured
 * repository and scope that it opened, and the labels it defines. Each case runs the
 * engine through the real clients against the GitHub and Cloudflare fakes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeInsights } from './fakes/cloudflare.js';
import { startGithubFake, type GithubFake } from './fakes/github.js';
import type { Insight } from '../src/insights/types.js';
import { defaultStateKey } from '../src/state/cache-store.js';
import { emptyState, forRepository } from '../src/state/document.js';
import type { InsightRecord } from '../src/state/types.js';
import { defaultStatePath } from '../src/state/file-store.js';
import { duplicates, startHarness, type Harness } from './support/harness.js';

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
    expect(run.log.lines.map((l) => l.message).join("\n")).toMatch(/written for acme\/security/);

    // And back: the first repository's issues are found by their markers, none doubled.
    h.setInsights(list);
    const back = await h.run();
    expect(back.error).toBeUndefined();
    expect(duplicates(h.gh)).toEqual([]);
    expect(h.gh.ours()).toHaveLength(3);
  });

  it('records of a state written for another repository, or for none it names (version 1), lose their issue numbers', () => {
    const record: InsightRecord = { fingerprint: 'f', severity: 'High', issueType: 't', issueClass: 'c', subject: 's', issue: 7, state: 'triaged', firstSeen: 'a', lastSeen: 'b' };
    const doc = { ...emptyState({ scope: 'accounts/x', filters: '', now: new Date(0) }), insights: { a: record }, groups: { c: { issue: 8, fingerprint: 'g', state: 'open' as const, severity: 'High' } } };
    const mine = { ...doc, github: { repository: 'Acme/Security', listedAt: 'x' } };
    expect(forRepository(mine, 'acme/security')).toMatchObject({ state: mine, setAside: false });
    for (const [state, from] of [[mine, 'Acme/Security'], [doc, null]] as const) {
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
