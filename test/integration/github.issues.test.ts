import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGithubClient, type GithubClient } from '../../src/github/client.js';
import { GithubError } from '../../src/github/errors.js';
import { addComment, commentMarker, closeIssue, createIssue, ensureLabels, listTrackedIssues, reopenIssue, updateIssue } from '../../src/github/issues.js';
import { renderMarker } from '../../src/github/marker.js';
import { fastThrottleForTests } from '../../src/github/throttle.js';
import { memoryLogger } from '../../src/log.js';
import { startGithubFake, type GithubFake } from '../fakes/github.js';

const LABEL = 'cloudflare-insight';

let gh: GithubFake;
let client: GithubClient;
let log: ReturnType<typeof memoryLogger>;

function clientFor(token: string, extra: Partial<Parameters<typeof createGithubClient>[0]> = {}): GithubClient {
  return createGithubClient({ token, baseUrl: gh.url, log, throttle: fastThrottleForTests(), ...extra });
}

const repo = () => ({ owner: gh.owner, repo: gh.repo });
const content = (id: string, fp = 'fp1') => ({
  title: `[High] Dangling DNS record: ${id}.example.com`,
  body: `Body of ${id}\n\n${renderMarker({ id, fp })}`,
  labels: [LABEL, 'severity:high'],
});

async function expectGithubError(promise: Promise<unknown>, kind: string, status: number | null, pattern: RegExp): Promise<GithubError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a GithubError');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GithubError);
  const g = error as GithubError;
  expect({ kind: g.kind, status: g.status }).toEqual({ kind, status });
  expect(g.message).toMatch(pattern);
  expect(g.message).not.toContain('\n');
  expect(g.exitCode).toBe(3);
  for (const text of [g.message, ...g.details]) {
    expect(text).not.toContain(gh.token);
    expect(text).not.toContain(gh.readOnlyToken);
    expect(text).not.toContain('ghs_');
  }
  return g;
}

beforeEach(async () => {
  gh = await startGithubFake({ owner: 'acme', repo: 'security', start: '2025-03-01T12:00:00Z' });
  log = memoryLogger();
  client = clientFor(gh.token);
});

afterEach(async () => {
  await gh.close();
});

