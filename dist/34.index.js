export const id = 34;
export const ids = [34];
export const modules = {

/***/ 5625:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   q: () => (/* binding */ silentLogger)
/* harmony export */ });
/* unused harmony export memoryLogger */
const silentLogger = {
    debug() { },
    info() { },
    warning() { },
    error() { },
};
/** A logger that keeps every line, for tests and for the job summary. */
function memoryLogger() {
    const lines = [];
    const push = (level) => (message) => {
        lines.push({ level, message });
    };
    return { lines, debug: push('debug'), info: push('info'), warning: push('warning'), error: push('error') };
}


/***/ }),

/***/ 6034:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  githubTracker: () => (/* binding */ githubTracker),
  offlineTracker: () => (/* binding */ offlineTracker)
});

// EXTERNAL MODULE: ./node_modules/@octokit/rest/dist-src/index.js + 21 modules
var dist_src = __webpack_require__(9988);
// EXTERNAL MODULE: ./node_modules/@octokit/plugin-retry/dist-bundle/index.js
var dist_bundle = __webpack_require__(9735);
// EXTERNAL MODULE: ./node_modules/@octokit/plugin-throttling/dist-bundle/index.js
var plugin_throttling_dist_bundle = __webpack_require__(6856);
// EXTERNAL MODULE: ./src/log.ts
var src_log = __webpack_require__(5625);
// EXTERNAL MODULE: ./src/version.ts
var version = __webpack_require__(311);
;// CONCATENATED MODULE: ./src/github/client.ts
/**
 * The octokit client: @octokit/rest with the throttling plugin (one write at a time,
 * spaced out, and a bounded wait-and-retry on primary and secondary rate limits) and the
 * retry plugin (5xx and network errors). Every HTTP attempt is counted, retries and
 * pages included, because the sync reports the GitHub requests of each run.
 */





