export const id = 767;
export const ids = [767];
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

/***/ 6670:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $: () => (/* binding */ redactor)
/* harmony export */ });
/** Secrets this short are only replaced whole; a prefix of at least this length counts as the secret. */
const MIN_PREFIX = 8;
function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
/**
 * A pattern for the secret or any prefix of it of MIN_PREFIX characters or more (text
 * cut in the middle of a secret still holds most of it): `abcdefgh(?:i(?:j…)?)?`.
 */
function prefixPattern(secret) {
    let tail = '';
    for (let i = secret.length - 1; i >= MIN_PREFIX; i--)
        tail = `(?:${escapeRegExp(secret[i])}${tail})?`;
    return `${escapeRegExp(secret.slice(0, MIN_PREFIX))}${tail}`;
}
/**
 * Replaces every occurrence of the secrets with `***`, and every prefix of 8 characters
 * or more of one (what is left of a secret where a text was cut); for anything printed
 * or passed on.
 */
function redactor(secrets) {
    // Shorter values would blank ordinary words; no real token is that short.
    const live = [...new Set(secrets.filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
    if (live.length === 0)
        return (text) => text;
    const whole = live.filter((s) => s.length < MIN_PREFIX);
    const pattern = new RegExp(live
        .filter((s) => s.length >= MIN_PREFIX)
        .map(prefixPattern)
        .join('|') || '(?!)', 'g');
    return (text) => whole.reduce((out, s) => out.split(s).join('***'), text.replace(pattern, '***'));
}


/***/ }),

/***/ 4767:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  githubTracker: () => (/* binding */ githubTracker),
  offlineTracker: () => (/* binding */ offlineTracker)
});

// EXTERNAL MODULE: ./node_modules/@octokit/rest/dist-src/index.js + 20 modules
var dist_src = __webpack_require__(2264);
// EXTERNAL MODULE: ./node_modules/@octokit/plugin-retry/dist-bundle/index.js
var dist_bundle = __webpack_require__(9735);
// EXTERNAL MODULE: ./node_modules/@octokit/plugin-throttling/dist-bundle/index.js
var plugin_throttling_dist_bundle = __webpack_require__(6856);
// EXTERNAL MODULE: ./src/config/settings.ts
var settings = __webpack_require__(4661);
// EXTERNAL MODULE: ./src/log.ts
var src_log = __webpack_require__(5625);
// EXTERNAL MODULE: ./src/redact.ts
var src_redact = __webpack_require__(6670);
// EXTERNAL MODULE: ./src/version.ts
var version = __webpack_require__(311);
;// CONCATENATED MODULE: ./src/github/client.ts
/**
 * The octokit client: @octokit/rest with the throttling plugin (one write at a time,
 * spaced out, and a bounded wait-and-retry on primary and secondary rate limits) and the
 * retry plugin (5xx and network errors). Every HTTP attempt is counted, retries and
 * pages included, because the sync reports the GitHub requests of each run.
 */







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
        // A write is never followed elsewhere: GitHub answers 301 for an issue transferred to
        // another repository, and following it would write there. The caller sees the 301.
        const response = await fetch(input, method === 'GET' || method === 'HEAD' ? init : { ...init, redirect: 'manual' });
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
        baseUrl: (options.baseUrl ?? settings/* DEFAULT_GITHUB_API_URL */.xw).replace(/\/+$/, ''),
        userAgent: options.userAgent ?? version/* USER_AGENT */._,
        log: octokitLog(log),
        throttle,
        retry: {
            retries: options.retries ?? 3,
            ...(tuning.retryAfterBaseValue !== undefined && { retryAfterBaseValue: tuning.retryAfterBaseValue }),
        },
        request: { fetch: countingFetch },
    });
    // GitHub's error text is cut for messages (errors.ts): the token goes before any cut.
    const redact = (0,src_redact/* redactor */.$)([options.token]);
    octokit.hook.error('request', (error) => {
        const e = error;
        if (typeof e.message === 'string')
            e.message = redact(e.message);
        const data = e.response?.data;
        if (typeof data === 'string')
            e.response.data = redact(data);
        else if (data && typeof data === 'object')
            e.response.data = JSON.parse(redact(JSON.stringify(data)));
        throw error;
    });
    return { octokit, stats };
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./src/github/errors.ts
var errors = __webpack_require__(3116);
// EXTERNAL MODULE: ./src/github/marker.ts
var github_marker = __webpack_require__(4329);
// EXTERNAL MODULE: ./src/github/labels.ts
var labels = __webpack_require__(7448);
;// CONCATENATED MODULE: ./src/github/issues.ts
/**
 * Thin I/O over octokit for the sync: list our issues, make sure labels exist, create,
 * edit, comment, close and reopen. Every failure becomes a GithubError (./errors.ts).
 *
 * Our issues are found by listing the repository's issues with our label, never through
 * the search API: its index lags behind issues created seconds ago.
 */