describe('listTrackedIssues', () => {
  it('lists every labelled issue and PR-free, following Link pagination, with markers parsed', async () => {
    for (let i = 0; i < 230; i++) {
      gh.person.createIssue({ title: `t${i}`, body: `x\n${renderMarker({ id: `ins-${i}`, fp: `fp-${i}` })}`, labels: [LABEL] });
    }
    gh.person.createIssue({ title: 'unrelated', body: 'no label' });
    gh.person.createIssue({ title: 'no marker', body: 'edited away', labels: [LABEL] });
    gh.person.createPullRequest({ title: 'a PR', body: renderMarker({ id: 'pr', fp: 'x' }), labels: [LABEL] });
    gh.person.close(5, 'not_planned');

    const listing = await listTrackedIssues(client.octokit, { ...repo(), label: LABEL });

    expect(listing.requests).toBe(3);
    expect(client.stats.requests).toBe(3);
    const reqs = gh.requests.filter((r) => r.path === '/repos/acme/security/issues');
    expect(reqs).toHaveLength(3);
    expect(reqs[0]!.query).toEqual({ labels: LABEL, state: 'all', sort: 'updated', direction: 'asc', per_page: '100' });
    expect(reqs.map((r) => r.query.page)).toEqual([undefined, '2', '3']);
    expect(listing.issues).toHaveLength(231);
    expect(listing.issues.some((i) => i.title === 'a PR' || i.title === 'unrelated')).toBe(false);
    expect(listing.issues.find((i) => i.title === 'no marker')!.marker).toBeNull();
    const five = listing.issues.find((i) => i.number === 5)!;
    expect(five).toMatchObject({ state: 'closed', stateReason: 'not_planned', marker: { id: 'ins-4', fp: 'fp-4' }, labels: [LABEL] });
    // Oldest update first: the issue closed last comes last.
    expect(listing.issues.at(-1)!.number).toBe(5);
    expect(client.stats.serverTime).toBe(gh.now());
  });

  it('asks only for issues updated since the last listing', async () => {
    for (let i = 0; i < 5; i++) gh.person.createIssue({ title: `t${i}`, body: renderMarker({ id: `i${i}`, fp: 'f' }), labels: [LABEL] });
    const first = await listTrackedIssues(client.octokit, { ...repo(), label: LABEL });
    expect(first.issues).toHaveLength(5);
    const since = client.stats.serverTime!;
    gh.advance(60);
    gh.person.close(2, 'not_planned');
    gh.person.editBody(4, 'a person rewrote it');

    const second = await listTrackedIssues(client.octokit, { ...repo(), label: LABEL, since });
    expect(gh.requests.at(-1)!.query.since).toBe(since);
    // `since` is inclusive at GitHub's one-second resolution: the issue last updated in
    // the second of the first listing comes again, then the two a person changed.
    expect(second.issues.map((i) => i.number)).toEqual([5, 2, 4]);
    expect(second.issues[2]!.marker).toBeNull();
    expect(second.requests).toBe(1);
  });

  it('maps a bad token, an unknown repository and disabled issues to one line each', async () => {
    await expectGithubError(
      listTrackedIssues(clientFor('ghp_wrong').octokit, { ...repo(), label: LABEL }),
      'auth',
      401,
      /GitHub rejected the token \(HTTP 401\).*`github-token`/,
    );
    await expectGithubError(
      listTrackedIssues(client.octokit, { owner: 'acme', repo: 'nope', label: LABEL }),
      'not-found',
      404,
      /GitHub repository acme\/nope was not found \(HTTP 404\): check `repository`/,
    );
    gh.issuesEnabled = false;
    await expectGithubError(
      listTrackedIssues(client.octokit, { ...repo(), label: LABEL }),
      'issues-disabled',
      410,
      /issues are disabled in acme\/security \(HTTP 410\)/,
    );
  });

  it('works against a GitHub Enterprise Server style base URL with a path', async () => {
    const ghes = await startGithubFake({ pathPrefix: '/api/v3' });
    try {
      for (let i = 0; i < 3; i++) ghes.person.createIssue({ title: `t${i}`, body: renderMarker({ id: `i${i}`, fp: 'f' }), labels: [LABEL] });
      const c = createGithubClient({ token: ghes.token, baseUrl: `${ghes.url}/`, throttle: fastThrottleForTests() });
      const listing = await listTrackedIssues(c.octokit, { owner: ghes.owner, repo: ghes.repo, label: LABEL, perPage: 2 });
      expect(listing.issues.map((i) => i.marker?.id)).toEqual(['i0', 'i1', 'i2']);
      expect(ghes.requests.map((r) => r.status)).toEqual([200, 200]);
    } finally {
      await ghes.close();
    }
  });
});