const DEFAULT_GITHUB_API_URL = 'https://api.github.com';
const GithubOctokit = dist_src/* Octokit */.E.plugin(plugin_throttling_dist_bundle/* throttling */.A, dist_bundle/* retry */.L);
function octokitLog(log) {
    // octokit passes request options (headers included) as extra arguments: never log them.
    const line = (message) => (typeof message === 'string' ? `octokit: ${message}` : 'octokit: (object)');
    return {
        debug: (message) => {
            if (message !== 'request')
                log.debug(line(message));
        },
        info: (message) => log.debug(line(message)),
        warn: (message) => log.warning(line(message)),
        // The request-log plugin reports every non-2xx here, expected 404s included; the
        // callers turn real failures into one clear line, so this stays at debug level.
        error: (message) => log.debug(line(message)),
    };
}
function isoDate(httpDate) {
    if (!httpDate)
        return null;
    const ms = Date.parse(httpDate);
    return Number.isNaN(ms) ? null : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
function createGithubClient(options) {
    const log = options.log ?? src_log/* silentLogger */.q;
    const tuning = options.throttle ?? {};
    const rateLimitRetries = tuning.rateLimitRetries ?? 2;
    const maxRetryAfter = tuning.maxRetryAfterSeconds ?? 300;
    const stats = { requests: 0, writes: 0, rateLimited: 0, serverTime: null };
    const countingFetch = async (input, init) => {
        stats.requests += 1;
        const method = (init?.method ?? 'GET').toUpperCase();
        if (method !== 'GET' && method !== 'HEAD')
            stats.writes += 1;
        const response = await fetch(input, init);
        stats.serverTime = isoDate(response.headers.get('date')) ?? stats.serverTime;
        return response;
    };
    const onLimit = (kind) => (retryAfter, request, _octokit, retryCount) => {
        stats.rateLimited += 1;
        const what = `${request.method ?? ''} ${request.url ?? ''}`.trim();
        if (retryCount < rateLimitRetries && retryAfter <= maxRetryAfter) {
            log.warning(`GitHub ${kind} rate limit on ${what}: waiting ${retryAfter}s, then retry ${retryCount + 1} of ${rateLimitRetries}.`);
            return true;
        }
        log.warning(`GitHub ${kind} rate limit on ${what}: giving up after ${retryCount} retries (asked to wait ${retryAfter}s).`);
        return false;
    };
    const throttle = {
        onRateLimit: onLimit('primary'),
        onSecondaryRateLimit: onLimit('secondary'),
        ...(tuning.retryAfterBaseValue !== undefined && { retryAfterBaseValue: tuning.retryAfterBaseValue }),
        ...(tuning.fallbackSecondaryRateRetryAfter !== undefined && {
            fallbackSecondaryRateRetryAfter: tuning.fallbackSecondaryRateRetryAfter,
        }),
        ...(tuning.write && { write: tuning.write }),
        ...(tuning.notifications && { notifications: tuning.notifications }),
        ...(tuning.search && { search: tuning.search }),
    };
    const octokit = new GithubOctokit({
        auth: options.token,
        baseUrl: (options.baseUrl ?? DEFAULT_GITHUB_API_URL).replace(/\/+$/, ''),
        userAgent: options.userAgent ?? version/* USER_AGENT */._,
        log: octokitLog(log),
        throttle,
        retry: {
            retries: options.retries ?? 3,
            ...(tuning.retryAfterBaseValue !== undefined && { retryAfterBaseValue: tuning.retryAfterBaseValue }),
        },
        request: { fetch: countingFetch },
    });
    return { octokit, stats };
}

// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
;// CONCATENATED MODULE: ./src/github/errors.ts
/**
 * GitHub failures as one line for a person (what failed, why, what to do), with the
 * HTTP details kept for the debug log. Never a token: messages are built from the
 * status, the repository and GitHub's own error text, not from the request.
 */

class errors_GithubError extends errors/* RemoteError */.Hi {
    kind;
    /** HTTP status, or null when no answer came. */
    status;
    constructor(kind, status, message, details = [], options) {
        super(message, details, options);
        this.kind = kind;
        this.status = status;
    }
}
function bodyOf(error) {
    const data = error.response?.data;
    return data && typeof data === 'object' ? data : {};
}
/** GitHub's error text, one short line (a 5xx may be an HTML page). */
function remoteMessage(error) {
    const body = bodyOf(error);
    const raw = typeof body.message === 'string' ? body.message : typeof error.message === 'string' ? error.message : '';
    const line = raw.slice(0, 2000).replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
    return line.length > 160 ? `${line.slice(0, 159)}…` : line;
}
function statusOf(error) {
    const status = error?.status;
    return typeof status === 'number' ? status : null;
}
function detailsOf(error, status) {
    const details = [];
    const method = typeof error.request?.method === 'string' ? error.request.method : '?';
    const url = typeof error.request?.url === 'string' ? error.request.url.replace(/\?.*$/, '') : '?';
    details.push(`GitHub ${method} ${url} -> ${status ?? 'no response'}`);
    const message = remoteMessage(error);
    if (message)
        details.push(`GitHub said: ${message}`);
    const body = bodyOf(error);
    if (Array.isArray(body.errors) && body.errors.length > 0) {
        details.push(`GitHub errors: ${JSON.stringify(body.errors).slice(0, 500)}`);
    }
    if (typeof body.documentation_url === 'string')
        details.push(`See ${body.documentation_url}`);
    const requestId = error.response?.headers?.['x-github-request-id'];
    if (typeof requestId === 'string')
        details.push(`x-github-request-id: ${requestId}`);
    return details;
}
const WRITE_HINT = 'the token needs `issues: write` (add `permissions: issues: write` to the workflow, or use a `github-token` that can write there).';
/** Turn anything octokit threw into a GithubError (a GithubError passes through). */
function errors_toGithubError(error, ctx) {
    if (error instanceof errors_GithubError)
        return error;
    const e = (error ?? {});
    const status = statusOf(error);
    const details = detailsOf(e, status);
    const where = `${ctx.owner}/${ctx.repo}`;
    const issue = ctx.issue !== undefined ? `${where}#${ctx.issue}` : where;
    const said = remoteMessage(e);
    const body = bodyOf(e);
    const make = (kind, message) => new errors_GithubError(kind, status, message, details, { cause: error });
    const hasResponse = e.response !== undefined;
    if (status === null || (status === 500 && !hasResponse)) {
        return make('network', `Could not reach GitHub to ${ctx.action} in ${where}${said ? ` (${said})` : ''}: check the network and the GitHub API URL (\`GITHUB_API_URL\`).`);
    }
    if (status === 401) {
        return make('auth', `GitHub rejected the token (HTTP 401) while trying to ${ctx.action} in ${where}: the \`github-token\` is missing, expired or revoked.`);
    }
    if ((status === 403 && /rate limit/i.test(said)) || status === 429) {
        return make('rate-limit', `GitHub rate limit hit while trying to ${ctx.action} in ${where} (HTTP ${status}), and retries did not help: wait and rerun, or lower \`max-issue-writes\`.`);
    }
    if (status === 403) {
        return ctx.access === 'write'
            ? make('permission', `GitHub refused to ${ctx.action} in ${where} (HTTP 403: ${said || 'Forbidden'}): ${WRITE_HINT}`)
            : make('permission', `GitHub refused to ${ctx.action} in ${where} (HTTP 403: ${said || 'Forbidden'}): the token needs \`issues: read\` there (\`issues: write\` to file issues).`);
    }
    if (status === 410) {
        if (/disabled/i.test(said) || ctx.issue === undefined) {
            return make('issues-disabled', `GitHub issues are disabled in ${where} (HTTP 410): enable Issues in the repository settings, or set \`repository\` to one with issues.`);
        }
        return make('issue-gone', `GitHub issue ${issue} was deleted (HTTP 410).`);
    }
    if (status === 404) {
        if (ctx.issue !== undefined) {
            return make('issue-gone', `GitHub issue ${issue} was not found (HTTP 404): it was deleted or transferred, or the token cannot see ${where}.`);
        }
        return ctx.access === 'write'
            ? make('permission', `GitHub could not ${ctx.action} in ${where} (HTTP 404): the repository does not exist or the token cannot see it; check \`repository\`, and ${WRITE_HINT}`)
            : make('not-found', `GitHub repository ${where} was not found (HTTP 404): check \`repository\`; for another repository than the workflow's, use a \`github-token\` that can read and write issues there.`);
    }
    if (status === 422) {
        const errors = Array.isArray(body.errors) ? body.errors : [];
        const labelError = ctx.label !== undefined || errors.some((x) => /label/i.test(`${x.resource ?? ''} ${x.field ?? ''}`));
        if (labelError) {
            const which = ctx.label !== undefined ? `\`${ctx.label}\`` : 'a label';
            const code = errors.find((x) => typeof x.code === 'string')?.code;
            return make('label', `GitHub refused ${which} in ${where} (HTTP 422${code ? `: ${code}` : ''}): label names must be at most 50 characters, colours 6 hex digits; check \`labels\`, and creating labels needs \`issues: write\`.`);
        }
        if (errors.some((x) => /assignee/i.test(`${x.field ?? ''} ${x.resource ?? ''}`))) {
            return make('assignee', `GitHub refused an assignee in ${where} (HTTP 422): every name in \`assignees\` must be a user who can be assigned there (a collaborator).`);
        }
        return make(ctx.access === 'write' ? 'permission' : 'validation', ctx.access === 'write'
            ? `GitHub refused to ${ctx.action} in ${where} (HTTP 422: ${said || 'Validation Failed'}): ${WRITE_HINT}`
            : `GitHub rejected the request to ${ctx.action} in ${where} (HTTP 422: ${said || 'Validation Failed'}).`);
    }
    if (status >= 500) {
        return make('server', `GitHub failed to ${ctx.action} in ${where} (HTTP ${status}) after retries: GitHub may be having trouble; rerun later.`);
    }
    return make('validation', `GitHub refused to ${ctx.action} in ${where} (HTTP ${status}${said ? `: ${said}` : ''}).`);
}

// EXTERNAL MODULE: ./src/github/marker.ts
var github_marker = __webpack_require__(4329);
// EXTERNAL MODULE: ./src/github/render.ts
var render = __webpack_require__(9983);
;// CONCATENATED MODULE: ./src/github/issues.ts




const STATE_REASONS = new Set(['completed', 'not_planned', 'reopened', 'duplicate']);
/**
 * What the sync keeps of an issue; the body itself is not kept (see TrackedIssue). A
 * listing passes one `shared` map: the strings its 100k issues repeat (label names, the
 * scope id) are then kept once.
 */
function toTrackedIssue(raw, shared = new Map()) {
    const once = (text) => {
        const known = shared.get(text);
        if (known !== undefined)
            return known;
        shared.set(text, text);
        return text;
    };
    const body = raw.body ?? '';
    // map() sizes its array exactly; an array grown by push() holds 17 slots for 3 labels.
    const named = raw.labels.map((label) => once(typeof label === 'string' ? label : (label.name ?? '')));
    const labels = named.includes('') ? named.filter((name) => name !== '') : named;
    return {
        number: raw.number,
        state: raw.state === 'closed' ? 'closed' : 'open',
        stateReason: STATE_REASONS.has(raw.state_reason ?? '') ? raw.state_reason : null,
        title: raw.title,
        labels,
        marker: (0,github_marker/* parseMarker */.gY)(body),
        scopeIds: (0,github_marker/* scopeIdsIn */.em)(body).map(once),
    };
}
function ctx(ref, access, action, extra = {}) {
    return { owner: ref.owner, repo: ref.repo, access, action, ...extra };
}
/**
 * Every issue (open and closed) carrying `label`, oldest update first, pull requests
 * skipped, markers parsed. `GET /repos/{o}/{r}/issues?labels=&state=all&sort=updated&direction=asc&per_page=100[&since=]`,
 * following the `Link` header.
 */
async function listTrackedIssues(octokit, options) {
    const issues = [];
    const shared = new Map();
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
                if (item.pull_request)
                    continue;
                issues.push(toTrackedIssue(item, shared));
            }
        }
    }
    catch (error) {
        throw errors_toGithubError(error, ctx(options, 'read', 'list issues'));
    }
    return { issues, requests };
}
/** Repository check before a run: exists, visible, issues enabled. One request. */
async function checkRepository(octokit, ref) {
    let data;
    try {
        data = (await octokit.rest.repos.get({ owner: ref.owner, repo: ref.repo })).data;
    }
    catch (error) {
        throw toGithubError(error, ctx(ref, 'read', 'read the repository'));
    }
    if (data.has_issues === false) {
        throw new GithubError('issues-disabled', null, `GitHub issues are disabled in ${ref.owner}/${ref.repo}: enable Issues in the repository settings, or set \`repository\` to one with issues.`);
    }
    return { fullName: data.full_name, hasIssues: true };
}
/**
 * Creates the labels that do not exist yet, coloured by severity. One listing request
 * (`GET /repos/{o}/{r}/labels?per_page=100`, more pages only for repositories with
 * over 100 labels), then one POST per missing label.
 */
