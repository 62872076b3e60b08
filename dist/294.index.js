export const id = 294;
export const ids = [294];
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

/***/ 2294:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  cloudflareSource: () => (/* binding */ cloudflareSource)
});

;// CONCATENATED MODULE: ./src/redact.ts
/** Replaces every occurrence of the secrets with `***`; for anything printed or passed on. */
function redactor(secrets) {
    // Shorter values would blank ordinary words; no real token is that short.
    const live = secrets.filter((s) => s.length >= 4);
    return (text) => live.reduce((out, s) => out.split(s).join('***'), text);
}

// EXTERNAL MODULE: ./node_modules/undici/index.js
var undici = __webpack_require__(6752);
// EXTERNAL MODULE: ./src/insights/filter.ts
var filter = __webpack_require__(6123);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/log.ts
var src_log = __webpack_require__(5625);
// EXTERNAL MODULE: ./src/version.ts
var version = __webpack_require__(311);
// EXTERNAL MODULE: ./src/cloudflare/errors.ts
var cloudflare_errors = __webpack_require__(7640);
;// CONCATENATED MODULE: ./src/cloudflare/pages.ts
/** Pages to fetch for `count` items at the echoed `perPage`; at least one (the first tells the count). */
function pageCount(count, perPage) {
    return Math.max(1, Math.ceil(count / perPage));
}
class PageCollector {
    count;
    byId = new Map();
    problems = [];
    duplicates = 0;
    constructor(count) {
        this.count = count;
    }
    add(pageNo, page) {
        if (page.count !== this.count) {
            this.problems.push(`the count changed from ${this.count} to ${page.count} on page ${pageNo}`);
        }
        for (const insight of page.issues) {
            if (this.byId.has(insight.id))
                this.duplicates += 1;
            // Later pages are newer: keep the last copy seen.
            this.byId.set(insight.id, insight);
        }
    }
    finish() {
        const insights = [...this.byId.values()];
        const problems = [...this.problems];
        if (insights.length !== this.count) {
            const dup = this.duplicates > 0 ? ` (${this.duplicates} repeated across pages)` : '';
            problems.push(`fetched ${insights.length} distinct insights${dup} but Cloudflare announced ${this.count}`);
        }
        if (problems.length === 0)
            return { insights, complete: true };
        return {
            insights,
            complete: false,
            // A phrase: the engine, the summary and the CLI each say it in their own sentence.
            incompleteReason: `the inventory changed while it was being fetched: ${problems.join('; ')}`,
        };
    }
}

;// CONCATENATED MODULE: ./src/cloudflare/query.ts
function insightsPath(basePath, scope) {
    const prefix = basePath.replace(/\/+$/, '');
    return `${prefix}/${scope.kind}/${encodeURIComponent(scope.id)}/security-center/insights`;
}
/**
 * Query parameters, repeated per value as the API expects. Built by hand rather than
 * with URLSearchParams so that `~` in `severity~neq` stays literal.
 */
function insightsQuery(filters, page, perPage) {
    const params = [];
    for (const s of filters.severity)
        params.push(['severity', s.toLowerCase()]);
    for (const s of filters.excludeSeverity)
        params.push(['severity~neq', s.toLowerCase()]);
    for (const t of filters.issueType)
        params.push(['issue_type', t]);
    for (const t of filters.excludeIssueType)
        params.push(['issue_type~neq', t]);
    if (!filters.includeDismissed)
        params.push(['dismissed', 'false']);
    params.push(['page', String(page)], ['per_page', String(perPage)]);
    return params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
}