describe('ensureLabels', () => {
  it('creates only the missing labels, coloured, after one listing', async () => {
    gh.labels.push({ id: 900, name: 'Cloudflare-Insight', color: 'f38020', description: null });
    const known = new Set<string>();
    const result = await ensureLabels(client.octokit, {
      ...repo(),
      labels: [LABEL, 'severity:critical', 'type:exposed_infrastructure', 'severity:critical'],
      known,
    });
    expect(result.created).toEqual(['severity:critical', 'type:exposed_infrastructure']);
    expect(gh.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/acme/security/labels',
      'POST /repos/acme/security/labels',
      'POST /repos/acme/security/labels',
    ]);
    expect(gh.requests[0]!.query.per_page).toBe('100');
    expect(gh.labels.find((l) => l.name === 'severity:critical')).toMatchObject({ color: 'b60205' });

    // Known labels cost nothing; a fresh process costs one listing and no creation.
    await ensureLabels(client.octokit, { ...repo(), labels: [LABEL, 'severity:critical'], known });
    expect(gh.requests).toHaveLength(3);
    expect((await ensureLabels(client.octokit, { ...repo(), labels: [LABEL, 'severity:critical'] })).created).toEqual([]);
    expect(gh.requests).toHaveLength(4);
  });

  it('accepts a label created meanwhile (422 already_exists)', async () => {
    gh.inject({
      method: 'POST',
      path: '/repos/acme/security/labels',
      fault: {
        type: 'status',
        status: 422,
        body: { message: 'Validation Failed', errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }] },
      },
    });
    await expect(ensureLabels(client.octokit, { ...repo(), labels: ['severity:low'] })).resolves.toEqual({ created: [] });
  });

  it('names the label GitHub refuses', async () => {
    const long = `x${'y'.repeat(60)}`;
    await expectGithubError(
      ensureLabels(client.octokit, { ...repo(), labels: [long] }),
      'label',
      422,
      new RegExp(`GitHub refused \`${long}\` in acme/security \\(HTTP 422: invalid\\).*\`labels\``),
    );
  });

  it('a read-only token cannot create labels: names the permission', async () => {
    await expectGithubError(
      ensureLabels(clientFor(gh.readOnlyToken).octokit, { ...repo(), labels: ['severity:low'] }),
      'permission',
      403,
      /GitHub refused to create label `severity:low` in acme\/security \(HTTP 403: Resource not accessible by integration\): the token needs `issues: write`/,
    );
  });
});

