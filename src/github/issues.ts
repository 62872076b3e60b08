/**
 * Thin I/O over octokit for the sync: list our issues, make sure labels exist, create,
 * edit, comment, close and reopen. Every failure becomes a GithubError (./errors.ts).
 *
 * Our issues are found by listing the repository's issues with our label, never through
 * the search API: its index lags behind issues created seconds ago.
 */
import { createHash } from 'node:crypto';
import type { Octokit } from '@octokit/rest';
import { silentLogger, type Logger } from '../log.js';
import { toGithubError, type GithubErrorContext } from './errors.js';
import { parseMarker, sameScope, scopeIdsIn, scopeKeysIn } from './marker.js';
import { labelColor, labelDescription } from './labels.js';
import type { IssueContent, IssueMarker, TrackedIssue } from './types.js';

export interface RepoRef {
  owner: string;
  repo: string;
}

/** The fields of a REST issue we read (listing, create and edit answers alike). */
export interface RawIssue {
  number: number;
  state: string;
  state_reason?: string | null;
  title: string;
  body?: string | null;
  labels: (string | { name?: string | null })[];
  updated_at: string;
  comments?: number;
  pull_request?: unknown;
}

/** Shared by every issue with a v2 marker (never changed): one shape, no array each. */
const NO_KEYS: readonly string[] = Object.freeze([]);

const STATE_REASONS = new Set(['completed', 'not_planned', 'reopened', 'duplicate']);

/**
 * What the sync keeps of an issue; the body itself is not kept (see TrackedIssue). A
 * listing passes one `shared` map: the strings its 100k issues repeat (label names, the
 * scope id) are then kept once.
 */
export function toTrackedIssue(raw: RawIssue, shared = new Map<string, string>()): TrackedIssue {
  const once = (text: string) => {
    const known = shared.get(text);
    if (known !== undefined) return known;
    shared.set(text, text);
    return text;
  };
  const body = raw.body ?? '';
  // map() sizes its array exactly; an array grown by push() holds 17 slots for 3 labels.
  const named = raw.labels.map((label) => once(typeof label === 'string' ? label : (label.name ?? '')));
  const labels = named.includes('') ? named.filter((name) => name !== '') : named;
  const parsed = parseMarker(body);
  // Every issue of a scope names the same scope: one string for all of them.
  const marker = parsed?.scope === undefined ? parsed : { ...parsed, scope: once(parsed.scope) };
  return {
    number: raw.number,
    state: raw.state === 'closed' ? 'closed' : 'open',
    stateReason: STATE_REASONS.has(raw.state_reason ?? '') ? (raw.state_reason as TrackedIssue['stateReason']) : null,
    title: raw.title,
    labels,
    marker,
    scopeIds: scopeIdsIn(body).map(once),
    // A v2 marker names the scope; only older bodies are searched for it.
    scopeKeys: marker?.scope === undefined ? scopeKeysIn(body).map(once) : NO_KEYS,
    comments: typeof raw.comments === 'number' ? raw.comments : 0,
  };
}

/**
 * Writes are not redirected (client.ts): a 3xx reaches here as an answer, and becomes
 * the GithubError it is (an issue moved to another repository) instead of a success.
 */
function refuseRedirect<T extends { status: number; data: unknown; headers: Record<string, unknown> }>(response: T): T {
  if (response.status >= 300 && response.status < 400) {
    throw Object.assign(new Error('Moved Permanently'), { status: response.status, response: { data: response.data, headers: response.headers } });
  }
  return response;
}

function ctx(ref: RepoRef, access: 'read' | 'write', action: string, extra: Partial<GithubErrorContext> = {}): GithubErrorContext {
  return { owner: ref.owner, repo: ref.repo, access, action, ...extra };
}

// Listing ------------------------------------------------------------------------

export interface ListTrackedIssuesOptions extends RepoRef {
  /** Our label; comma-separated labels are ANDed by GitHub. */
  label: string;
  /** ISO time: only issues updated at or after it (a warm state's last listing). */
  since?: string;
  perPage?: number;
}

export interface TrackedIssueListing {
  issues: TrackedIssue[];
  /** Pages requested (retries are counted by the client's stats, whose serverTime is the next listing's `since`). */
  requests: number;
}

/**
 * Every issue (open and closed) carrying `label`, oldest update first, pull requests
 * skipped, markers parsed. `GET /repos/{o}/{r}/issues?labels=&state=all&sort=updated&direction=asc&per_page=100[&since=]`,
 * following the `Link` header.
 */
