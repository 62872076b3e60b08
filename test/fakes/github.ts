/**
 * A stateful fake of the GitHub REST API (issues, comments, labels), a real node:http
 * server on 127.0.0.1, for driving the real octokit client (with its throttling and
 * retry plugins) in tests. Shapes follow the GitHub REST docs.
 *
 * Usage
 *   const gh = await startGithubFake({ owner: 'acme', repo: 'security' });
 *   const { octokit, stats } = createGithubClient({ token: gh.token, baseUrl: gh.url, throttle: fastThrottleForTests() });
 *   ...
 *   await gh.close();
 *
 * Options (all optional): owner ('acme'), repo ('security'), token (a token that can
 * write), readOnlyToken (a token that can only read: writes get 403 "Resource not
 * accessible by integration"), issuesEnabled (true; false: 410 on issue routes),
 * start (fixed clock start, ISO; default: real time), pathPrefix (e.g. '/api/v3' to
 * look like GitHub Enterprise Server), collaborators (valid assignees; default any),
 * autoCreateLabels (true, as GitHub does: an unknown label on an issue is created;
 * false: 422), labels (labels that exist from the start).
 *
 * Endpoints
 *   GET  /repos/{o}/{r}
 *   GET  /repos/{o}/{r}/issues        labels (comma = AND, case-insensitive), state open|closed|all
 *                                      (default open), since (updated_at >= since), sort created|updated|comments,
 *                                      direction asc|desc (default desc), per_page (30, max 100), page; `Link` header
 *   POST /repos/{o}/{r}/issues        title, body, labels, assignees -> 201
 *   GET  /repos/{o}/{r}/issues/{n}    (410 once deleted)
 *   PATCH /repos/{o}/{r}/issues/{n}   title, body, state, state_reason, labels, assignees
 *   GET  /repos/{o}/{r}/issues/{n}/comments, POST ... (body) -> 201
 *   GET  /repos/{o}/{r}/labels, POST /repos/{o}/{r}/labels (422 already_exists / invalid), GET /repos/{o}/{r}/labels/{name}
 *
 * Errors as GitHub sends them: 401 "Bad credentials" / "Requires authentication", 404 "Not
 * Found" for another repository, 403 "Resource not accessible by integration" for a write
 * with the read-only token, 410 "Issues are disabled for this repo", 422 "Validation
 * Failed" with `errors: [{resource, code, field}]`. Each time is a fake clock that moves
 * at least one second per write, so `updated_at` strictly increases and `since` works;
 * the `date` header reads the same clock.
 *
 * State (live, mutable in tests): `issues` (pull requests included, flagged), `comments`,
 * `labels`, `requests` (every request: method, path without prefix, query, status).
 * Helpers: openIssues(), ours() (issues carrying a cf-insights marker), byMarkerId()
 * (marker id -> issues, to spot duplicates), issue(n), writes(), now(), advance(s).
 *
 * A person's actions (bypass HTTP, move the clock like a write): person.createIssue(),
 * person.createPullRequest(), person.close(n, 'not_planned'), person.reopen(n),
 * person.editBody(n, body), person.editTitle(n, title), person.setLabels(n, labels),
 * person.comment(n, body), person.delete(n), person.lock(n) (also PUT/DELETE .../issues/{n}/lock:
 * the bot's comments then get 403 "Unable to create comment because issue is locked."),
 * person.transfer(n) (moved to another repository: the old number answers 301; `transferred`
 * maps it to the moved issue, served at /repositories/4242/issues/{m}).
 *
 * Faults: inject({ method?, path?, nth?, times?, fault }) makes the nth (1-based, default
 * 1) request matching method and path (exact string or RegExp on the path without query)
 * fail, `times` times in a row (default 1). Faults:
 *   { type: 'secondary-rate-limit', retryAfter?: number | null }   403 + `retry-after` (default 1)
 *   { type: 'rate-limit', resetInSeconds?: number }                 403 + x-ratelimit-remaining: 0
 *   { type: 'status', status, body?, after?: boolean }              any status; `after`: the request is
 *                                                                   carried out first (a create that
 *                                                                   succeeded behind a 502)
 *   { type: 'disconnect', after?: boolean }                         the socket is destroyed, no answer
 * Shortcuts: failCreate({ status?: 502, after?: true, times? }), secondaryRateLimit({ method?, path?, nth?, retryAfter? }).
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type StateReason = 'completed' | 'not_planned' | 'reopened' | 'duplicate';

export interface FakeIssue {
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  state_reason: StateReason | null;
  /** Label names. */
  labels: string[];
  assignees: string[];
  user: string;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  comments: number;
  pullRequest: boolean;
}

export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  user: string;
  created_at: string;
  updated_at: string;
}