/** Shared by every issue with a v2 marker (never changed): one shape, no array each. */
const NO_KEYS = Object.freeze([]);
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
    const parsed = (0,github_marker/* parseMarker */.gY)(body);
    // Every issue of a scope names the same scope: one string for all of them.
    const marker = parsed?.scope === undefined ? parsed : { ...parsed, scope: once(parsed.scope) };
    return {
        number: raw.number,
        state: raw.state === 'closed' ? 'closed' : 'open',
        stateReason: STATE_REASONS.has(raw.state_reason ?? '') ? raw.state_reason : null,
        title: raw.title,
        labels,
        marker,
        scopeIds: (0,github_marker/* scopeIdsIn */.em)(body).map(once),
        // A v2 marker names the scope; only older bodies are searched for it.
        scopeKeys: marker?.scope === undefined ? (0,github_marker/* scopeKeysIn */.Ks)(body).map(once) : NO_KEYS,
        comments: typeof raw.comments === 'number' ? raw.comments : 0,
    };
}
/**
 * Writes are not redirected (client.ts): a 3xx reaches here as an answer, and becomes
 * the GithubError it is (an issue moved to another repository) instead of a success.
 */
function refuseRedirect(response) {
    if (response.status >= 300 && response.status < 400) {
        throw Object.assign(new Error('Moved Permanently'), { status: response.status, response: { data: response.data, headers: response.headers } });
    }
    return response;
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
        throw (0,errors/* toGithubError */.zi)(error, ctx(options, 'read', 'list issues'));
    }
    return { issues, requests };
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
        throw (0,errors/* toGithubError */.zi)(error, ctx(options, 'read', 'list labels'));
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
                color: (0,labels/* labelColor */.mU)(name),
                description: (0,labels/* labelDescription */.Vw)(name),
            });
            created.push(name);
        }
        catch (error) {
            if (!isAlreadyExists(error)) {
                throw (0,errors/* toGithubError */.zi)(error, ctx(options, 'write', `create label \`${name}\``, { label: name }));
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
    return writeAtMostOnce(attempts, ctx(options, 'write', 'create an issue'), async () => {
        const { data } = refuseRedirect(await octokit.rest.issues.create({
            owner: options.owner,
            repo: options.repo,
            title: options.title,
            body: options.body,
            labels: options.labels,
            ...(options.assignees && options.assignees.length > 0 && { assignees: options.assignees }),
            request: { retries: 0 },
        }));
        const issue = toTrackedIssue(data);
        warnIfLabelDropped(issue, options, log);
        return { issue, recovered: false };
    }, async (error, attempt) => {
        const { status, response } = error;
        log.warning(`GitHub answered ${response !== undefined && typeof status === 'number' ? `HTTP ${status}` : 'nothing'} to creating the issue for ${marker.id} in ${options.owner}/${options.repo} (attempt ${attempt} of ${attempts}); checking whether it was created anyway.`);
        if ((options.recoveryDelayMs ?? 2000) > 0)
            await sleep(options.recoveryDelayMs ?? 2000);
        const found = await findNewestByMarker(octokit, options, marker);
        if (!found)
            return null;
        log.info(`The issue for ${marker.id} had been created: #${found.number}; not creating another.`);
        return { issue: found, recovered: true };
    });
}
/**
 * Sends a write that must not happen twice (no retry of octokit's own): after an answer
 * that may hide a stored write (maybeCreated), `recover` looks for it before the next
 * attempt; any other failure is thrown at once.
 */
async function writeAtMostOnce(attempts, context, send, recover) {
    let lastError;
    for (let attempt = 1; attempt <= attempts; attempt++) {
        try {
            return await send();
        }
        catch (error) {
            if (!maybeCreated(error))
                throw (0,errors/* toGithubError */.zi)(error, context);
            lastError = error;
            const found = await recover(error, attempt);
            if (found !== null)
                return found;
        }
    }
    throw (0,errors/* toGithubError */.zi)(lastError, context);
}
function warnIfLabelDropped(issue, options, log) {
    const have = new Set(issue.labels.map((l) => l.toLowerCase()));
    const missing = options.label
        .split(',')
        .map((l) => l.trim())
        .filter((l) => l !== '' && !have.has(l.toLowerCase()));
    if (missing.length > 0) {
        log.warning(`GitHub created #${issue.number} in ${options.owner}/${options.repo} without the label \`${missing.join(', ')}\`: the token may not set labels there; cf-insights finds its issues by that label.`);
    }
}
/**
 * The newest issue with our label whose marker has the id and scope of `marker`, from one page of the 100
 * most recently created. No `since`: that would compare our clock with GitHub's, and
 * an issue we created a moment ago is always among our newest.
 */
async function findNewestByMarker(octokit, ref, marker) {
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
            // Another scope's issue for the same insight id is not ours.
            if (issue.marker?.id === marker.id && (marker.scope === undefined || (issue.marker.scope !== undefined && (0,github_marker/* sameScope */.xk)(issue.marker.scope, marker.scope))))
                return issue;
        }
    }
    catch (error) {
        throw (0,errors/* toGithubError */.zi)(error, ctx(ref, 'read', 'list issues'));
    }
    return null;
}
/** One issue as it is now: `GET /repos/{o}/{r}/issues/{n}`. */
async function getIssue(octokit, ref) {
    try {
        const { data } = await octokit.rest.issues.get({ owner: ref.owner, repo: ref.repo, issue_number: ref.number });
        return toTrackedIssue(data);
    }
    catch (error) {
        throw (0,errors/* toGithubError */.zi)(error, ctx(ref, 'read', `read issue #${ref.number}`, { issue: ref.number }));
    }
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
        const { data } = refuseRedirect(await octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
            owner: ref.owner,
            repo: ref.repo,
            issue_number: ref.number,
            ...fields,
        }));
        return toTrackedIssue(data);
    }
    catch (error) {
        throw (0,errors/* toGithubError */.zi)(error, ctx(ref, 'write', action, { issue: ref.number }));
    }
}
/** The hidden line ending each of our comments: the hash of its text, to know it again. */
function commentMarker(body) {
    return `<!-- cf-insights:comment h=${(0,external_node_crypto_.createHash)('sha256').update(body).digest('hex').slice(0, 12)} -->`;
}
const COMMENT_MARKER = /<!-- cf-insights:comment h=[0-9a-f]{12} -->\s*$/;
/** Is our latest comment on the issue this one (same marker)? One listing of its comments. */
async function latestOwnCommentIs(octokit, ref, marker) {
    try {
        const all = await octokit.paginate(octokit.rest.issues.listComments, { owner: ref.owner, repo: ref.repo, issue_number: ref.number, per_page: 100 });
        const ours = all.filter((c) => COMMENT_MARKER.test(c.body ?? ''));
        return ours.length > 0 && (ours[ours.length - 1].body ?? '').trimEnd().endsWith(marker);
    }
    catch (error) {
        throw (0,errors/* toGithubError */.zi)(error, ctx(ref, 'read', `list the comments of issue #${ref.number}`, { issue: ref.number }));
    }
}
/**
 * Comments on an issue, with a hidden marker. Never retried blindly: a 5xx may hide a
 * comment that was stored, so after one the issue's comments are listed and the comment
 * is posted again only when our latest one is not it. `existing`: it was there already.
 */