export async function listTrackedIssues(octokit: Octokit, options: ListTrackedIssuesOptions): Promise<TrackedIssueListing> {
  const issues: TrackedIssue[] = [];
  const shared = new Map<string, string>();
  let requests = 0;
  try {
    const pages = octokit.paginate.iterator(octokit.rest.issues.listForRepo, {
      owner: options.owner,
      repo: options.repo,
      labels: options.label,
      state: 'all',
      sort: 'updated',
      direction: 'asc',
      per_page: options.perPage ?? 100,
      ...(options.since !== undefined && { since: options.since }),
    });
    for await (const page of pages) {
      requests += 1;
      for (const item of page.data) {
        if (item.pull_request) continue;
        issues.push(toTrackedIssue(item as RawIssue, shared));
      }
    }
  } catch (error) {
    throw toGithubError(error, ctx(options, 'read', 'list issues'));
  }
  return { issues, requests };
}

// Labels -------------------------------------------------------------------------

export interface EnsureLabelsOptions extends RepoRef {
  labels: string[];
  /**
   * Labels known to exist (lower-cased names). When it covers `labels`, nothing is
   * requested. It is updated in place with what the listing and creations found.
   */
  known?: Set<string>;
}

/**
 * Creates the labels that do not exist yet, coloured by severity. One listing request
 * (`GET /repos/{o}/{r}/labels?per_page=100`, more pages only for repositories with
 * over 100 labels), then one POST per missing label.
 */
export async function ensureLabels(octokit: Octokit, options: EnsureLabelsOptions): Promise<{ created: string[] }> {
  const known = options.known ?? new Set<string>();
  const wanted = [...new Map(options.labels.filter((l) => l.trim() !== '').map((l) => [l.toLowerCase(), l])).values()];
  if (wanted.every((l) => known.has(l.toLowerCase()))) return { created: [] };

  try {
    const existing = await octokit.paginate(octokit.rest.issues.listLabelsForRepo, {
      owner: options.owner,
      repo: options.repo,
      per_page: 100,
    });
    for (const label of existing) known.add(label.name.toLowerCase());
  } catch (error) {
    throw toGithubError(error, ctx(options, 'read', 'list labels'));
  }

  const created: string[] = [];
  for (const name of wanted) {
    if (known.has(name.toLowerCase())) continue;
    try {
      await octokit.rest.issues.createLabel({
        owner: options.owner,
        repo: options.repo,
        name,
        color: labelColor(name),
        description: labelDescription(name),
      });
      created.push(name);
    } catch (error) {
      if (!isAlreadyExists(error)) {
        throw toGithubError(error, ctx(options, 'write', `create label \`${name}\``, { label: name }));
      }
    }
    known.add(name.toLowerCase());
  }
  return { created };
}

function isAlreadyExists(error: unknown): boolean {
  const e = error as { status?: number; response?: { data?: { errors?: { code?: string }[] } } };
  return e?.status === 422 && (e.response?.data?.errors ?? []).some((x) => x.code === 'already_exists');
}

// Writes -------------------------------------------------------------------------

export interface CreateIssueOptions extends RepoRef, IssueContent {
  assignees?: string[];
  /** Our label (or labels, comma-separated = all of them), to find an issue a failed attempt may have created anyway. */
  label: string;
  /** Creation attempts in all; default 3. */
  attempts?: number;
  /** Wait before looking for an issue a failed attempt may have created; default 2000 ms. */
  recoveryDelayMs?: number;
  log?: Logger;
}

export interface CreatedIssue {
  issue: TrackedIssue;
  /** True when an attempt failed but had created the issue anyway (found by its marker). */
  recovered: boolean;
}