describe('createIssue', () => {
  it('creates the issue with its labels', async () => {
    const { issue, recovered } = await createIssue(client.octokit, { ...repo(), ...content('a'), label: LABEL, assignees: ['sec-lead'] });
    expect(recovered).toBe(false);
    expect(issue).toMatchObject({ number: 1, state: 'open', stateReason: null, marker: { id: 'a', fp: 'fp1' }, labels: [LABEL, 'severity:high'] });
    expect(gh.issues[0]!.assignees).toEqual(['sec-lead']);
    expect(gh.requests.map((r) => r.method)).toEqual(['POST']);
  });

  it('a 502 after the issue was created returns that issue and opens no duplicate', async () => {
    gh.failCreate({ status: 502, after: true });
    const { issue, recovered } = await createIssue(client.octokit, { ...repo(), ...content('a'), label: LABEL, recoveryDelayMs: 0, log });
    expect(recovered).toBe(true);
    expect(issue.number).toBe(1);
    expect(gh.byMarkerId().get('a')).toHaveLength(1);
    expect(gh.issues).toHaveLength(1);
    // One POST (the retry plugin did not repeat it), then one listing of our newest issues.
    expect(gh.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 502', 'GET 200']);
    expect(gh.requests[1]!.query).toMatchObject({ labels: LABEL, state: 'all', sort: 'created', direction: 'desc' });
    expect(log.lines.some((l) => l.level === 'warning' && /HTTP 502/.test(l.message))).toBe(true);
  });

  it('a 502 before anything was created does not take the issue another scope filed for the same insight', async () => {
    const [A, Z] = [`accounts/${'a'.repeat(32)}`, `zones/${'c'.repeat(32)}`];
    gh.person.createIssue({ title: 'zone', body: `Zone\n\n${renderMarker({ scope: Z, id: 's', fp: 'f' })}`, labels: [LABEL] });
    gh.failCreate({ status: 502, after: false });
    const { issue, recovered } = await createIssue(client.octokit, {
      ...repo(),
      ...content('s'),
      body: `A\n\n${renderMarker({ scope: A, id: 's', fp: 'f' })}`,
      label: LABEL,
      recoveryDelayMs: 0,
    });
    expect(recovered).toBe(false);
    expect(issue.number).toBe(2);
    expect(issue.marker?.scope).toBe(A);
  });

  it('a dropped connection after the issue was created also finds it', async () => {
    gh.inject({ method: 'POST', path: '/repos/acme/security/issues', fault: { type: 'disconnect', after: true } });
    const { recovered } = await createIssue(client.octokit, { ...repo(), ...content('b'), label: LABEL, recoveryDelayMs: 0 });
    expect(recovered).toBe(true);
    expect(gh.byMarkerId().get('b')).toHaveLength(1);
  });

  it('a 502 before anything was created tries again, once', async () => {
    gh.failCreate({ status: 502, after: false });
    const { issue, recovered } = await createIssue(client.octokit, { ...repo(), ...content('c'), label: LABEL, recoveryDelayMs: 0 });
    expect(recovered).toBe(false);
    expect(issue.marker?.id).toBe('c');
    expect(gh.issues).toHaveLength(1);
    expect(gh.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 502', 'GET 200', 'POST 201']);
  });

  it('does not mistake another insight for the one being created', async () => {
    gh.person.createIssue({ title: 'other', body: renderMarker({ id: 'other', fp: 'x' }), labels: [LABEL] });
    gh.failCreate({ status: 503, after: false });
    const { issue } = await createIssue(client.octokit, { ...repo(), ...content('d'), label: LABEL, recoveryDelayMs: 0 });
    expect(issue.marker?.id).toBe('d');
    expect(issue.number).toBe(2);
  });

  it('gives up after the attempts with one line, having created nothing', async () => {
    gh.failCreate({ status: 502, after: false, times: 10 });
    await expectGithubError(
      createIssue(client.octokit, { ...repo(), ...content('e'), label: LABEL, recoveryDelayMs: 0, attempts: 3 }),
      'server',
      502,
      /GitHub failed to create an issue in acme\/security \(HTTP 502\)/,
    );
    expect(gh.issues).toHaveLength(0);
    expect(gh.requests.filter((r) => r.method === 'POST')).toHaveLength(3);
  });

  it('a secondary rate limit with retry-after is waited out and the writes finish', async () => {
    gh.secondaryRateLimit({ method: 'POST', path: '/repos/acme/security/issues', nth: 2, retryAfter: 3 });
    for (const id of ['a', 'b', 'c']) await createIssue(client.octokit, { ...repo(), ...content(id), label: LABEL, log });
    expect([...gh.byMarkerId().keys()].sort()).toEqual(['a', 'b', 'c']);
    expect(gh.requests.map((r) => r.status)).toEqual([201, 403, 201, 201]);
    expect(client.stats).toMatchObject({ requests: 4, writes: 4, rateLimited: 1 });
    expect(log.lines.filter((l) => l.level === 'warning').map((l) => l.message)).toEqual([
      'GitHub secondary rate limit on POST /repos/{owner}/{repo}/issues: waiting 3s, then retry 1 of 2.',
    ]);
  });

  it('a secondary rate limit that does not lift stops with one line', async () => {
    gh.secondaryRateLimit({ method: 'POST', times: 10, retryAfter: 1 });
    await expectGithubError(
      createIssue(client.octokit, { ...repo(), ...content('a'), label: LABEL }),
      'rate-limit',
      403,
      /GitHub rate limit hit while trying to create an issue in acme\/security \(HTTP 403\).*`max-issue-writes`/,
    );
    expect(gh.requests).toHaveLength(3);
    expect(gh.issues).toHaveLength(0);
  });

  it('a primary rate limit is waited out once reset', async () => {
    gh.inject({ method: 'GET', fault: { type: 'rate-limit', resetInSeconds: 0 } });
    const listing = await listTrackedIssues(client.octokit, { ...repo(), label: LABEL });
    expect(listing.issues).toEqual([]);
    expect(gh.requests.map((r) => r.status)).toEqual([403, 200]);
    expect(client.stats.rateLimited).toBe(1);
  });

  it.each([
    [
      'a read-only token',
      () => clientFor(gh.readOnlyToken),
      'permission',
      403,
      /GitHub refused to create an issue in acme\/security \(HTTP 403: Resource not accessible by integration\): the token needs `issues: write` \(add `permissions: issues: write` to the workflow/,
    ],
    ['a bad token', () => clientFor('ghp_nope'), 'auth', 401, /HTTP 401/],
  ] as const)('with %s: one line naming what to do', async (_name, make, kind, status, pattern) => {
    await expectGithubError(createIssue(make().octokit, { ...repo(), ...content('a'), label: LABEL }), kind, status, pattern);
    expect(gh.issues).toHaveLength(0);
  });

  it('a repository the token cannot see: names the permission', async () => {
    await expectGithubError(
      createIssue(client.octokit, { owner: 'acme', repo: 'hidden', ...content('a'), label: LABEL }),
      'permission',
      404,
      /GitHub could not create an issue in acme\/hidden \(HTTP 404\).*`repository`.*`issues: write`/,
    );
  });

  it('a refused label or assignee says which setting to fix', async () => {
    const strict = await startGithubFake({ autoCreateLabels: false, collaborators: ['sec-lead'] });
    try {
      const c = createGithubClient({ token: strict.token, baseUrl: strict.url, throttle: fastThrottleForTests() });
      const ref = { owner: strict.owner, repo: strict.repo };
      await expectGithubError(
        createIssue(c.octokit, { ...ref, ...content('a'), label: LABEL }),
        'label',
        422,
        /GitHub refused a label .*\(HTTP 422: invalid\)/,
      );
      strict.labels.push({ id: 1, name: LABEL, color: 'ededed', description: null }, { id: 2, name: 'severity:high', color: 'd93f0b', description: null });
      await expectGithubError(createIssue(c.octokit, { ...ref, ...content('a'), label: LABEL, assignees: ['stranger'] }), 'assignee', 422, /`assignees`/);
      expect(strict.issues).toHaveLength(0);
    } finally {
      await strict.close();
    }
  });

  it('issues disabled: says so', async () => {
    gh.issuesEnabled = false;
    await expectGithubError(createIssue(client.octokit, { ...repo(), ...content('a'), label: LABEL }), 'issues-disabled', 410, /issues are disabled/);
  });

  it('with several configured labels (comma = all of them), finds only issues with every one', async () => {
    const labels = [LABEL, 'team-a'];
    await createIssue(client.octokit, { ...repo(), ...content('a'), labels, label: labels.join(','), log });
    gh.person.createIssue({ title: 'other team', body: renderMarker({ id: 'b', fp: 'f' }), labels: [LABEL, 'team-b'] });
    const listing = await listTrackedIssues(client.octokit, { ...repo(), label: labels.join(',') });
    expect(listing.issues.map((i) => i.marker?.id)).toEqual(['a']);
    expect(log.lines.filter((l) => l.level === 'warning')).toEqual([]);
  });

  it('warns when GitHub drops our label (the token may not set labels)', async () => {
    gh.inject({
      method: 'POST',
      path: '/repos/acme/security/issues',
      fault: { type: 'status', status: 201, body: { number: 9, state: 'open', title: 't', body: content('a').body, labels: [], updated_at: gh.now() } },
    });
    await createIssue(client.octokit, { ...repo(), ...content('a'), label: LABEL, log });
    expect(log.lines.some((l) => l.level === 'warning' && l.message.includes(`without the label \`${LABEL}\``))).toBe(true);
  });
});

describe('edits', () => {
  beforeEach(async () => {
    await createIssue(client.octokit, { ...repo(), ...content('a'), label: LABEL });
    gh.requests.length = 0;
  });

  it('update, comment, close as not planned, reopen, close as completed', async () => {
    const stamps: string[] = [gh.issue(1)!.updated_at];
    const stamp = () => stamps.push(gh.issue(1)!.updated_at);
    const updated = await updateIssue(client.octokit, {
      ...repo(),
      number: 1,
      title: 'new',
      body: content('a', 'fp2').body,
      labels: [LABEL, 'severity:critical'],
    });
    stamp();
    expect(updated).toMatchObject({ title: 'new', marker: { id: 'a', fp: 'fp2' }, labels: [LABEL, 'severity:critical'] });
    await addComment(client.octokit, { ...repo(), number: 1, body: 'Severity rose.' });
    // With a hidden marker, to know it again after an ambiguous failure.
    expect(gh.commentsOn(1).map((c) => c.body)).toEqual([`Severity rose.\n\n${commentMarker('Severity rose.')}`]);

    const closed = await closeIssue(client.octokit, { ...repo(), number: 1, reason: 'not_planned' });
    stamp();
    expect(closed).toMatchObject({ state: 'closed', stateReason: 'not_planned' });
    const reopened = await reopenIssue(client.octokit, { ...repo(), number: 1, content: { title: 'back' } });
    stamp();
    expect(reopened).toMatchObject({ state: 'open', stateReason: 'reopened', title: 'back' });
    const done = await closeIssue(client.octokit, { ...repo(), number: 1, reason: 'completed', content: { body: content('a', 'fp3').body } });
    stamp();
    expect(done).toMatchObject({ state: 'closed', stateReason: 'completed', marker: { fp: 'fp3' } });

    expect(gh.requests.map((r) => r.method)).toEqual(['PATCH', 'POST', 'PATCH', 'PATCH', 'PATCH']);
    expect(gh.requests[4]!.body).toEqual({ body: content('a', 'fp3').body, state: 'closed', state_reason: 'completed' });
    // Every write moved updated_at strictly forward (what `since` relies on).
    const times = stamps.map((t) => Date.parse(t));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(times).size).toBe(times.length);
  });

  it('a 5xx on an edit is retried by the retry plugin', async () => {
    gh.inject({ method: 'PATCH', fault: { type: 'status', status: 502 } });
    const closed = await closeIssue(client.octokit, { ...repo(), number: 1, reason: 'completed' });
    expect(closed.state).toBe('closed');
    expect(gh.requests.map((r) => r.status)).toEqual([502, 200]);
    expect(client.stats.requests).toBe(gh.requests.length + 1); // the create in beforeEach
  });

  it('a deleted issue is reported as gone', async () => {
    gh.person.delete(1);
    await expectGithubError(updateIssue(client.octokit, { ...repo(), number: 1, title: 'x' }), 'issue-gone', 410, /acme\/security#1 was deleted/);
    await expectGithubError(addComment(client.octokit, { ...repo(), number: 1, body: 'x' }), 'issue-gone', 410, /was deleted/);
    await expectGithubError(reopenIssue(client.octokit, { ...repo(), number: 77 }), 'issue-gone', 404, /acme\/security#77 was not found/);
  });

  it('a read-only token cannot edit: names the permission', async () => {
    await expectGithubError(
      closeIssue(clientFor(gh.readOnlyToken).octokit, { ...repo(), number: 1, reason: 'completed' }),
      'permission',
      403,
      /GitHub refused to close issue #1 in acme\/security \(HTTP 403.*`issues: write`/,
    );
    expect(gh.issue(1)!.state).toBe('open');
  });
});

describe('request counting', () => {
  it('counts every HTTP request, retries and pages included, and keeps GitHub time', async () => {
    for (let i = 0; i < 150; i++) gh.person.createIssue({ title: `t${i}`, body: renderMarker({ id: `i${i}`, fp: 'f' }), labels: [LABEL] });
    gh.inject({ method: 'GET', nth: 2, fault: { type: 'status', status: 500 } });
    gh.secondaryRateLimit({ method: 'PATCH', retryAfter: 1 });
    await listTrackedIssues(client.octokit, { ...repo(), label: LABEL });
    await closeIssue(client.octokit, { ...repo(), number: 3, reason: 'completed' });
    expect(gh.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['GET 200', 'GET 500', 'GET 200', 'PATCH 403', 'PATCH 200']);
    expect(client.stats).toEqual({ requests: 5, writes: 2, rateLimited: 1, serverTime: gh.now() });
  });
});