async function addComment(octokit, options) {
    const marker = commentMarker(options.body);
    const context = ctx(options, 'write', `comment on issue #${options.number}`, { issue: options.number });
    if (options.checkFirst && (await latestOwnCommentIs(octokit, options, marker)))
        return { id: null, existing: true };
    return writeAtMostOnce(Math.max(1, options.attempts ?? 3), context, async () => {
        const { data } = refuseRedirect(await octokit.rest.issues.createComment({
            owner: options.owner,
            repo: options.repo,
            issue_number: options.number,
            body: `${options.body}\n\n${marker}`,
            request: { retries: 0 },
        }));
        return { id: data.id, existing: false };
    }, async () => ((await latestOwnCommentIs(octokit, options, marker)) ? { id: null, existing: true } : null));
}

;// CONCATENATED MODULE: ./src/sync/github-tracker.ts



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
    /** Content whose labels were planned without reading the issue's: merged with its current labels (one read). */
    async function withLabelsOf(issue, content) {
        if (!content.mergeCurrentLabels)
            return content;
        const current = await getIssue(octokit, { ...ref, number: issue });
        return { ...content, labels: (0,labels/* mergeLabels */.Mr)(current.labels, content.labels) };
    }
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
            await updateIssue(octokit, { ...ref, number: issue, ...(await withLabelsOf(issue, content)) });
        },
        async comment(issue, body, options) {
            const posted = await addComment(octokit, { ...ref, number: issue, body, ...(options?.checkFirst ? { checkFirst: true } : {}) });
            if (posted.existing)
                log.info(`The comment on #${issue} had been posted already (an earlier attempt); not posting it again.`);
        },
        async close(issue, reason, content) {
            await (content ? withLabelsOf(issue, content) : Promise.resolve(undefined)).then((c) => closeIssue(octokit, { ...ref, number: issue, reason, ...(c ? { content: c } : {}) }));
        },
        async reopen(issue, content) {
            await reopenIssue(octokit, { ...ref, number: issue, content: await withLabelsOf(issue, content) });
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

//# sourceMappingURL=767.index.js.map