/** A 5xx or no answer: the issue may have been created all the same. */
function maybeCreated(error: unknown): boolean {
  const status = (error as { status?: unknown })?.status;
  return typeof status !== 'number' || status >= 500;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Opens an issue. Never retried blindly: a 502 may hide an issue that was created. After
 * a 5xx or a network error, our newest issues are listed (one request) and the one with
 * the same marker id is returned; only when there is none is the creation tried again.
 */
export async function createIssue(octokit: Octokit, options: CreateIssueOptions): Promise<CreatedIssue> {
  const log = options.log ?? silentLogger;
  const marker = parseMarker(options.body);
  if (!marker) throw new Error('createIssue: the body must end with a cf-insights marker');
  const attempts = Math.max(1, options.attempts ?? 3);
  return writeAtMostOnce<CreatedIssue>(
    attempts,
    ctx(options, 'write', 'create an issue'),
    async () => {
      const { data } = refuseRedirect(
        await octokit.rest.issues.create({
          owner: options.owner,
          repo: options.repo,
          title: options.title,
          body: options.body,
          labels: options.labels,
          ...(options.assignees && options.assignees.length > 0 && { assignees: options.assignees }),
          request: { retries: 0 },
        }),
      );
      const issue = toTrackedIssue(data as RawIssue);
      warnIfLabelDropped(issue, options, log);
      return { issue, recovered: false };
    },
    async (error, attempt) => {
      const { status, response } = error as { status?: unknown; response?: unknown };
      log.warning(
        `GitHub answered ${response !== undefined && typeof status === 'number' ? `HTTP ${status}` : 'nothing'} to creating the issue for ${marker.id} in ${options.owner}/${options.repo} (attempt ${attempt} of ${attempts}); checking whether it was created anyway.`,
      );
      if ((options.recoveryDelayMs ?? 2000) > 0) await sleep(options.recoveryDelayMs ?? 2000);
      const found = await findNewestByMarker(octokit, options, marker);
      if (!found) return null;
      log.info(`The issue for ${marker.id} had been created: #${found.number}; not creating another.`);
      return { issue: found, recovered: true };
    },
  );
}

/**
 * Sends a write that must not happen twice (no retry of octokit's own): after an answer
 * that may hide a stored write (maybeCreated), `recover` looks for it before the next
 * attempt; any other failure is thrown at once.
 */
async function writeAtMostOnce<T>(
  attempts: number,
  context: GithubErrorContext,
  send: () => Promise<T>,
  recover: (error: unknown, attempt: number) => Promise<T | null>,
): Promise<T> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (!maybeCreated(error)) throw toGithubError(error, context);
      lastError = error;
      const found = await recover(error, attempt);
      if (found !== null) return found;
    }
  }
  throw toGithubError(lastError, context);
}

function warnIfLabelDropped(issue: TrackedIssue, options: CreateIssueOptions, log: Logger): void {
  const have = new Set(issue.labels.map((l) => l.toLowerCase()));
  const missing = options.label
    .split(',')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !have.has(l.toLowerCase()));
  if (missing.length > 0) {
    log.warning(
      `GitHub created #${issue.number} in ${options.owner}/${options.repo} without the label \`${missing.join(', ')}\`: the token may not set labels there; cf-insights finds its issues by that label.`,
    );
  }
}

/**
 * The newest issue with our label whose marker has the id and scope of `marker`, from one page of the 100
 * most recently created. No `since`: that would compare our clock with GitHub's, and
 * an issue we created a moment ago is always among our newest.
 */
async function findNewestByMarker(octokit: Octokit, ref: RepoRef & { label: string }, marker: IssueMarker): Promise<TrackedIssue | null> {
  try {
    const { data } = await octokit.rest.issues.listForRepo({
      owner: ref.owner,
      repo: ref.repo,
      labels: ref.label,
      state: 'all',
      sort: 'created',
      direction: 'desc',
      per_page: 100,
    });
    for (const item of data) {
      if (item.pull_request) continue;
      const issue = toTrackedIssue(item as RawIssue);
      // Another scope's issue for the same insight id is not ours.
      if (issue.marker?.id === marker.id && (marker.scope === undefined || (issue.marker.scope !== undefined && sameScope(issue.marker.scope, marker.scope))))
        return issue;
    }
  } catch (error) {
    throw toGithubError(error, ctx(ref, 'read', 'list issues'));
  }
  return null;
}

export interface IssueRef extends RepoRef {
  number: number;
}

/** One issue as it is now: `GET /repos/{o}/{r}/issues/{n}`. */
export async function getIssue(octokit: Octokit, ref: IssueRef): Promise<TrackedIssue> {
  try {
    const { data } = await octokit.rest.issues.get({ owner: ref.owner, repo: ref.repo, issue_number: ref.number });
    return toTrackedIssue(data as RawIssue);
  } catch (error) {
    throw toGithubError(error, ctx(ref, 'read', `read issue #${ref.number}`, { issue: ref.number }));
  }
}