// EXTERNAL MODULE: ./src/cloudflare/quota.ts
var quota = __webpack_require__(5999);
;// CONCATENATED MODULE: ./src/cloudflare/retry.ts
/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
function parseRetryAfter(value, nowMs) {
    if (value === undefined)
        return undefined;
    const trimmed = value.trim();
    if (/^\d+$/.test(trimmed))
        return Number(trimmed) * 1000;
    if (!/[a-z]/i.test(trimmed))
        return undefined;
    const at = Date.parse(trimmed);
    if (Number.isNaN(at))
        return undefined;
    return Math.max(0, at - nowMs);
}
/** Exponential backoff with "equal jitter": half fixed, half random, capped. */
function backoffDelay(attempt, policy, random) {
    const exp = Math.min(policy.maxRetryDelayMs, policy.retryBaseMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(exp / 2 + random() * (exp / 2));
}
/**
 * After `attempt` attempts (1-based) failed with `error`: retry, and after how long?
 * A Retry-After longer than we are willing to wait ends the run at once, rather than
 * spending requests that would be refused.
 */
function decideRetry(error, attempt, policy, random) {
    if (!error.retryable)
        return { retry: false, why: 'not retryable' };
    if (attempt > policy.maxRetries)
        return { retry: false, why: `retries exhausted (${policy.maxRetries})` };
    if (error.retryAfterMs !== undefined) {
        if (error.retryAfterMs > policy.maxRetryDelayMs) {
            return { retry: false, why: `Retry-After ${error.retryAfterMs} ms exceeds the ${policy.maxRetryDelayMs} ms cap` };
        }
        return { retry: true, delayMs: error.retryAfterMs };
    }
    return { retry: true, delayMs: backoffDelay(attempt, policy, random) };
}

// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 11 modules
var classic_schemas = __webpack_require__(2857);
// EXTERNAL MODULE: ./node_modules/zod/v4/core/api.js
var api = __webpack_require__(3759);
;// CONCATENATED MODULE: ./node_modules/zod/v4/classic/coerce.js


function string(params) {
    return api/* _coercedString */.K_(classic_schemas/* ZodString */.NDH, params);
}
function number(params) {
    return api/* _coercedNumber */.qG(classic_schemas/* ZodNumber */.rSt, params);
}
function coerce_boolean(params) {
    return core._coercedBoolean(schemas.ZodBoolean, params);
}
function bigint(params) {
    return core._coercedBigint(schemas.ZodBigInt, params);
}
function date(params) {
    return core._coercedDate(schemas.ZodDate, params);
}

// EXTERNAL MODULE: ./src/insights/types.ts
var types = __webpack_require__(1800);
;// CONCATENATED MODULE: ./src/cloudflare/schemas.ts
/**
 * zod schemas of what the insights endpoint returns. Loose on purpose: unknown fields
 * are kept, severities and types are plain strings (a new one is reported, not
 * rejected); strict where a wrong shape would make the inventory wrong (ids, counts).
 */



/** Longest insight id accepted (Cloudflare's are 36-character uuids). */
const ID_MAX = 256;
/** Longest issue class kept (Cloudflare's are short snake_case names); longer ones are cut. */
const CLASS_MAX = 256;
/** At most `max` UTF-16 units, never splitting a surrogate pair. */
function cutText(text, max) {
    if (text.length <= max)
        return text;
    const code = text.charCodeAt(max - 1);
    return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');
/**
 * Text with lone surrogates (a JSON escape like `\ud800` can carry one; UTF-8 cannot)
 * replaced by U+FFFD. An id must survive the round trip through an issue's marker, and
 * every renderer may then assume well-formed text.
 */
function wellFormed(text) {
    return LONE_SURROGATE.test(text) ? text.replace(LONE_SURROGATES, '\ufffd') : text;
}
/** Whether a JSON value holds a lone surrogate in any string or key. */
function hasLoneSurrogate(value) {
    if (typeof value === 'string')
        return LONE_SURROGATE.test(value);
    if (value === null || typeof value !== 'object')
        return false;
    if (Array.isArray(value))
        return value.some(hasLoneSurrogate);
    for (const key in value) {
        if (LONE_SURROGATE.test(key) || hasLoneSurrogate(value[key]))
            return true;
    }
    return false;
}
/** wellFormed() over every string and key of a JSON value; the value itself when nothing changes. */
function wellFormedDeep(value) {
    if (!hasLoneSurrogate(value))
        return value;
    if (typeof value === 'string')
        return wellFormed(value);
    if (Array.isArray(value))
        return value.map(wellFormedDeep);
    const copy = {};
    for (const [k, v] of Object.entries(value)) {
        // defineProperty: a `__proto__` member stays a member.
        Object.defineProperty(copy, wellFormed(k), { value: wellFormedDeep(v), enumerable: true, writable: true, configurable: true });
    }
    return copy;
}
const TEXT_FIELDS = ['id', 'issue_class', 'issue_type', 'severity', 'subject', 'resolve_link', 'resolve_text', 'since', 'timestamp', 'status', 'user_classification'];
/**
 * An insight as the rest of cf-insights may assume it: every text well-formed (see
 * wellFormed) and the class within CLASS_MAX. The insight itself when nothing changes.
 */
function normalizeInsight(insight) {
    let out = insight;
    const set = (key, value) => {
        if (out === insight)
            out = { ...insight };
        // defineProperty: an unknown field named `__proto__` stays a field.
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    };
    for (const key of TEXT_FIELDS) {
        const value = insight[key];
        if (typeof value === 'string' && LONE_SURROGATE.test(value))
            set(key, wellFormed(value));
    }
    if (insight.payload !== undefined) {
        const payload = wellFormedDeep(insight.payload);
        if (payload !== insight.payload)
            set('payload', payload);
    }
    // The class names a group issue (its marker id with group-by class): a bound keeps it within GitHub's limits.
    if (out.issue_class.length > CLASS_MAX)
        set('issue_class', cutText(out.issue_class, CLASS_MAX));
    return out;
}
/** Whether JSON text may decode to a lone surrogate: only a `\\uD800`-`\\uDFFF` escape can make one. */
function mayHoldLoneSurrogates(jsonText) {
    return /\\u[dD][89a-fA-F]/.test(jsonText);
}
const optionalText = classic_schemas/* string */.YjP().nullish();
/** Absent or null reads as empty text: the spec marks every field optional. */
const schemas_text = classic_schemas/* string */.YjP()
    .nullish()
    .transform((v) => v ?? '');
const insightSchema = classic_schemas/* looseObject */._H3({
    id: classic_schemas/* string */.YjP().min(1, 'must be a non-empty string'),
    dismissed: classic_schemas/* boolean */.zMY()
        .nullish()
        .transform((v) => v ?? false),
    issue_class: schemas_text,
    issue_type: schemas_text,
    severity: schemas_text,
    subject: schemas_text,
    payload: classic_schemas/* unknown */.L5J().optional(),
    resolve_link: optionalText,
    resolve_text: optionalText,
    since: optionalText,
    timestamp: optionalText,
    status: optionalText,
    user_classification: optionalText,
});
const errorEntrySchema = classic_schemas/* looseObject */._H3({
    code: number(),
    message: string(),
});
const envelopeSchema = classic_schemas/* looseObject */._H3({
    success: classic_schemas/* boolean */.zMY(),
    errors: classic_schemas/* array */.YOg(errorEntrySchema)
        .nullish()
        .transform((v) => v ?? []),
    messages: classic_schemas/* array */.YOg(classic_schemas/* unknown */.L5J()).nullish(),
    result: classic_schemas/* unknown */.L5J().optional(),
});
const pageResultSchema = classic_schemas/* looseObject */._H3({
    count: classic_schemas/* number */.aig().int().nonnegative(),
    page: classic_schemas/* number */.aig().int().positive(),
    per_page: classic_schemas/* number */.aig().int().positive(),
    issues: classic_schemas/* array */.YOg(insightSchema)
        .nullish()
        .transform((v) => v ?? []),
});
/** `result.issues[3].id` from a zod path. */
function formatPath(prefix, path) {
    let out = prefix;
    for (const key of path) {
        if (typeof key === 'number')
            out += `[${key}]`;
        else
            out += out ? `.${String(key)}` : String(key);
    }
    return out || '(body)';
}
function malformed(page, error, prefix) {
    const issues = error.issues;
    const first = issues[0];
    const where = formatPath(prefix, first.path);
    return new cloudflare_errors/* CloudflareResponseError */.Vi(`The Cloudflare API returned an unexpected body on page ${page}: field ${where}: ${first.message}. This tool may need an update; please report it.`, {
        page,
        details: issues.slice(0, 10).map((i) => `${formatPath(prefix, i.path)}: ${i.message}`),
    });
}
/** The envelope of any answer; `result` is checked separately. */
function parseEnvelope(body, page) {
    const parsed = envelopeSchema.safeParse(body);
    if (!parsed.success)
        throw malformed(page, parsed.error, '');
    return parsed.data;
}
/**
 * The `result` of a successful page, every insight normalized (normalizeInsight). Ids
 * are uuids; one longer than ID_MAX would not fit an issue marker, so the page is refused.
 */
function parsePageResult(result, page, options = {}) {
    const parsed = pageResultSchema.safeParse(result);
    if (!parsed.success)
        throw malformed(page, parsed.error, 'result');
    const data = parsed.data;
    const issues = data.issues;
    for (let n = 0; n < issues.length; n++) {
        const insight = issues[n];
        if (insight.id.length > ID_MAX) {
            throw new cloudflare_errors/* CloudflareResponseError */.Vi(`The Cloudflare API returned an unexpected body on page ${page}: field result.issues[${n}].id: longer than ${ID_MAX} characters. This tool may need an update; please report it.`, { page, details: [`result.issues[${n}].id: ${insight.id.length} characters`] });
        }
        if (options.surrogates !== false || insight.issue_class.length > CLASS_MAX)
            issues[n] = normalizeInsight(insight);
    }
    return data;
}
/**
 * Reports, once per value, severities and issue types this version does not know.
 * The records are kept as they are; the report helps notice an API change.
 */
function vocabularyWatcher(log) {
    const known = new Set([...types/* SEVERITIES */.oC, ...types/* ISSUE_TYPES */.co].map((v) => v.toLowerCase()));
    const reported = new Set();
    const check = (kind, value) => {
        const key = `${kind}:${value}`;
        if (known.has(value.toLowerCase()) || reported.has(key))
            return;
        reported.add(key);
        log.debug(`Cloudflare returned a ${kind} this version does not know: ${JSON.stringify(value)}; the insight is kept as is.`);
    };
    return (insights) => {
        for (const i of insights) {
            check('severity', i.severity);
            check('issue type', i.issue_type);
        }
    };
}

;// CONCATENATED MODULE: ./src/cloudflare/client.ts
/**
 * The Security Center client: fetches the complete, filtered inventory of one account
 * or zone. One keep-alive undici Pool per client; every attempt is paid for from the
 * request budget first; pages are fetched one after the other (the first page tells
 * the count and the echoed page size, hence how many more are needed).
 */












const defaultSleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
function header(value) {
    return Array.isArray(value) ? value[0] : value;
}
function authHeaders(auth) {
    return auth.kind === 'token' ? { authorization: `Bearer ${auth.token}` } : { 'x-auth-email': auth.email, 'x-auth-key': auth.key };
}
function createCloudflareClient(opts) {
    const base = new URL(opts.baseUrl);
    const log = opts.log ?? src_log/* silentLogger */.q;
    const timeoutMs = opts.timeoutMs ?? 30_000;
    const policy = {
        maxRetries: opts.maxRetries ?? 3,
        retryBaseMs: opts.retryBaseMs ?? 500,
        maxRetryDelayMs: opts.maxRetryDelayMs ?? 60_000,
    };
    const sleep = opts.sleep ?? defaultSleep;
    const random = opts.random ?? Math.random;
    const now = opts.now ?? (() => new Date());
    const budget = opts.budget;
    const redact = redactor(opts.auth.kind === 'token' ? [opts.auth.token] : [opts.auth.key]);
    const headers = {
        accept: 'application/json',
        'user-agent': opts.userAgent ?? version/* USER_AGENT */._,
        ...authHeaders(opts.auth),
    };
    const pool = new undici/* Pool */.bC(base.origin, {
        connections: 1,
        pipelining: 1,
        keepAliveTimeout: 30_000,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        connect: { timeout: timeoutMs },
    });
    const watchVocabulary = vocabularyWatcher(log);
    /** One HTTP exchange; any failure comes out as a CloudflareError. */
    async function attempt(path, scope, page) {
        const signal = AbortSignal.timeout(timeoutMs);
        let status;
        let resHeaders;
        let text;
        try {
            const res = await pool.request({ path, method: 'GET', headers, signal });
            status = res.statusCode;
            resHeaders = res.headers;
            text = await res.body.text();
        }
        catch (error) {
            throw (0,cloudflare_errors/* classifyTransport */.i6)({ error, timedOut: signal.aborted, timeoutMs, host: base.host, page, redact });
        }
        const contentType = header(resHeaders['content-type']);
        const html = (0,cloudflare_errors/* isHtml */._6)(contentType, text);
        let body;
        let json = false;
        if (!html) {
            try {
                body = JSON.parse(text);
                json = true;
            }
            catch {
                // handled below
            }
        }
        const facts = {
            status,
            contentType,
            bodyText: text,
            retryAfterMs: parseRetryAfter(header(resHeaders['retry-after']), now().getTime()),
            ray: header(resHeaders['cf-ray']),
            scope,
            page,
            authKind: opts.auth.kind,
            redact,
        };
        if (status < 200 || status >= 300 || html) {
            let errors;
            if (json) {
                const env = envelopeSchema.safeParse(body);
                if (env.success)
                    errors = env.data.errors;
            }
            throw (0,cloudflare_errors/* classifyResponse */.IJ)({ ...facts, errors });
        }
        if (!json) {
            throw new cloudflare_errors/* CloudflareResponseError */.Vi(`The Cloudflare API returned a body that is not valid JSON on page ${page} (HTTP ${status}, ${text.length} bytes, probably cut short); try again later.`, { status, page, retryable: true, details: [`content-type: ${contentType ?? '(none)'}`, ...(facts.ray ? [`cf-ray: ${facts.ray}`] : [])] });
        }
        const envelope = parseEnvelope(body, page);
        if (!envelope.success)
            throw (0,cloudflare_errors/* classifyResponse */.IJ)({ ...facts, errors: envelope.errors });
        return parsePageResult(envelope.result, page, { surrogates: mayHoldLoneSurrogates(text) });
    }
    async function fetchInventory(scope, filters, fetchOpts = {}) {
        const path = insightsPath(base.pathname, scope);
        let requests = 0;
        const getPage = async (page) => {
            const url = `${path}?${insightsQuery(filters, page, quota/* PAGE_SIZE */.md)}`;
            let last;
            for (let n = 1;; n++) {
                try {
                    budget.spend();
                }
                catch (error) {
                    if (error instanceof cloudflare_errors/* RequestBudgetError */.tD && last)
                        error.details.push(`last failure on page ${page}: ${(0,errors/* oneLine */.TN)(last)}`);
                    throw error;
                }
                requests += 1;
                try {
                    const result = await attempt(url, scope, page);
                    log.debug(`Cloudflare page ${page}: ${result.issues.length} insights (count ${result.count}, per_page ${result.per_page}).`);
                    return result;
                }
                catch (error) {
                    if (!(error instanceof cloudflare_errors/* CloudflareError */.Oi))
                        throw error;
                    last = error;
                    const decision = decideRetry(error, n, policy, random);
                    if (!decision.retry) {
                        log.debug(`Cloudflare page ${page}: giving up after attempt ${n}: ${decision.why}.`);
                        throw error.finalize(n);
                    }
                    log.info(`Cloudflare page ${page}, attempt ${n} failed: ${(0,errors/* oneLine */.TN)(error)} Retrying in ${Math.ceil(decision.delayMs / 100) / 10} s.`);
                    await sleep(decision.delayMs);
                }
            }
        };
        const first = await getPage(1);
        watchVocabulary(first.issues);
        const totalPages = pageCount(first.count, first.per_page);
        if (first.per_page < quota/* PAGE_SIZE */.md && totalPages > 1) {
            log.debug(`Cloudflare serves ${first.per_page} insights per page (asked for ${quota/* PAGE_SIZE */.md}): ${totalPages} pages.`);
        }
        fetchOpts.onPage?.(1, totalPages);
        budget.assertCanContinue(totalPages - 1);
        const collector = new PageCollector(first.count);
        collector.add(1, first);
        for (let page = 2; page <= totalPages; page++) {
            const result = await getPage(page);
            watchVocabulary(result.issues);
            collector.add(page, result);
            fetchOpts.onPage?.(page, totalPages);
        }
        const collected = collector.finish();
        if (!collected.complete) {
            const reason = collected.incompleteReason;
            log.warning(`${reason.charAt(0).toUpperCase()}${reason.slice(1)}. Nothing is closed on an incomplete inventory; the next run will retry.`);
        }
        const insights = (0,filter/* applyFilters */.W5)(collected.insights, filters);
        log.debug(`Cloudflare inventory: ${collected.insights.length} fetched, ${insights.length} after filters, ${requests} requests.`);
        return {
            scope,
            insights,
            complete: collected.complete,
            ...(collected.complete ? {} : { incompleteReason: collected.incompleteReason }),
            count: first.count,
            requests,
            fetchedAt: now().toISOString(),
        };
    }
    return {
        fetchInventory,
        close: () => pool.close(),
    };
}

;// CONCATENATED MODULE: ./src/sync/sources.ts

/**
 * The inventory from Cloudflare: one client per run (one keep-alive pool), closed
 * when the fetch ends. `overrides` lets tests shorten retries and timeouts.
 */
function cloudflareSource(settings, log, overrides = {}) {
    const cf = settings.cloudflare;
    return {
        kind: 'cloudflare',
        async fetch(budget, onPage) {
            const client = createCloudflareClient({ baseUrl: cf.apiBaseUrl, auth: cf.auth, budget, log, ...overrides });
            try {
                return await client.fetchInventory(cf.scope, settings.filters, onPage ? { onPage } : {});
            }
            finally {
                await client.close();
            }
        },
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

//# sourceMappingURL=294.index.js.map