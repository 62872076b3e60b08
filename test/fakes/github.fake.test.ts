/** The GitHub fake itself behaves like the REST API where the sync depends on it. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGithubFake, type GithubFake } from './github.js';

let gh: GithubFake;

async function call(method: string, path: string, body?: unknown, token = gh.token) {
  const res = await fetch(`${gh.url}${path}`, {
    method,
    headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text.startsWith('[') || text.startsWith('{') ? JSON.parse(text) : text };
}

beforeEach(async () => {
  gh = await startGithubFake({ start: '2025-01-01T00:00:00Z' });
});
afterEach(async () => {
  await gh.close();
});

describe('GitHub fake', () => {
  it('filters labels (comma = AND, any case), state (default open), since; sorts and pages with Link', async () => {
    gh.person.createIssue({ title: 'a', labels: ['x', 'y'] });
    gh.person.createIssue({ title: 'b', labels: ['x'] });
    gh.person.createIssue({ title: 'c', labels: ['X', 'Y'], state: 'closed', state_reason: 'not_planned' });
    gh.person.createPullRequest({ title: 'pr', labels: ['x', 'y'] });

    const open = await call('GET', '/repos/acme/security/issues?labels=x,Y');
    expect(open.json.map((i: { title: string }) => i.title)).toEqual(['pr', 'a']); // created desc
    expect(open.json[0].pull_request).toBeDefined();
    expect(open.json[1].pull_request).toBeUndefined();

    const all = await call('GET', '/repos/acme/security/issues?labels=x,y&state=all&sort=updated&direction=asc&per_page=1');
    expect(all.json.map((i: { title: string }) => i.title)).toEqual(['a']);
    const link = all.headers.get('link')!;
    expect(link).toContain('page=2>; rel="next"');
    expect(link).toContain('page=3>; rel="last"');

    const since = await call('GET', `/repos/acme/security/issues?state=all&since=${encodeURIComponent(gh.issue(3)!.updated_at)}`);
    expect(since.json.map((i: { title: string }) => i.title).sort()).toEqual(['c', 'pr']);

    const clamp = await call('GET', '/repos/acme/security/issues?state=all&per_page=500');
    expect(clamp.json).toHaveLength(4);
    expect(clamp.headers.get('link')).toBeNull();
  });

  it('follows GitHub state rules and moves updated_at on each write', async () => {
    const created = await call('POST', '/repos/acme/security/issues', { title: 't', body: 'b', labels: ['new-label'] });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ number: 1, state: 'open', state_reason: null, closed_at: null, labels: [{ name: 'new-label' }] });
    expect(gh.labels.map((l) => l.name)).toEqual(['new-label']);

    const closed = await call('PATCH', '/repos/acme/security/issues/1', { state: 'closed' });
    expect(closed.json).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(closed.json.closed_at).toBe(closed.json.updated_at);
    const reopened = await call('PATCH', '/repos/acme/security/issues/1', { state: 'open' });
    expect(reopened.json).toMatchObject({ state: 'open', state_reason: 'reopened', closed_at: null });
    expect(Date.parse(reopened.json.updated_at)).toBeGreaterThan(Date.parse(closed.json.updated_at));
    expect(Date.parse(closed.json.updated_at)).toBeGreaterThan(Date.parse(created.json.updated_at));
    expect(reopened.headers.get('date')).toBe(new Date(reopened.json.updated_at).toUTCString());

    const comment = await call('POST', '/repos/acme/security/issues/1/comments', { body: 'hi' });
    expect(comment.status).toBe(201);
    expect(gh.issue(1)!.comments).toBe(1);

    gh.person.delete(1);
    expect((await call('GET', '/repos/acme/security/issues/1')).status).toBe(410);
    expect((await call('GET', '/repos/acme/security/issues/99')).status).toBe(404);
  });

  it('answers errors in GitHub shapes', async () => {
    expect((await call('GET', '/repos/acme/security/issues', undefined, 'nope')).json).toMatchObject({ message: 'Bad credentials' });
    expect((await call('GET', '/repos/acme/other/issues')).status).toBe(404);
    const ro = await call('POST', '/repos/acme/security/issues', { title: 't' }, gh.readOnlyToken);
    expect(ro).toMatchObject({ status: 403, json: { message: 'Resource not accessible by integration' } });
    const bad = await call('POST', '/repos/acme/security/labels', { name: 'x', color: 'nothex' });
    expect(bad).toMatchObject({ status: 422, json: { message: 'Validation Failed', errors: [{ resource: 'Label', code: 'invalid', field: 'color' }] } });
    expect(bad.json.documentation_url).toMatch(/^https:\/\/docs\.github\.com/);
    gh.issuesEnabled = false;
    expect((await call('GET', '/repos/acme/security/issues')).json).toMatchObject({ message: 'Issues are disabled for this repo' });
  });

  it('injects faults on the nth matching request, and a 502 after the create keeps the issue', async () => {
    gh.secondaryRateLimit({ method: 'GET', nth: 2, retryAfter: 7 });
    expect((await call('GET', '/repos/acme/security/issues')).status).toBe(200);
    const limited = await call('GET', '/repos/acme/security/issues');
    expect(limited.status).toBe(403);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.json.message).toMatch(/secondary rate limit/);
    expect((await call('GET', '/repos/acme/security/issues')).status).toBe(200);

    gh.failCreate({ after: true });
    const failed = await call('POST', '/repos/acme/security/issues', { title: 't', body: 'x\n<!-- cf-insights:v1 id=i fp=f -->' });
    expect(failed.status).toBe(502);
    expect(failed.headers.get('content-type')).toMatch(/text\/html/);
    expect(gh.byMarkerId().get('i')).toHaveLength(1);
    expect(gh.requests.map((r) => r.status)).toEqual([200, 403, 200, 502]);
  });
});

describe('GitHub fake: locked and transferred issues', () => {
  it('a locked issue refuses comments (403) and still takes edits; PUT/DELETE .../lock', async () => {
    const issue = gh.person.createIssue({ title: 'a' });
    expect((await call('PUT', `/repos/acme/security/issues/${issue.number}/lock`, { lock_reason: 'resolved' })).status).toBe(204);
    expect((await call('GET', `/repos/acme/security/issues/${issue.number}`)).json.locked).toBe(true);
    const refused = await call('POST', `/repos/acme/security/issues/${issue.number}/comments`, { body: 'x' });
    expect(refused).toMatchObject({ status: 403, json: { message: 'Unable to create comment because issue is locked.' } });
    expect((await call('PATCH', `/repos/acme/security/issues/${issue.number}`, { state: 'closed' })).status).toBe(200);
    expect((await call('DELETE', `/repos/acme/security/issues/${issue.number}/lock`)).status).toBe(204);
    expect((await call('POST', `/repos/acme/security/issues/${issue.number}/comments`, { body: 'x' })).status).toBe(201);
  });

  it('a transferred issue answers 301 with its new address on GET, PATCH and comments; the address serves it', async () => {
    const issue = gh.person.createIssue({ title: 'a' });
    const moved = gh.person.transfer(issue.number);
    for (const [method, path] of [
      ['GET', `/repos/acme/security/issues/${issue.number}`],
      ['PATCH', `/repos/acme/security/issues/${issue.number}`],
      ['POST', `/repos/acme/security/issues/${issue.number}/comments`],
    ] as const) {
      const res = await fetch(`${gh.url}${path}`, {
        method,
        redirect: 'manual',
        headers: { authorization: `token ${gh.token}`, 'content-type': 'application/json' },
        ...(method === 'GET' ? {} : { body: JSON.stringify(method === 'PATCH' ? { state: 'closed' } : { body: 'x' }) }),
      });
      expect(res.status, `${method} ${path}`).toBe(301);
      const body = (await res.json()) as { message: string; url: string };
      expect(body.message).toBe('Moved Permanently');
      expect(res.headers.get('location')).toBe(body.url);
      expect(body.url).toMatch(/\/repositories\/4242\/issues\/\d+/);
    }
    expect(moved.state).toBe('open');
    expect(gh.issue(issue.number)).toBeUndefined();
    expect((await call('GET', `/repositories/4242/issues/${moved.number}`)).json.title).toBe('a');
  });
});
