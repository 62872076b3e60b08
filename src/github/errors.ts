/**
 * GitHub failures as one line for a person (what failed, why, what to do), with the
 * HTTP details kept for the debug log. Never a token: messages are built from the
 * status, the repository and GitHub's own error text, not from the request.
 */
import { RemoteError } from '../errors.js';

export type GithubErrorKind =
  | 'auth' // 401: bad, expired or missing token
  | 'permission' // 403 / 404 / 422 on a write: the token cannot write issues there
  | 'not-found' // 404: repository unknown or invisible to the token
  | 'issues-disabled' // 410 on the repository: issues are turned off
  | 'issue-gone' // 404 / 410 on one issue: deleted or transferred
  | 'moved' // 301 on one issue: transferred to another repository (or the repository renamed)
  | 'locked' // 403 on a comment: the issue is locked
  | 'label' // 422 about a label
  | 'assignee' // 422 about an assignee
  | 'validation' // another 422: this request, not the token, was refused
  | 'rate-limit' // 403 / 429 rate limit, retries used up
  | 'server' // 5xx after retries
  | 'network'; // no HTTP answer

export class GithubError extends RemoteError {
  readonly kind: GithubErrorKind;
  /** HTTP status, or null when no answer came. */
  readonly status: number | null;
  /** The issue the failed request was about, if any. */
  issue?: number;
  constructor(kind: GithubErrorKind, status: number | null, message: string, details: string[] = [], options?: { cause?: unknown }) {
    super(message, details, options);
    this.kind = kind;
    this.status = status;
  }
}

export interface GithubErrorContext {
  owner: string;
  repo: string;
  /** `read` for listings, `write` for anything that changes the repository. */
  access: 'read' | 'write';
  /** What was being done, for the message: "list issues", "create an issue", "create label `x`". */
  action: string;
  /** The issue concerned, if any. */
  issue?: number;
  /** The label concerned, if any (label creation). */
  label?: string;
}

interface HttpErrorLike {
  status?: unknown;
  message?: unknown;
  response?: { data?: unknown; headers?: Record<string, unknown> };
  request?: { method?: unknown; url?: unknown };
}

interface GithubErrorBody {
  message?: string;
  documentation_url?: string;
  errors?: { resource?: string; field?: string; code?: string; message?: string; value?: unknown }[];
}

function bodyOf(error: HttpErrorLike): GithubErrorBody {
  const data = error.response?.data;
  return data && typeof data === 'object' ? (data as GithubErrorBody) : {};
}

/** GitHub's error text, one short line (a 5xx may be an HTML page). */
function remoteMessage(error: HttpErrorLike): string {
  const body = bodyOf(error);
  const raw = typeof body.message === 'string' ? body.message : typeof error.message === 'string' ? error.message : '';
  const line = raw
    .slice(0, 2000)
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
}

function statusOf(error: unknown): number | null {
  const status = (error as HttpErrorLike | null)?.status;
  return typeof status === 'number' ? status : null;
}

function detailsOf(error: HttpErrorLike, status: number | null): string[] {
  const details: string[] = [];
  const method = typeof error.request?.method === 'string' ? error.request.method : '?';
  const url = typeof error.request?.url === 'string' ? error.request.url.replace(/\?.*$/, '') : '?';
  details.push(`GitHub ${method} ${url} -> ${status ?? 'no response'}`);
  const message = remoteMessage(error);
  if (message) details.push(`GitHub said: ${message}`);
  const body = bodyOf(error);
  if (Array.isArray(body.errors) && body.errors.length > 0) {
    details.push(`GitHub errors: ${JSON.stringify(body.errors).slice(0, 500)}`);
  }
  if (typeof body.documentation_url === 'string') details.push(`See ${body.documentation_url}`);
  const requestId = error.response?.headers?.['x-github-request-id'];
  if (typeof requestId === 'string') details.push(`x-github-request-id: ${requestId}`);
  return details;
}

/** Kinds that concern one issue or one request: the run skips that write and goes on. */
const PER_ISSUE: ReadonlySet<GithubErrorKind> = new Set(['issue-gone', 'moved', 'locked', 'validation']);

/** Whether the failure is this issue's alone (locked, deleted, moved, refused), not every write's. */
export function isPerIssueFailure(error: unknown): error is GithubError {
  return error instanceof GithubError && PER_ISSUE.has(error.kind);
}

const WRITE_HINT = 'the token needs `issues: write` (add `permissions: issues: write` to the workflow, or use a `github-token` that can write there).';