async function ensureLabels(octokit, options) {
    const known = options.known ?? new Set();
    const wanted = [...new Map(options.labels.filter((l) => l.trim() !== '').map((l) => [l.toLowerCase(), l])).values()];
    if (wanted.every((l) => known.has(l.toLowerCase())))
        return { created: [] };
    try {
        const existing = await octokit.paginate(octokit.rest.issues.listLabelsForRepo, {
            owner: options.owner,
            repo: options.repo,
            per_page: 100,
        });
        for (const label of existing)
            known.add(label.name.toLowerCase());
    }
    catch (error) {
        throw errors_toGithubError(error, ctx(options, 'read', 'list labels'));
    }
    const created = [];
    for (const name of wanted) {
        if (known.has(name.toLowerCase()))
            continue;
        try {
            await octokit.rest.issues.createLabel({
                owner: options.owner,
                repo: options.repo,
                name,
                color: (0,render/* labelColor */.mU)(name),
                description: (0,render/* labelDescription */.Vw)(name),
            });
            created.push(name);
        }
        catch (error) {
            if (!isAlreadyExists(error)) {
                throw errors_toGithubError(error, ctx(options, 'write', `create label \`${name}\``, { label: name }));
            }
        }
        known.add(name.toLowerCase());
    }
    return { created };
}
function isAlreadyExists(error) {
    const e = error;
    return e?.status === 422 && (e.response?.data?.errors ?? []).some((x) => x.code === 'already_exists');
}
/** A 5xx or no answer: the issue may have been created all the same. */
function maybeCreated(error) {
    const status = error?.status;
    return typeof status !== 'number' || status >= 500;
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/**
 * Opens an issue. Never retried blindly: a 502 may hide an issue that was created. After
 * a 5xx or a network error, our newest issues are listed (one request) and the one with
 * the same marker id is returned; only when there is none is the creation tried again.
 */
async function createIssue(octokit, options) {
    const log = options.log ?? src_log/* silentLogger */.q;
    const marker = (0,github_marker/* parseMarker */.gY)(options.body);
    if (!marker)
        throw new Error('createIssue: the body must end with a cf-insights marker');
    const attempts = Math.max(1, options.attempts ?? 3);
    const context = ctx(options, 'write', 'create an issue');
    let lastError;
    for (let attempt = 1; attempt <= attempts; attempt++) {
        try {
            const { data } = await octokit.rest.issues.create({
                owner: options.owner,
                repo: options.repo,
                title: options.title,
                body: options.body,
                labels: options.labels,
                ...(options.assignees && options.assignees.length > 0 && { assignees: options.assignees }),
                request: { retries: 0 },
            });
            const issue = toTrackedIssue(data);
            warnIfLabelDropped(issue, options, log);
            return { issue, recovered: false };
        }
        catch (error) {
            if (!maybeCreated(error))
                throw errors_toGithubError(error, context);
            lastError = error;
            const { status, response } = error;
            log.warning(`GitHub answered ${response !== undefined && typeof status === 'number' ? `HTTP ${status}` : 'nothing'} to creating the issue for ${marker.id} in ${options.owner}/${options.repo} (attempt ${attempt} of ${attempts}); checking whether it was created anyway.`);
            if ((options.recoveryDelayMs ?? 2000) > 0)
                await sleep(options.recoveryDelayMs ?? 2000);
            const found = await findNewestByMarker(octokit, options, marker.id);
            if (found) {
                log.info(`The issue for ${marker.id} had been created: #${found.number}; not creating another.`);
                return { issue: found, recovered: true };
            }
        }
    }
    throw errors_toGithubError(lastError, context);
}
function warnIfLabelDropped(issue, options, log) {
    const have = new Set(issue.labels.map((l) => l.toLowerCase()));
    const missing = options.label.split(',').map((l) => l.trim()).filter((l) => l !== '' && !have.has(l.toLowerCase()));
    if (missing.length > 0) {
        log.warning(`GitHub created #${issue.number} in ${options.owner}/${options.repo} without the label \`${missing.join(', ')}\`: the token may not set labels there; cf-insights finds its issues by that label.`);
    }
}
/**
 * The newest issue with our label whose marker has `id`, from one page of the 100
 * most recently created. No `since`: that would compare our clock with GitHub's, and
 * an issue we created a moment ago is always among our newest.
 */
async function findNewestByMarker(octokit, ref, id) {
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
            if (item.pull_request)
                continue;
            const issue = toTrackedIssue(item);
            if (issue.marker?.id === id)
                return issue;
        }
    }
    catch (error) {
        throw errors_toGithubError(error, ctx(ref, 'read', 'list issues'));
    }
    return null;
}
/** Edits an issue. `labels` replaces all labels: pass mergeLabels(current, desired) to keep people's. */
async function updateIssue(octokit, options) {
    return patchIssue(octokit, options, `update issue #${options.number}`, {
        ...contentFields(options),
        ...(options.assignees !== undefined && { assignees: options.assignees }),
    });
}
/** Closes an issue as completed or not planned, optionally rewriting it in the same request. */
async function closeIssue(octokit, options) {
    return patchIssue(octokit, options, `close issue #${options.number}`, {
        ...contentFields(options.content),
        state: 'closed',
        state_reason: options.reason,
    });
}
/** Reopens an issue (GitHub sets `state_reason: reopened`), optionally rewriting it. */
async function reopenIssue(octokit, options) {
    return patchIssue(octokit, options, `reopen issue #${options.number}`, { ...contentFields(options.content), state: 'open' });
}
function contentFields(content) {
    if (!content)
        return {};
    return {
        ...(content.title !== undefined && { title: content.title }),
        ...(content.body !== undefined && { body: content.body }),
        ...(content.labels !== undefined && { labels: content.labels }),
    };
}
async function patchIssue(octokit, ref, action, fields) {
    try {
        const { data } = await octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
            owner: ref.owner,
            repo: ref.repo,
            issue_number: ref.number,
            ...fields,
        });
        return toTrackedIssue(data);
    }
    catch (error) {
        throw errors_toGithubError(error, ctx(ref, 'write', action, { issue: ref.number }));
    }
}
async function addComment(octokit, options) {
    try {
        const { data } = await octokit.rest.issues.createComment({
            owner: options.owner,
            repo: options.repo,
            issue_number: options.number,
            body: options.body,
        });
        return { id: data.id };
    }
    catch (error) {
        throw errors_toGithubError(error, ctx(options, 'write', `comment on issue #${options.number}`, { issue: options.number }));
    }
}