export interface FakeLabel {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface FakeRequest {
  method: string;
  /** Path without the prefix and the query. */
  path: string;
  query: Record<string, string>;
  status: number;
  /** The parsed JSON body of a write. */
  body?: unknown;
}

export type Fault =
  | { type: 'secondary-rate-limit'; retryAfter?: number | null }
  | { type: 'rate-limit'; resetInSeconds?: number }
  | { type: 'status'; status: number; body?: unknown; headers?: Record<string, string>; after?: boolean }
  | { type: 'disconnect'; after?: boolean };

export interface FaultRule {
  method?: string;
  path?: string | RegExp;
  nth?: number;
  times?: number;
  fault: Fault;
}

export interface GithubFakeOptions {
  owner?: string;
  repo?: string;
  token?: string;
  readOnlyToken?: string;
  issuesEnabled?: boolean;
  start?: string;
  pathPrefix?: string;
  collaborators?: string[];
  autoCreateLabels?: boolean;
  labels?: { name: string; color?: string; description?: string }[];
}

export interface PersonIssueInput {
  title: string;
  body?: string | null;
  labels?: string[];
  state?: 'open' | 'closed';
  state_reason?: StateReason | null;
  user?: string;
}

export interface GithubFake {
  url: string;
  owner: string;
  repo: string;
  token: string;
  readOnlyToken: string;
  issues: FakeIssue[];
  comments: FakeComment[];
  labels: FakeLabel[];
  requests: FakeRequest[];
  /** Deleted issue numbers (GET/PATCH answer 410). */
  deleted: Set<number>;
  /** Locked issue numbers (PUT .../lock): the bot's comments get 403. */
  locked: Set<number>;
  /** Old number -> the issue now in the other repository (`/repositories/4242/issues/{n}`). */
  transferred: Map<number, FakeIssue>;
  issuesEnabled: boolean;
  issue(number: number): FakeIssue | undefined;
  openIssues(): FakeIssue[];
  /** Issues (not pull requests) whose body ends with a cf-insights marker. */
  ours(): FakeIssue[];
  /** Marker id -> the issues carrying it (more than one is a duplicate). */
  byMarkerId(): Map<string, FakeIssue[]>;
  commentsOn(number: number): FakeComment[];
  /** Requests other than GET/HEAD. */
  writes(): FakeRequest[];
  now(): string;
  advance(seconds: number): void;
  inject(rule: FaultRule): void;
  failCreate(opts?: { status?: number; after?: boolean; times?: number; nth?: number }): void;
  secondaryRateLimit(opts?: { method?: string; path?: string | RegExp; nth?: number; times?: number; retryAfter?: number | null }): void;
  clearFaults(): void;
  person: {
    createIssue(input: PersonIssueInput): FakeIssue;
    createPullRequest(input: PersonIssueInput): FakeIssue;
    close(number: number, reason?: StateReason): void;
    reopen(number: number): void;
    editBody(number: number, body: string | null): void;
    editTitle(number: number, title: string): void;
    setLabels(number: number, labels: string[]): void;
    comment(number: number, body: string): FakeComment;
    delete(number: number): void;
    lock(number: number): void;
    /** Moves the issue to another repository: its old number answers 301 from then on. */
    transfer(number: number): FakeIssue;
  };
  close(): Promise<void>;
}

const DOCS = 'https://docs.github.com/rest';
const BOT = 'github-actions[bot]';
const PERSON = 'octo-person';
const HEX6 = /^[0-9a-fA-F]{6}$/;
const MARKER = /^<!-- cf-insights:v[12] (?:scope=\S+ )?id=(\S+) fp=(\S+) -->$/;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === 'object' && body && 'message' in body ? String((body as { message: unknown }).message) : 'error');
  }
}

const notFound = () => new HttpError(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
const validation = (errors: Record<string, unknown>[], message = 'Validation Failed') =>
  new HttpError(422, { message, errors, documentation_url: DOCS, status: '422' });

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function markerIdOf(body: string | null): string | null {
  if (!body) return null;
  const lines = body.split(/\r?\n/).filter((l) => l.trim() !== '');
  const last = lines[lines.length - 1]?.trimEnd();
  const m = last ? MARKER.exec(last) : null;
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return null;
  }
}