/** Turn anything octokit threw into a GithubError (a GithubError passes through). */
export function toGithubError(error: unknown, ctx: GithubErrorContext): GithubError {
  if (error instanceof GithubError) return error;
  const e = (error ?? {}) as HttpErrorLike;
  const status = statusOf(error);
  const details = detailsOf(e, status);
  const where = `${ctx.owner}/${ctx.repo}`;
  const issue = ctx.issue !== undefined ? `${where}#${ctx.issue}` : where;
  const said = remoteMessage(e);
  const body = bodyOf(e);
  const make = (kind: GithubErrorKind, message: string) => {
    const made = new GithubError(kind, status, message, details, { cause: error });
    if (ctx.issue !== undefined) made.issue = ctx.issue;
    return made;
  };

  const hasResponse = e.response !== undefined;
  if (status === null || (status === 500 && !hasResponse)) {
    return make(
      'network',
      `Could not reach GitHub to ${ctx.action} in ${where}${said ? ` (${said})` : ''}: check the network and the GitHub API URL (\`GITHUB_API_URL\`).`,
    );
  }
  if (status === 401) {
    return make('auth', `GitHub rejected the token (HTTP 401) while trying to ${ctx.action} in ${where}: the \`github-token\` is missing, expired or revoked.`);
  }
  if ((status === 403 && /rate limit/i.test(said)) || status === 429) {
    return make(
      'rate-limit',
      `GitHub rate limit hit while trying to ${ctx.action} in ${where} (HTTP ${status}), and retries did not help: wait and rerun, or lower \`max-issue-writes\`.`,
    );
  }
  if (status >= 300 && status < 400) {
    return ctx.issue !== undefined
      ? make('moved', `GitHub issue ${issue} has moved (HTTP ${status}): it was transferred to another repository, and cf-insights writes only to ${where}.`)
      : make(
          'not-found',
          `GitHub answered HTTP ${status} to ${ctx.action} in ${where}: the repository was renamed or transferred; set \`repository\` to its new name.`,
        );
  }
  if (status === 403 && ctx.issue !== undefined && /\blocked\b/i.test(said)) {
    return make('locked', `GitHub issue ${issue} is locked (HTTP 403: ${said}): cf-insights cannot comment on it.`);
  }
  if (status === 403) {
    return ctx.access === 'write'
      ? make('permission', `GitHub refused to ${ctx.action} in ${where} (HTTP 403: ${said || 'Forbidden'}): ${WRITE_HINT}`)
      : make(
          'permission',
          `GitHub refused to ${ctx.action} in ${where} (HTTP 403: ${said || 'Forbidden'}): the token needs \`issues: read\` there (\`issues: write\` to file issues).`,
        );
  }
  if (status === 410) {
    if (/disabled/i.test(said) || ctx.issue === undefined) {
      return make(
        'issues-disabled',
        `GitHub issues are disabled in ${where} (HTTP 410): enable Issues in the repository settings, or set \`repository\` to one with issues.`,
      );
    }
    return make('issue-gone', `GitHub issue ${issue} was deleted (HTTP 410).`);
  }
  if (status === 404) {
    if (ctx.issue !== undefined) {
      return make('issue-gone', `GitHub issue ${issue} was not found (HTTP 404): it was deleted or transferred, or the token cannot see ${where}.`);
    }
    return ctx.access === 'write'
      ? make(
          'permission',
          `GitHub could not ${ctx.action} in ${where} (HTTP 404): the repository does not exist or the token cannot see it; check \`repository\`, and ${WRITE_HINT}`,
        )
      : make(
          'not-found',
          `GitHub repository ${where} was not found (HTTP 404): check \`repository\`; for another repository than the workflow's, use a \`github-token\` that can read and write issues there.`,
        );
  }
  if (status === 422) {
    const errors = Array.isArray(body.errors) ? body.errors : [];
    const labelError = ctx.label !== undefined || errors.some((x) => /label/i.test(`${x.resource ?? ''} ${x.field ?? ''}`));
    if (labelError) {
      const which = ctx.label !== undefined ? `\`${ctx.label}\`` : 'a label';
      const code = errors.find((x) => typeof x.code === 'string')?.code;
      return make(
        'label',
        `GitHub refused ${which} in ${where} (HTTP 422${code ? `: ${code}` : ''}): label names must be at most 50 characters, colours 6 hex digits; check \`labels\`, and creating labels needs \`issues: write\`.`,
      );
    }
    if (errors.some((x) => /assignee/i.test(`${x.field ?? ''} ${x.resource ?? ''}`))) {
      return make(
        'assignee',
        `GitHub refused an assignee in ${where} (HTTP 422): every name in \`assignees\` must be a user who can be assigned there (a collaborator).`,
      );
    }
    // A permission problem answers 403 or 404; a 422 is about this request's content.
    const first = errors.find((x) => typeof x.message === 'string' || typeof x.field === 'string');
    const why = first ? `: ${[first.field, first.message ?? first.code].filter(Boolean).join(' ')}` : '';
    return make('validation', `GitHub refused to ${ctx.action} in ${where} (HTTP 422: ${said || 'Validation Failed'}${why.slice(0, 120)}).`);
  }
  if (status >= 500) {
    return make('server', `GitHub failed to ${ctx.action} in ${where} (HTTP ${status}) after retries: GitHub may be having trouble; rerun later.`);
  }
  return make('validation', `GitHub refused to ${ctx.action} in ${where} (HTTP ${status}${said ? `: ${said}` : ''}).`);
}