// EXTERNAL MODULE: ./src/sync/execute.ts
var execute = __webpack_require__(5224);
;// CONCATENATED MODULE: ./src/sync/github-tracker.ts




function goneAsIssueGone(issue, work) {
    return work.catch((error) => {
        if (error instanceof errors_GithubError && error.kind === 'issue-gone')
            throw new execute/* IssueGoneError */.T(issue);
        throw error;
    });
}
/**
 * GitHub through octokit (throttling + retry plugins): the listing of our issues by
 * their labels, and the writes. The time of GitHub's last answer becomes the next
 * run's `since`, so an unchanged run lists nothing it wrote itself.
 */
function githubTracker(settings, log, tuning = {}) {
    const client = createGithubClient({
        token: settings.token,
        baseUrl: settings.apiUrl,
        log,
        ...(tuning.throttle ? { throttle: tuning.throttle } : {}),
        ...(tuning.retries !== undefined ? { retries: tuning.retries } : {}),
    });
    const { octokit } = client;
    const ref = { owner: settings.owner, repo: settings.repo };
    const knownLabels = new Set();
    const writer = {
        async ensureLabels(labels) {
            await ensureLabels(octokit, { ...ref, labels, known: knownLabels });
        },
        async create(content, assignees) {
            const created = await createIssue(octokit, {
                ...ref,
                ...content,
                assignees,
                label: settings.labels.join(','),
                log,
                ...(tuning.recoveryDelayMs !== undefined ? { recoveryDelayMs: tuning.recoveryDelayMs } : {}),
            });
            return { number: created.issue.number };
        },
        async update(issue, content) {
            await goneAsIssueGone(issue, updateIssue(octokit, { ...ref, number: issue, ...content }));
        },
        async comment(issue, body) {
            await goneAsIssueGone(issue, addComment(octokit, { ...ref, number: issue, body }));
        },
        async close(issue, reason, content) {
            await goneAsIssueGone(issue, closeIssue(octokit, { ...ref, number: issue, reason, ...(content ? { content } : {}) }));
        },
        async reopen(issue, content) {
            await goneAsIssueGone(issue, reopenIssue(octokit, { ...ref, number: issue, content }));
        },
    };
    return {
        repository: `${settings.owner}/${settings.repo}`,
        async list(since) {
            // All configured labels: GitHub ANDs them, so accounts that share a repository
            // with their own label never see each other's issues.
            const listing = await listTrackedIssues(octokit, { ...ref, label: settings.labels.join(','), ...(since ? { since } : {}) });
            return listing.issues;
        },
        writer,
        stats: () => ({ requests: client.stats.requests, writes: client.stats.writes, newestUpdate: client.stats.serverTime }),
    };
}
/** A dry run without a token: no issue is known, nothing can be written. */
function offlineTracker(repository) {
    const refuse = async () => {
        throw new Error('no GitHub token: this run cannot write');
    };
    return {
        repository,
        list: async () => [],
        writer: { ensureLabels: refuse, create: refuse, update: refuse, comment: refuse, close: refuse, reopen: refuse },
        stats: () => ({ requests: 0, writes: 0, newestUpdate: null }),
    };
}


/***/ }),

/***/ 311:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   _: () => (/* binding */ USER_AGENT)
/* harmony export */ });
/* unused harmony export VERSION */
/** Kept in step with package.json by a test. */
const VERSION = '0.1.0';
const USER_AGENT = `cf-insights/${VERSION}`;


/***/ })

};

//# sourceMappingURL=34.index.js.map