/** Edits an issue. `labels` replaces all labels: pass mergeLabels(current, desired) to keep people's. */
export async function updateIssue(octokit: Octokit, options: IssueRef & Partial<IssueContent> & { assignees?: string[] }): Promise<TrackedIssue> {
  return patchIssue(octokit, options, `update issue #${options.number}`, {
    ...contentFields(options),
    ...(options.assignees !== undefined && { assignees: options.assignees }),
  });
}

/** Closes an issue as completed or not planned, optionally rewriting it in the same request. */
export async function closeIssue(
  octokit: Octokit,
  options: IssueRef & { reason: 'completed' | 'not_planned'; content?: Partial<IssueContent> },
): Promise<TrackedIssue> {
  return patchIssue(octokit, options, `close issue #${options.number}`, {
    ...contentFields(options.content),
    state: 'closed',
    state_reason: options.reason,
  });
}

/** Reopens an issue (GitHub sets `state_reason: reopened`), optionally rewriting it. */
export async function reopenIssue(octokit: Octokit, options: IssueRef & { content?: Partial<IssueContent> }): Promise<TrackedIssue> {
  return patchIssue(octokit, options, `reopen issue #${options.number}`, { ...contentFields(options.content), state: 'open' });
}

function contentFields(content: Partial<IssueContent> | undefined): Record<string, unknown> {
  if (!content) return {};
  return {
    ...(content.title !== undefined && { title: content.title }),
    ...(content.body !== undefined && { body: content.body }),
    ...(content.labels !== undefined && { labels: content.labels }),
  };
}

async function patchIssue(octokit: Octokit, ref: IssueRef, action: string, fields: Record<string, unknown>): Promise<TrackedIssue> {
  try {
    const { data } = refuseRedirect(
      await octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
        owner: ref.owner,
        repo: ref.repo,
        issue_number: ref.number,
        ...fields,
      }),
    );
    return toTrackedIssue(data as RawIssue);
  } catch (error) {
    throw toGithubError(error, ctx(ref, 'write', action, { issue: ref.number }));
  }
}

/** The hidden line ending each of our comments: the hash of its text, to know it again. */
export function commentMarker(body: string): string {
  return `<!-- cf-insights:comment h=${createHash('sha256').update(body).digest('hex').slice(0, 12)} -->`;
}

const COMMENT_MARKER = /<!-- cf-insights:comment h=[0-9a-f]{12} -->\s*$/;

/** Is our latest comment on the issue this one (same marker)? One listing of its comments. */
async function latestOwnCommentIs(octokit: Octokit, ref: IssueRef, marker: string): Promise<boolean> {
  try {
    const all = await octokit.paginate(octokit.rest.issues.listComments, { owner: ref.owner, repo: ref.repo, issue_number: ref.number, per_page: 100 });
    const ours = all.filter((c) => COMMENT_MARKER.test(c.body ?? ''));
    return ours.length > 0 && (ours[ours.length - 1]!.body ?? '').trimEnd().endsWith(marker);
  } catch (error) {
    throw toGithubError(error, ctx(ref, 'read', `list the comments of issue #${ref.number}`, { issue: ref.number }));
  }
}

export interface AddCommentOptions extends IssueRef {
  body: string;
  /** Look for this comment first: an earlier run may have posted it and stopped before the rest. */
  checkFirst?: boolean;
  /** Posting attempts in all; default 3. */
  attempts?: number;
}

/**
 * Comments on an issue, with a hidden marker. Never retried blindly: a 5xx may hide a
 * comment that was stored, so after one the issue's comments are listed and the comment
 * is posted again only when our latest one is not it. `existing`: it was there already.
 */
export async function addComment(octokit: Octokit, options: AddCommentOptions): Promise<{ id: number | null; existing: boolean }> {
  const marker = commentMarker(options.body);
  const context = ctx(options, 'write', `comment on issue #${options.number}`, { issue: options.number });
  if (options.checkFirst && (await latestOwnCommentIs(octokit, options, marker))) return { id: null, existing: true };
  return writeAtMostOnce<{ id: number | null; existing: boolean }>(
    Math.max(1, options.attempts ?? 3),
    context,
    async () => {
      const { data } = refuseRedirect(
        await octokit.rest.issues.createComment({
          owner: options.owner,
          repo: options.repo,
          issue_number: options.number,
          body: `${options.body}\n\n${marker}`,
          request: { retries: 0 },
        }),
      );
      return { id: data.id, existing: false };
    },
    async () => ((await latestOwnCommentIs(octokit, options, marker)) ? { id: null, existing: true } : null),
  );
}