export async function startGithubFake(options: GithubFakeOptions = {}): Promise<GithubFake> {
  const owner = options.owner ?? 'acme';
  const repo = options.repo ?? 'security';
  const token = options.token ?? 'ghs_fakeWriteToken0001';
  const readOnlyToken = options.readOnlyToken ?? 'ghs_fakeReadOnlyToken01';
  const prefix = (options.pathPrefix ?? '').replace(/\/+$/, '');
  const autoCreateLabels = options.autoCreateLabels ?? true;
  const fixedClock = options.start !== undefined;
  let clock = Math.floor((fixedClock ? Date.parse(options.start!) : Date.now()) / 1000) * 1000;
  let nextId = 1;
  let nextNumber = 1;
  const faults: (FaultRule & { seen: number })[] = [];

  const issues: FakeIssue[] = [];
  const comments: FakeComment[] = [];
  const labels: FakeLabel[] = [];
  const requests: FakeRequest[] = [];
  const deleted = new Set<number>();
  // Locked and transferred issues ----------------------------------------------------
  // A locked issue refuses the bot's comments (403, GitHub's text); edits still work.
  // A transferred issue answers 301 with the new address (header `location` and body `url`)
  // on GET, PATCH and comments of its old number, as GitHub does; the new address is
  // served too, so a client that follows the redirect really writes to the other repository.
  const locked = new Set<number>();
  const transferred = new Map<number, FakeIssue>();
  const OTHER_REPO_ID = 4242;
  const movedUrl = (n: number) => `${baseUrl}/repositories/${OTHER_REPO_ID}/issues/${transferred.get(n)!.number}`;
  const movedAway = (n: number, rest: string[]) => {
    if (!transferred.has(n)) return;
    const url = `${movedUrl(n)}${rest.length > 2 ? `/${rest.slice(2).join('/')}` : ''}`;
    throw new HttpError(301, { message: 'Moved Permanently', url, documentation_url: 'https://docs.github.com/v3/#http-redirects' }, { location: url });
  };
  const lockedComment = () =>
    new HttpError(403, {
      message: 'Unable to create comment because issue is locked.',
      documentation_url: 'https://docs.github.com/articles/locking-conversations/',
      status: '403',
    });
  /** `/repositories/4242/issues/{n}[/comments]`: the other repository, reached only by following a redirect. */
  const otherRepository = (method: string, parts: string[], body: unknown): Reply => {
    const issue = [...transferred.values()].find((i) => i.number === Number(parts[3]));
    if (parts[1] !== String(OTHER_REPO_ID) || parts[2] !== 'issues' || !issue) throw notFound();
    if (parts.length === 4 && method === 'GET') return { status: 200, body: issueJson(issue) };
    if (parts.length === 4 && method === 'PATCH') {
      applyPatch(issue, (body ?? {}) as Record<string, unknown>);
      return { status: 200, body: issueJson(issue) };
    }
    if (parts.length === 5 && parts[4] === 'comments' && method === 'GET') {
      return { status: 200, body: comments.filter((c) => c.issue === -issue.number).map(commentJson) };
    }
    if (parts.length === 5 && parts[4] === 'comments' && method === 'POST') {
      const text = String((body as { body?: unknown } | null)?.body ?? '');
      return { status: 201, body: commentJson(addCommentRecord({ ...issue, number: -issue.number }, text, BOT)) };
    }
    throw notFound();
  };

  const current = () => (fixedClock ? clock : Math.max(clock, Math.floor(Date.now() / 1000) * 1000));
  /** A write: the clock moves on at least one second. */
  const tick = () => {
    clock = Math.max(current(), clock + 1000);
    return iso(clock);
  };

  for (const l of options.labels ?? []) {
    labels.push({ id: nextId++, name: l.name, color: l.color ?? 'ededed', description: l.description ?? null });
  }

  let baseUrl = '';
  const repoPath = () => `/repos/${owner}/${repo}`;

  const findLabel = (name: string) => labels.find((l) => l.name.toLowerCase() === name.toLowerCase());
  const labelJson = (l: FakeLabel) => ({
    id: l.id,
    node_id: `LA_${l.id}`,
    url: `${baseUrl}${repoPath()}/labels/${encodeURIComponent(l.name)}`,
    name: l.name,
    color: l.color,
    default: false,
    description: l.description,
  });
  const userJson = (login: string) => ({
    login,
    id: login === BOT ? 41898282 : 1000 + login.length,
    node_id: `U_${login}`,
    type: login.endsWith('[bot]') ? 'Bot' : 'User',
    site_admin: false,
  });
  const issueJson = (i: FakeIssue) => {
    const url = `${baseUrl}${repoPath()}/issues/${i.number}`;
    return {
      url,
      repository_url: `${baseUrl}${repoPath()}`,
      labels_url: `${url}/labels{/name}`,
      comments_url: `${url}/comments`,
      events_url: `${url}/events`,
      html_url: `https://github.com/${owner}/${repo}/${i.pullRequest ? 'pull' : 'issues'}/${i.number}`,
      id: 5_000_000 + i.number,
      node_id: `I_${i.number}`,
      number: i.number,
      title: i.title,
      user: userJson(i.user),
      labels: i.labels.map((name) => labelJson(findLabel(name) ?? { id: 0, name, color: 'ededed', description: null })),
      state: i.state,
      locked: locked.has(i.number),
      assignee: i.assignees[0] ? userJson(i.assignees[0]) : null,
      assignees: i.assignees.map(userJson),
      milestone: null,
      comments: i.comments,
      created_at: i.created_at,
      updated_at: i.updated_at,
      closed_at: i.closed_at,
      author_association: i.user === BOT ? 'NONE' : 'MEMBER',
      active_lock_reason: locked.has(i.number) ? 'resolved' : null,
      body: i.body,
      state_reason: i.state_reason,
      ...(i.pullRequest && {
        pull_request: {
          url: `${baseUrl}${repoPath()}/pulls/${i.number}`,
          html_url: `https://github.com/${owner}/${repo}/pull/${i.number}`,
          diff_url: `https://github.com/${owner}/${repo}/pull/${i.number}.diff`,
          patch_url: `https://github.com/${owner}/${repo}/pull/${i.number}.patch`,
          merged_at: null,
        },
      }),
    };
  };
  const commentJson = (c: FakeComment) => ({
    id: c.id,
    node_id: `IC_${c.id}`,
    url: `${baseUrl}${repoPath()}/issues/comments/${c.id}`,
    html_url: `https://github.com/${owner}/${repo}/issues/${c.issue}#issuecomment-${c.id}`,
    issue_url: `${baseUrl}${repoPath()}/issues/${c.issue}`,
    body: c.body,
    user: userJson(c.user),
    created_at: c.created_at,
    updated_at: c.updated_at,
    author_association: c.user === BOT ? 'NONE' : 'MEMBER',
  });

  const liveIssue = (n: number): FakeIssue => {
    if (deleted.has(n)) throw new HttpError(410, { message: 'This issue was deleted', documentation_url: DOCS, status: '410' });
    const issue = issues.find((i) => i.number === n);
    if (!issue) throw notFound();
    return issue;
  };

  /** Label names from `labels` of a write; unknown ones created (as GitHub does) or refused. */
  const resolveLabels = (raw: unknown): string[] => {
    if (!Array.isArray(raw)) throw validation([{ resource: 'Issue', code: 'invalid', field: 'labels' }]);
    const names: string[] = [];
    for (const entry of raw) {
      const name = typeof entry === 'string' ? entry : typeof entry === 'object' && entry ? (entry as { name?: unknown }).name : undefined;
      if (typeof name !== 'string' || name.trim() === '' || name.length > 50) {
        throw validation([{ value: name ?? null, resource: 'Label', field: 'name', code: 'invalid' }]);
      }
      let label = findLabel(name);
      if (!label) {
        if (!autoCreateLabels) throw validation([{ value: name, resource: 'Label', field: 'name', code: 'invalid' }]);
        label = { id: nextId++, name, color: 'ededed', description: null };
        labels.push(label);
      }
      if (!names.some((n) => n.toLowerCase() === label!.name.toLowerCase())) names.push(label.name);
    }
    return names;
  };

  const resolveAssignees = (raw: unknown): string[] => {
    if (!Array.isArray(raw) || raw.some((a) => typeof a !== 'string')) {
      throw validation([{ resource: 'Issue', code: 'invalid', field: 'assignees' }]);
    }
    for (const login of raw as string[]) {
      if (options.collaborators && !options.collaborators.includes(login)) {
        throw validation([{ value: login, resource: 'Issue', field: 'assignees', code: 'invalid' }]);
      }
    }
    return [...new Set(raw as string[])];
  };

  const checkText = (field: 'title' | 'body', value: unknown, max: number) => {
    if (value === null && field === 'body') return;
    if (typeof value !== 'string') throw validation([{ resource: 'Issue', code: 'invalid', field }]);
    if (field === 'title' && value.trim() === '') throw validation([{ resource: 'Issue', code: 'missing_field', field }]);
    if (value.length > max) {
      throw validation([{ resource: 'Issue', code: 'custom', field, message: `${field} is too long (maximum is ${max} characters)` }]);
    }
  };

  const createIssueRecord = (input: PersonIssueInput & { assignees?: string[]; pullRequest?: boolean }): FakeIssue => {
    const now = tick();
    const closed = input.state === 'closed';
    const issue: FakeIssue = {
      number: nextNumber++,
      title: input.title,
      body: input.body ?? null,
      state: closed ? 'closed' : 'open',
      state_reason: closed ? (input.state_reason ?? 'completed') : null,
      labels: resolveLabels(input.labels ?? []),
      assignees: input.assignees ?? [],
      user: input.user ?? PERSON,
      created_at: now,
      updated_at: now,
      closed_at: closed ? now : null,
      comments: 0,
      pullRequest: input.pullRequest ?? false,
    };
    issues.push(issue);
    return issue;
  };

  const applyPatch = (issue: FakeIssue, patch: Record<string, unknown>) => {
    const next = { ...issue, labels: [...issue.labels], assignees: [...issue.assignees] };
    if ('title' in patch) {
      checkText('title', patch.title, 256);
      next.title = patch.title as string;
    }
    if ('body' in patch) {
      checkText('body', patch.body, 65536);
      next.body = patch.body as string | null;
    }
    if ('labels' in patch) next.labels = resolveLabels(patch.labels);
    if ('assignees' in patch) next.assignees = resolveAssignees(patch.assignees);
    if ('state_reason' in patch && patch.state_reason !== null && !['completed', 'not_planned', 'reopened', 'duplicate'].includes(String(patch.state_reason))) {
      throw validation([{ resource: 'Issue', code: 'invalid', field: 'state_reason' }]);
    }
    if ('state' in patch) {
      if (patch.state !== 'open' && patch.state !== 'closed') throw validation([{ resource: 'Issue', code: 'invalid', field: 'state' }]);
      if (patch.state === 'closed' && issue.state === 'open') {
        next.state = 'closed';
        next.state_reason = (patch.state_reason as StateReason | undefined) ?? 'completed';
        next.closed_at = 'pending';
      } else if (patch.state === 'open' && issue.state === 'closed') {
        next.state = 'open';
        next.state_reason = 'reopened';
        next.closed_at = null;
      } else if (patch.state === 'closed' && 'state_reason' in patch) {
        next.state_reason = (patch.state_reason as StateReason | null) ?? 'completed';
      }
    }
    const changed =
      next.title !== issue.title ||
      next.body !== issue.body ||
      next.state !== issue.state ||
      next.state_reason !== issue.state_reason ||
      next.labels.join('\n') !== issue.labels.join('\n') ||
      next.assignees.join('\n') !== issue.assignees.join('\n');
    if (!changed) return;
    const now = tick();
    if (next.closed_at === 'pending') next.closed_at = now;
    Object.assign(issue, next, { updated_at: now });
  };

  const addCommentRecord = (issue: FakeIssue, body: string, user: string): FakeComment => {
    const now = tick();
    const comment: FakeComment = { id: nextId++, issue: issue.number, body, user, created_at: now, updated_at: now };
    comments.push(comment);
    issue.comments += 1;
    issue.updated_at = now;
    return comment;
  };

  // Pagination ---------------------------------------------------------------------

  const paginate = <T>(items: T[], url: URL): { page: T[]; link: string | null } => {
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30));
    const pageNo = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const page = items.slice((pageNo - 1) * perPage, pageNo * perPage);
    const at = (p: number) => {
      const u = new URL(url.toString());
      u.searchParams.set('page', String(p));
      return `<${baseOrigin}${u.pathname}${u.search}>`;
    };
    const links: string[] = [];
    if (pageNo > 1) links.push(`${at(pageNo - 1)}; rel="prev"`);
    if (pageNo < last) links.push(`${at(pageNo + 1)}; rel="next"`, `${at(last)}; rel="last"`);
    if (pageNo > 1) links.push(`${at(1)}; rel="first"`);
    return { page, link: links.length > 0 ? links.join(', ') : null };
  };
  let baseOrigin = '';

  // Routes -------------------------------------------------------------------------

  interface Reply {
    status: number;
    body: unknown;
    headers?: Record<string, string>;
  }

  const listIssues = (url: URL): Reply => {
    const q = url.searchParams;
    const state = q.get('state') ?? 'open';
    if (!['open', 'closed', 'all'].includes(state)) throw validation([{ resource: 'Issue', code: 'invalid', field: 'state' }]);
    const wanted = (q.get('labels') ?? '')
      .split(',')
      .map((l) => l.trim().toLowerCase())
      .filter((l) => l !== '');
    const sinceRaw = q.get('since');
    const since = sinceRaw === null ? null : Date.parse(sinceRaw);
    if (since !== null && Number.isNaN(since)) throw validation([{ resource: 'Issue', code: 'invalid', field: 'since' }]);
    const sort = q.get('sort') ?? 'created';
    if (!['created', 'updated', 'comments'].includes(sort)) throw validation([{ resource: 'Issue', code: 'invalid', field: 'sort' }]);
    const direction = q.get('direction') ?? 'desc';
    if (!['asc', 'desc'].includes(direction)) throw validation([{ resource: 'Issue', code: 'invalid', field: 'direction' }]);
    const selected = issues.filter(
      (i) =>
        (state === 'all' || i.state === state) &&
        wanted.every((w) => i.labels.some((l) => l.toLowerCase() === w)) &&
        (since === null || Date.parse(i.updated_at) >= since),
    );
    const key = (i: FakeIssue) => (sort === 'updated' ? Date.parse(i.updated_at) : sort === 'comments' ? i.comments : Date.parse(i.created_at));
    selected.sort((a, b) => (key(a) - key(b) || a.number - b.number) * (direction === 'asc' ? 1 : -1));
    const { page, link } = paginate(selected, url);
    return { status: 200, body: page.map(issueJson), headers: link ? { link } : {} };
  };

  const route = (method: string, path: string, url: URL, body: unknown, writer: boolean): Reply => {
    const parts = path.split('/').filter((p) => p !== '');
    if (parts[0] === 'repositories') return otherRepository(method, parts, body);
    if (parts[0] !== 'repos' || parts.length < 3) throw notFound();
    if (parts[1]!.toLowerCase() !== owner.toLowerCase() || parts[2]!.toLowerCase() !== repo.toLowerCase()) throw notFound();
    const rest = parts.slice(3);
    const isWrite = method !== 'GET' && method !== 'HEAD';
    const forbidden = () => new HttpError(403, { message: 'Resource not accessible by integration', documentation_url: DOCS, status: '403' });

    if (rest.length === 0) {
      if (method !== 'GET') throw notFound();
      return {
        status: 200,
        body: {
          id: 77,
          node_id: 'R_77',
          name: repo,
          full_name: `${owner}/${repo}`,
          private: true,
          owner: userJson(owner),
          html_url: `https://github.com/${owner}/${repo}`,
          url: `${baseUrl}${repoPath()}`,
          has_issues: api.issuesEnabled,
          default_branch: 'main',
          permissions: { admin: false, maintain: false, push: writer, triage: writer, pull: true },
        },
      };
    }

    if (rest[0] === 'labels') {
      if (rest.length === 1 && method === 'GET') {
        const { page, link } = paginate(labels, url);
        return { status: 200, body: page.map(labelJson), headers: link ? { link } : {} };
      }
      if (rest.length === 1 && method === 'POST') {
        if (!writer) throw forbidden();
        const input = (body ?? {}) as { name?: unknown; color?: unknown; description?: unknown };
        if (typeof input.name !== 'string' || input.name.trim() === '') {
          throw validation([{ resource: 'Label', code: 'missing_field', field: 'name' }]);
        }
        if (input.name.length > 50) throw validation([{ resource: 'Label', code: 'invalid', field: 'name' }]);
        const color = input.color === undefined ? 'ededed' : String(input.color).replace(/^#/, '');
        if (!HEX6.test(color)) throw validation([{ resource: 'Label', code: 'invalid', field: 'color' }]);
        if (input.description !== undefined && input.description !== null && String(input.description).length > 100) {
          throw validation([{ resource: 'Label', code: 'invalid', field: 'description' }]);
        }
        if (findLabel(input.name)) throw validation([{ resource: 'Label', code: 'already_exists', field: 'name' }]);
        const label: FakeLabel = {
          id: nextId++,
          name: input.name,
          color: color.toLowerCase(),
          description: typeof input.description === 'string' ? input.description : null,
        };
        labels.push(label);
        return { status: 201, body: labelJson(label) };
      }
      if (rest.length === 2 && method === 'GET') {
        const label = findLabel(decodeURIComponent(rest[1]!));
        if (!label) throw notFound();
        return { status: 200, body: labelJson(label) };
      }
      throw notFound();
    }

    if (rest[0] === 'issues') {
      if (!api.issuesEnabled) {
        throw new HttpError(410, { message: 'Issues are disabled for this repo', documentation_url: 'https://docs.github.com/v3/issues/', status: '410' });
      }
      if (rest.length === 1 && method === 'GET') return listIssues(url);
      if (rest.length === 1 && method === 'POST') {
        if (!writer) throw forbidden();
        const input = (body ?? {}) as Record<string, unknown>;
        if (input.title === undefined) throw validation([{ resource: 'Issue', code: 'missing_field', field: 'title' }]);
        checkText('title', input.title, 256);
        if (input.body !== undefined) checkText('body', input.body, 65536);
        const assignees = input.assignees === undefined ? [] : resolveAssignees(input.assignees);
        const labelNames = input.labels === undefined ? [] : resolveLabels(input.labels);
        const issue = createIssueRecord({
          title: input.title as string,
          body: (input.body as string | undefined) ?? null,
          labels: labelNames,
          assignees,
          user: BOT,
        });
        return { status: 201, body: issueJson(issue), headers: { location: `${baseUrl}${repoPath()}/issues/${issue.number}` } };
      }
      const n = Number(rest[1]);
      if (!Number.isInteger(n) || n <= 0) throw notFound();
      movedAway(n, rest);
      if (rest.length === 3 && rest[2] === 'lock' && (method === 'PUT' || method === 'DELETE')) {
        if (!writer) throw forbidden();
        liveIssue(n);
        if (method === 'PUT') locked.add(n);
        else locked.delete(n);
        return { status: 204, body: null };
      }
      if (rest.length === 2 && method === 'GET') return { status: 200, body: issueJson(liveIssue(n)) };
      if (rest.length === 2 && method === 'PATCH') {
        if (!writer) throw forbidden();
        const issue = liveIssue(n);
        applyPatch(issue, (body ?? {}) as Record<string, unknown>);
        return { status: 200, body: issueJson(issue) };
      }
      if (rest.length === 3 && rest[2] === 'comments') {
        const issue = liveIssue(n);
        if (method === 'GET') {
          const { page, link } = paginate(
            comments.filter((c) => c.issue === n),
            url,
          );
          return { status: 200, body: page.map(commentJson), headers: link ? { link } : {} };
        }
        if (method === 'POST') {
          if (!writer) throw forbidden();
          const text = (body as { body?: unknown } | null)?.body;
          if (typeof text !== 'string' || text === '') throw validation([{ resource: 'IssueComment', code: 'missing_field', field: 'body' }]);
          if (text.length > 65536)
            throw validation([{ resource: 'IssueComment', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }]);
          if (locked.has(n)) throw lockedComment();
          const comment = addCommentRecord(issue, text, BOT);
          return { status: 201, body: commentJson(comment) };
        }
      }
      throw notFound();
    }
    if (isWrite && !writer) throw forbidden();
    throw notFound();
  };

  const faultFor = (method: string, path: string) => {
    for (const rule of faults) {
      if (rule.method && rule.method.toUpperCase() !== method) continue;
      if (rule.path !== undefined && (typeof rule.path === 'string' ? rule.path !== path : !rule.path.test(path))) continue;
      rule.seen += 1;
      const nth = rule.nth ?? 1;
      if (rule.seen >= nth && rule.seen < nth + (rule.times ?? 1)) return rule.fault;
    }
    return null;
  };

  const faultReply = (fault: Fault): Reply | 'disconnect' => {
    switch (fault.type) {
      case 'secondary-rate-limit': {
        const retryAfter = fault.retryAfter === undefined ? 1 : fault.retryAfter;
        return {
          status: 403,
          body: {
            message:
              'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:FAKE.',
            documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
            status: '403',
          },
          headers: retryAfter === null ? {} : { 'retry-after': String(retryAfter) },
        };
      }
      case 'rate-limit':
        return {
          status: 403,
          body: { message: 'API rate limit exceeded for installation ID 4242.', documentation_url: DOCS, status: '403' },
          headers: {
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + (fault.resetInSeconds ?? 1)),
          },
        };
      case 'status': {
        const html = `<!DOCTYPE html><html><head><title>Unicorn! · GitHub</title></head><body><h1>${fault.status}</h1><p>We had issues producing the response to your request.</p></body></html>`;
        const body = fault.body ?? (fault.status >= 500 ? html : { message: http.STATUS_CODES[fault.status] ?? 'Error', documentation_url: DOCS });
        return { status: fault.status, body, headers: fault.headers };
      }
      case 'disconnect':
        return 'disconnect';
    }
  };

  let used = 0;
  const send = (res: http.ServerResponse, reply: Reply) => {
    used += 1;
    const headers: Record<string, string> = {
      date: new Date(current()).toUTCString(),
      'x-github-request-id': `FAKE:${used}`,
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(Math.max(1, 5000 - used)),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-used': String(used),
      'x-ratelimit-resource': 'core',
      ...reply.headers,
    };
    if (typeof reply.body === 'string') {
      headers['content-type'] = 'text/html; charset=utf-8';
      res.writeHead(reply.status, headers).end(reply.body);
    } else if (reply.status === 204) {
      res.writeHead(204, headers).end();
    } else {
      headers['content-type'] = 'application/json; charset=utf-8';
      res.writeHead(reply.status, headers).end(JSON.stringify(reply.body));
    }
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', baseOrigin);
    let path = url.pathname;
    const record: FakeRequest = { method, path, query: Object.fromEntries(url.searchParams), status: 0 };
    requests.push(record);
    const reply = (r: Reply) => {
      record.status = r.status;
      send(res, r);
    };
    try {
      if (prefix) {
        if (!path.startsWith(`${prefix}/`)) throw notFound();
        path = path.slice(prefix.length);
        record.path = path;
      }
      let body: unknown;
      if (raw !== '') {
        try {
          body = JSON.parse(raw);
        } catch {
          throw new HttpError(400, { message: 'Problems parsing JSON', documentation_url: DOCS, status: '400' });
        }
        record.body = body;
      }
      const auth = req.headers.authorization ?? '';
      const presented = /^(?:token|bearer)\s+(.+)$/i.exec(auth)?.[1];
      if (!presented) throw new HttpError(401, { message: 'Requires authentication', documentation_url: DOCS, status: '401' });
      if (presented !== token && presented !== readOnlyToken) {
        throw new HttpError(401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' });
      }
      const fault = faultFor(method, path);
      const after = fault && (fault.type === 'status' || fault.type === 'disconnect') && fault.after;
      const sendFault = (f: NonNullable<typeof fault>) => {
        const r = faultReply(f);
        if (r !== 'disconnect') return reply(r);
        record.status = -1;
        req.socket.destroy();
      };
      if (fault && !after) return sendFault(fault);
      const result = route(method, path, url, body, presented === token);
      // A fault `after` the request: the change is made, the answer is lost.
      if (fault) return sendFault(fault);
      reply(result);
    } catch (error) {
      if (error instanceof HttpError) return reply({ status: error.status, body: error.body, headers: error.headers });
      reply({ status: 500, body: { message: `fake: ${(error as Error).message}` } });
    }
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  baseOrigin = `http://127.0.0.1:${port}`;
  baseUrl = `${baseOrigin}${prefix}`;

  const personIssue = (n: number) => liveIssue(n);

  const api: GithubFake = {
    url: baseUrl,
    owner,
    repo,
    token,
    readOnlyToken,
    issues,
    comments,
    labels,
    requests,
    deleted,
    locked,
    transferred,
    issuesEnabled: options.issuesEnabled ?? true,
    issue: (n) => issues.find((i) => i.number === n),
    openIssues: () => issues.filter((i) => !i.pullRequest && i.state === 'open'),
    ours: () => issues.filter((i) => !i.pullRequest && markerIdOf(i.body) !== null),
    byMarkerId: () => {
      const map = new Map<string, FakeIssue[]>();
      for (const issue of issues) {
        const id = issue.pullRequest ? null : markerIdOf(issue.body);
        if (id === null) continue;
        map.set(id, [...(map.get(id) ?? []), issue]);
      }
      return map;
    },
    commentsOn: (n) => comments.filter((c) => c.issue === n),
    writes: () => requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD'),
    now: () => iso(current()),
    advance: (seconds) => {
      clock = current() + seconds * 1000;
    },
    inject: (rule) => {
      faults.push({ ...rule, seen: 0 });
    },
    failCreate: (opts = {}) => {
      api.inject({
        method: 'POST',
        path: `${repoPath()}/issues`,
        nth: opts.nth,
        times: opts.times,
        fault: { type: 'status', status: opts.status ?? 502, after: opts.after ?? true },
      });
    },
    secondaryRateLimit: (opts = {}) => {
      api.inject({
        method: opts.method,
        path: opts.path,
        nth: opts.nth,
        times: opts.times,
        fault: { type: 'secondary-rate-limit', retryAfter: opts.retryAfter === undefined ? 1 : opts.retryAfter },
      });
    },
    clearFaults: () => {
      faults.length = 0;
    },
    person: {
      createIssue: (input) => createIssueRecord({ ...input, user: input.user ?? PERSON }),
      createPullRequest: (input) => createIssueRecord({ ...input, user: input.user ?? PERSON, pullRequest: true }),
      close: (n, reason = 'completed') => applyPatch(personIssue(n), { state: 'closed', state_reason: reason }),
      reopen: (n) => applyPatch(personIssue(n), { state: 'open' }),
      editBody: (n, body) => applyPatch(personIssue(n), { body }),
      editTitle: (n, title) => applyPatch(personIssue(n), { title }),
      setLabels: (n, names) => applyPatch(personIssue(n), { labels: names }),
      comment: (n, body) => addCommentRecord(personIssue(n), body, PERSON),
      lock: (n) => {
        liveIssue(n);
        locked.add(n);
      },
      transfer: (n) => {
        const index = issues.findIndex((i) => i.number === n);
        if (index < 0) throw new Error(`fake: no issue #${n}`);
        const [issue] = issues.splice(index, 1);
        const moved = { ...issue!, number: transferred.size + 1, updated_at: tick() };
        transferred.set(n, moved);
        return moved;
      },
      delete: (n) => {
        const index = issues.findIndex((i) => i.number === n);
        if (index < 0) throw new Error(`fake: no issue #${n}`);
        issues.splice(index, 1);
        deleted.add(n);
        tick();
      },
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close').catch(() => undefined);
    },
  };
  return api;
}
