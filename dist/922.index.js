export const id = 922;
export const ids = [922];
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

/***/ 9922:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  cloudflareSource: () => (/* binding */ cloudflareSource)
});

// EXTERNAL MODULE: ./src/redact.ts
var src_redact = __webpack_require__(6670);
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
// EXTERNAL MODULE: ./src/budget/ledger.ts
var ledger = __webpack_require__(3428);
// EXTERNAL MODULE: ./src/budget/plans.ts
var plans = __webpack_require__(381);
;// CONCATENATED MODULE: ./src/cloudflare/errors.ts
/**
 * The ways a Cloudflare request can fail, each mapped to one line of troubleshooting
 * (what failed, why, what to do) plus debug details. Remote failures exit 3, an
 * exhausted request budget exits 4 (src/errors.ts).
 *
 * `classifyResponse` is pure: it turns a non-successful HTTP exchange into one of
 * these errors. Nothing here ever sees the credentials; Cloudflare's own messages are
 * passed through the caller's `redact` anyway, in case a proxy echoes a header.
 */

class CloudflareError extends errors/* RemoteError */.Hi {
    status;
    codes;
    page;
    retryable;
    retryAfterMs;
    neverSent;
    /** Attempts made for the request that failed; set when the client gives up. */
    attempts = 1;
    constructor(message, init = {}) {
        super(message, init.details ?? [], { cause: init.cause });
        this.status = init.status;
        this.codes = init.codes ?? [];
        this.page = init.page;
        this.retryable = init.retryable ?? false;
        this.retryAfterMs = init.retryAfterMs;
        this.neverSent = init.neverSent ?? false;
    }
    /** Records how many attempts were spent; the one line says so when it was more than one. */
    finalize(attempts) {
        this.attempts = attempts;
        this.details.push(`attempts: ${attempts}`);
        if (attempts > 1)
            this.message = `${this.message.replace(/\.$/, '')} (gave up after ${attempts} attempts).`;
        return this;
    }
}
/** Codes 10000/9109/6003 or HTTP 401: the token or key is wrong, expired or under-privileged. */
class CloudflareAuthError extends CloudflareError {
}
/** Code 7003: the account or zone id cannot be routed. */
class CloudflareScopeError extends CloudflareError {
}
/** Any other 403: the endpoint is not available to these credentials or this plan. */
class CloudflareAccessError extends CloudflareError {
}
/** HTTP 429: monthly quota or request rate. */
class CloudflareRateLimitError extends CloudflareError {
}
/** HTTP 5xx, or an HTML page where JSON was expected. */
class CloudflareServerError extends CloudflareError {
}
/** DNS, connection refused or reset, TLS. */
class CloudflareNetworkError extends CloudflareError {
}
/** No answer within the request timeout. */
class CloudflareTimeoutError extends CloudflareError {
}
/** A body that is not the documented shape, `success:false` on a 200, or another 4xx. */
class CloudflareResponseError extends CloudflareError {
}
const AUTH_CODES = [10000, 9109, 6003, 6103, 6111];
const UNROUTABLE_CODE = 7003;
function isHtml(contentType, bodyText) {
    if (contentType && /text\/html/i.test(contentType))
        return true;
    return !!bodyText && /^\s*(<!doctype html|<html)/i.test(bodyText);
}
/** Cloudflare's message cut to one short line, secrets removed. */
function shortText(text, redact, max = 200) {
    const one = redact(text).replace(/\s+/g, ' ').trim();
    return one.length > max ? `${one.slice(0, max - 3)}...` : one;
}
function formatEntries(errors, redact) {
    return errors.map((e) => `${e.code}: ${shortText(String(e.message), redact)}`).join('; ');
}
function scopeSetting(scope) {
    return scope.kind === 'accounts' ? 'account-id' : 'zone-id';
}
function scopeNoun(scope) {
    return `${scope.kind === 'accounts' ? 'account' : 'zone'} ${scope.id}`;
}
/**
 * The typed error for an HTTP answer that is not a usable page: a non-2xx status, or
 * a 2xx whose envelope says `success:false`.
 */
function classifyResponse(f) {
    const errors = f.errors ?? [];
    const codes = errors.map((e) => e.code);
    const html = isHtml(f.contentType, f.bodyText);
    const theirs = errors.length > 0 ? formatEntries(errors, f.redact) : '';
    const details = [
        `HTTP ${f.status}`,
        `page: ${f.page}`,
        ...(codes.length ? [`codes: ${codes.join(', ')}`] : []),
        ...(f.ray ? [`cf-ray: ${f.ray}`] : []),
        ...(f.contentType ? [`content-type: ${f.contentType}`] : []),
        ...(theirs ? [`cloudflare: ${theirs}`] : []),
        ...(f.bodyText && !html && !theirs ? [`body: ${shortText(f.bodyText, f.redact)}`] : []),
    ];
    const base = { status: f.status, codes, page: f.page, details, retryAfterMs: f.retryAfterMs };
    const httpAndCodes = `HTTP ${f.status}${codes.length ? `, code ${codes.join(', ')}` : ''}`;
    if (f.status === 401 || codes.some((c) => AUTH_CODES.includes(c))) {
        const what = f.authKind === 'token'
            ? 'the API token is invalid, expired, or lacks Account:Read / Security Center:Read permissions'
            : 'the API key or email is invalid, or the user lacks access to Security Center';
        const fix = f.authKind === 'token'
            ? 'create a token with Account:Read and Security Center:Read and set api-token (CLOUDFLARE_API_TOKEN)'
            : 'check api-email and api-key (CLOUDFLARE_EMAIL, CLOUDFLARE_API_KEY), or use an API token instead';
        return new CloudflareAuthError(`Cloudflare rejected the credentials: ${what} (${httpAndCodes}); ${fix}.`, base);
    }
    if (codes.includes(UNROUTABLE_CODE)) {
        return new CloudflareScopeError(`Cloudflare cannot route ${scopeNoun(f.scope)} (code 7003): the id is wrong or not visible to these credentials; check ${scopeSetting(f.scope)}.`, base);
    }
    if (f.status === 429) {
        const wait = f.retryAfterMs !== undefined ? `, retry after ${Math.ceil(f.retryAfterMs / 1000)} s` : '';
        return new CloudflareRateLimitError(`Cloudflare rate limit reached (HTTP 429${wait}): the Security Center endpoint allows 100 requests a month on Free, Pro and Business plans and 2,500 on Enterprise; lower the schedule (cron) or narrow the filters.`, { ...base, retryable: true });
    }
    if (f.status === 403) {
        return new CloudflareAccessError(`Security Center insights are not available for ${scopeNoun(f.scope)} with these credentials or this plan (Cloudflare: ${theirs || `HTTP ${f.status}`}).`, base);
    }
    if (f.status >= 500 || html) {
        const what = html ? `returned an HTML page (HTTP ${f.status})` : `failed (HTTP ${f.status}${theirs ? `: ${theirs}` : ''})`;
        return new CloudflareServerError(`The Cloudflare API ${what} on page ${f.page}; Cloudflare or a proxy in between is failing, try again later.`, {
            ...base,
            // An HTML page on a 2xx is not a transient server state; do not burn the budget on it.
            retryable: f.status >= 500,
        });
    }
    const what = f.status >= 200 && f.status < 300 ? `reported a failure (success:false, HTTP ${f.status})` : `rejected the request (HTTP ${f.status})`;
    return new CloudflareResponseError(`The Cloudflare API ${what} on page ${f.page}${theirs ? `: ${theirs}` : ''}.`, base);
}
const NETWORK_WORDS = {
    ECONNRESET: 'the connection was reset',
    ECONNREFUSED: 'the connection was refused',
    ENOTFOUND: 'the host name does not resolve',
    EAI_AGAIN: 'the host name could not be resolved (DNS)',
    ETIMEDOUT: 'the connection timed out',
    EPIPE: 'the connection was closed',
    UND_ERR_SOCKET: 'the connection was closed before the answer was complete',
    UND_ERR_CLOSED: 'the connection was closed',
};
/** Host name resolution failed: a configuration or network problem, not a transient one. */
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);
/**
 * Failures that happen while connecting, before undici writes the request: nothing
 * reached Cloudflare. A TLS failure can only happen in the handshake, i.e. before the
 * request is written (undici never writes on an unverified connection).
 */
const NEVER_SENT_CODES = new Set([...DNS_CODES, 'ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH']);
function isTlsHandshakeFailure(code) {
    return (code.startsWith('ERR_TLS_') ||
        code.startsWith('ERR_SSL_') ||
        /^(UNABLE_TO_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH|ERR_CERT_)/.test(code));
}
function errorCode(error) {
    let e = error;
    for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
        const code = e.code;
        if (typeof code === 'string' && code !== 'UND_ERR_ABORTED' && code !== 'ABORT_ERR')
            return code;
        e = e.cause;
    }
    return undefined;
}
/** The typed error for a request that got no (complete) HTTP answer. */
function classifyTransport(f) {
    const code = errorCode(f.error);
    const raw = f.error instanceof Error ? f.error.message : String(f.error);
    const details = [`page: ${f.page}`, `error: ${shortText(raw, f.redact)}`, ...(code ? [`code: ${code}`] : [])];
    const timedOut = f.timedOut || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
    if (timedOut) {
        return new CloudflareTimeoutError(`The Cloudflare API at ${f.host} did not answer page ${f.page} within ${Math.round(f.timeoutMs / 100) / 10} s; try again later or check the network and proxy.`, { page: f.page, retryable: true, details, cause: f.error });
    }
    const neverSent = !!code && (NEVER_SENT_CODES.has(code) || isTlsHandshakeFailure(code));
    if (code && DNS_CODES.has(code)) {
        return new CloudflareNetworkError(`Could not reach the Cloudflare API at ${f.host} (page ${f.page}): ${NETWORK_WORDS[code] ?? 'the host name does not resolve'}. This is a configuration or network problem (check api-base-url, DNS and the network or proxy), so it is not retried; no request was charged.`, { page: f.page, retryable: false, neverSent, details, cause: f.error });
    }
    const why = (code && NETWORK_WORDS[code]) ?? (code ? `network error ${code}` : 'network error');
    return new CloudflareNetworkError(`Could not reach the Cloudflare API at ${f.host} (page ${f.page}): ${why}; check the network, proxy and api-base-url.`, {
        page: f.page,
        retryable: true,
        neverSent,
        details,
        cause: f.error,
    });
}

;// CONCATENATED MODULE: ./src/cloudflare/pages.ts
/** Pages to fetch for `count` items at the echoed `perPage`; at least one (the first tells the count). */
function pageCount(count, perPage) {
    return Math.max(1, Math.ceil(count / perPage));
}
/**
 * Whether another page may follow `page` when the API gave no count: a full page
 * (as many records as the echoed, or else the requested, page size) may be followed
 * by more; a short one is the last.
 */
function mayHaveMore(page, requestedPerPage) {
    return page.received > 0 && page.received >= (page.per_page ?? requestedPerPage);
}
class PageCollector {
    count;
    byId = new Map();
    problems = [];
    duplicates = 0;
    skipped = 0;
    constructor(count) {
        this.count = count;
    }
    /** Adds a page; returns how many ids it brought that were not seen before. */
    add(pageNo, page) {
        if (this.count !== undefined && page.count !== undefined && page.count !== this.count) {
            this.problems.push(`the count changed from ${this.count} to ${page.count} on page ${pageNo}`);
        }
        this.skipped += page.skipped;
        let fresh = 0;
        for (const insight of page.issues) {
            if (this.byId.has(insight.id))
                this.duplicates += 1;
            else
                fresh += 1;
            // Later pages are newer: keep the last copy seen.
            this.byId.set(insight.id, insight);
        }
        return fresh;
    }
    /** Records a reason the result cannot be trusted to be complete. */
    problem(text) {
        this.problems.push(text);
    }
    finish() {
        const insights = [...this.byId.values()];
        const problems = [...this.problems];
        const dup = this.duplicates > 0 ? ` (${this.duplicates} repeated across pages)` : '';
        if (this.count !== undefined && insights.length + this.skipped !== this.count) {
            const skipped = this.skipped > 0 ? ` and ${this.skipped} without an id` : '';
            problems.push(`fetched ${insights.length} distinct insights${skipped}${dup} but Cloudflare announced ${this.count}`);
        }
        else if (this.count === undefined && this.duplicates > 0) {
            problems.push(`${this.duplicates} insights repeated across pages and Cloudflare gave no count to check against`);
        }
        if (problems.length === 0)
            return { insights, complete: true, skipped: this.skipped };
        return {
            insights,
            complete: false,
            // A phrase: the engine, the summary and the CLI each say it in their own sentence.
            incompleteReason: `the inventory changed while it was being fetched: ${problems.join('; ')}`,
            skipped: this.skipped,
        };
    }
}

;// CONCATENATED MODULE: ./src/cloudflare/query.ts
/**
 * The severities the published API can filter on (its query enum is `low | moderate |
 * critical`: cloudflare-typescript, intel/attack-surface-report/issues.ts,
 * SeverityQueryParam). `High` has no query value: it is filtered on the client only.
 */
const API_SEVERITY = { Low: 'low', Moderate: 'moderate', Critical: 'critical' };
/**
 * The severity parameters to send. An include list is sent only when the API can
 * express every value of it (an include list without `high` would drop the High
 * insights); an exclude list sends the values it can express. The client filters
 * again either way (applyFilters).
 */
function severityParams(filters) {
    const include = filters.severity.map((s) => API_SEVERITY[s]);
    return {
        include: include.every((v) => v !== undefined) ? include : [],
        exclude: filters.excludeSeverity.flatMap((s) => API_SEVERITY[s] ?? []),
    };
}
function insightsPath(basePath, scope) {
    const prefix = basePath.replace(/\/+$/, '');
    return `${prefix}/${scope.kind}/${encodeURIComponent(scope.id)}/security-center/insights`;
}
/** The severity settings sent as no parameter at all, so applied only after the fetch. */
function clientOnlySeverities(filters) {
    const sent = severityParams(filters);
    const include = sent.include.length === 0 ? filters.severity : [];
    const exclude = filters.excludeSeverity.filter((s) => API_SEVERITY[s] === undefined);
    return [...new Set([...include, ...exclude])];
}
/**
 * Query parameters, repeated per value as the API expects. Built by hand rather than
 * with URLSearchParams so that `~` in `severity~neq` stays literal.
 */
function insightsQuery(filters, page, perPage) {
    const params = [];
    const severity = severityParams(filters);
    for (const s of severity.include)
        params.push(['severity', s]);
    for (const s of severity.exclude)
        params.push(['severity~neq', s]);
    for (const t of filters.issueType)
        params.push(['issue_type', t]);
    for (const t of filters.excludeIssueType)
        params.push(['issue_type~neq', t]);
    if (!filters.includeDismissed)
        params.push(['dismissed', 'false']);
    params.push(['page', String(page)], ['per_page', String(perPage)]);
    return params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
}

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

// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 9 modules
var classic_schemas = __webpack_require__(7597);
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

// EXTERNAL MODULE: ./node_modules/zod/v4/classic/errors.js
var classic_errors = __webpack_require__(961);
// EXTERNAL MODULE: ./src/insights/severity.ts
var insights_severity = __webpack_require__(590);
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
const TEXT_FIELDS = [
    'id',
    'issue_class',
    'issue_type',
    'severity',
    'subject',
    'resolve_link',
    'resolve_text',
    'since',
    'timestamp',
    'status',
    'user_classification',
];
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
const insightListSchema = classic_schemas/* array */.YOg(insightSchema);
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
/** Absent or null reads as absent: the published schema marks count, page and per_page optional. */
const optionalCount = (min) => classic_schemas/* number */.aig()
    .int()
    .min(min)
    .nullish()
    .transform((v) => v ?? undefined);
const pageResultSchema = classic_schemas/* looseObject */._H3({
    count: optionalCount(0),
    page: optionalCount(1),
    per_page: optionalCount(1),
    issues: classic_schemas/* array */.YOg(classic_schemas/* unknown */.L5J())
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
    return new CloudflareResponseError(`The Cloudflare API returned an unexpected body on page ${page}: field ${where}: ${first.message}. This tool may need an update; please report it.`, {
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
 * A record without an id (absent, null or empty) cannot be tracked: it is skipped and counted.
 */
function parsePageResult(result, page, options = {}) {
    const parsed = pageResultSchema.safeParse(result);
    if (!parsed.success)
        throw malformed(page, parsed.error, 'result');
    const { issues: records, ...rest } = parsed.data;
    // Records without an id are skipped first; the rest are checked in one array parse
    // (one parse per record cost 4x the CPU at 100k insights).
    const kept = [];
    const at = [];
    let skipped = 0;
    for (let n = 0; n < records.length; n++) {
        const record = records[n];
        const id = record !== null && typeof record === 'object' ? record.id : undefined;
        if ((id === undefined || id === null || id === '') && record !== null && typeof record === 'object' && !Array.isArray(record)) {
            skipped += 1;
            continue;
        }
        kept.push(record);
        at.push(n);
    }
    const all = insightListSchema.safeParse(kept);
    if (!all.success) {
        // Name the record by its place in the page, as Cloudflare sent it.
        const issues = all.error.issues.map((i) => (typeof i.path[0] === 'number' ? { ...i, path: [at[i.path[0]] ?? i.path[0], ...i.path.slice(1)] } : i));
        throw malformed(page, new classic_errors/* ZodError */.G(issues), 'result.issues');
    }
    const issues = [];
    for (let k = 0; k < all.data.length; k++) {
        const insight = all.data[k];
        if (insight.id.length > ID_MAX) {
            const n = at[k];
            throw new CloudflareResponseError(`The Cloudflare API returned an unexpected body on page ${page}: field result.issues[${n}].id: longer than ${ID_MAX} characters. This tool may need an update; please report it.`, { page, details: [`result.issues[${n}].id: ${insight.id.length} characters`] });
        }
        issues.push(options.surrogates !== false || insight.issue_class.length > CLASS_MAX ? normalizeInsight(insight) : insight);
    }
    const out = { issues, received: records.length, skipped };
    if (rest.count !== undefined)
        out.count = rest.count;
    if (rest.page !== undefined)
        out.page = rest.page;
    if (rest.per_page !== undefined)
        out.per_page = rest.per_page;
    return out;
}
/**
 * Notices severities and issue types this version does not know. The records are kept
 * as they are. An unknown severity gets one warning per fetch (it changes what
 * fail-on-severity does: it counts as Critical there); an unknown issue type, and a
 * known severity in another spelling or outside the published enum (`High`, `low`),
 * one debug line per value.
 */
function vocabularyWatcher(log) {
    const knownSeverities = new Set(types/* SEVERITIES */.oC.map((v) => v.toLowerCase()));
    const knownTypes = new Set(types/* ISSUE_TYPES */.co);
    const published = new Set(types/* PUBLISHED_SEVERITIES */.Zy);
    const reported = new Set();
    let unknown = new Map();
    const debugOnce = (key, message) => {
        if (reported.has(key))
            return;
        reported.add(key);
        log.debug(message);
    };
    return {
        see(insights) {
            for (const i of insights) {
                const severity = i.severity;
                if (!knownSeverities.has(severity.trim().toLowerCase()))
                    unknown.set(severity, (unknown.get(severity) ?? 0) + 1);
                else if (!published.has(severity))
                    debugOnce(`severity:${severity}`, `Cloudflare returned the severity ${JSON.stringify(severity)}, outside its published enum (${types/* PUBLISHED_SEVERITIES */.Zy.join(', ')}); read as ${(0,insights_severity/* canonicalSeverity */.yv)(severity)}.`);
                if (!knownTypes.has(i.issue_type.toLowerCase()))
                    debugOnce(`type:${i.issue_type}`, `Cloudflare returned an issue type this version does not know: ${JSON.stringify(i.issue_type)}; the insight is kept as is.`);
            }
        },
        flush() {
            if (unknown.size === 0)
                return;
            const total = [...unknown.values()].reduce((a, b) => a + b, 0);
            const values = [...unknown.keys()]
                .slice(0, 5)
                .map((v) => JSON.stringify(v))
                .join(', ');
            log.warning(`Cloudflare returned ${total} insight${total === 1 ? '' : 's'} with a severity this version does not know (${values}${unknown.size > 5 ? ', ...' : ''}): kept, listed after Low, and counted as Critical for fail-on-severity so that none passes the threshold unnoticed.`);
            unknown = new Map();
        },
    };
}

;// CONCATENATED MODULE: ./src/cloudflare/client.ts
/**
 * The Security Center client: fetches the complete, filtered inventory of one account
 * or zone. One keep-alive undici Pool per client; every attempt is paid for from the
 * request budget first (and refunded when it provably never left the machine); pages
 * are fetched one after the other (the first page tells the count and the echoed page
 * size, hence how many more are needed; without a count, until a short page).
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
    const redact = (0,src_redact/* redactor */.$)(opts.auth.kind === 'token' ? [opts.auth.token] : [opts.auth.key]);
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
    const vocabulary = vocabularyWatcher(log);
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
            throw classifyTransport({ error, timedOut: signal.aborted, timeoutMs, host: base.host, page, redact });
        }
        const contentType = header(resHeaders['content-type']);
        const html = isHtml(contentType, text);
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
            throw classifyResponse({ ...facts, errors });
        }
        if (!json) {
            throw new CloudflareResponseError(`The Cloudflare API returned a body that is not valid JSON on page ${page} (HTTP ${status}, ${text.length} bytes, probably cut short); try again later.`, { status, page, retryable: true, details: [`content-type: ${contentType ?? '(none)'}`, ...(facts.ray ? [`cf-ray: ${facts.ray}`] : [])] });
        }
        const envelope = parseEnvelope(body, page);
        if (!envelope.success)
            throw classifyResponse({ ...facts, errors: envelope.errors });
        return parsePageResult(envelope.result, page, { surrogates: mayHoldLoneSurrogates(text) });
    }
    async function fetchInventory(scope, filters, fetchOpts = {}) {
        const path = insightsPath(base.pathname, scope);
        let requests = 0;
        const getPage = async (page) => {
            const url = `${path}?${insightsQuery(filters, page, plans/* PAGE_SIZE */.md)}`;
            let last;
            for (let n = 1;; n++) {
                try {
                    budget.spend();
                }
                catch (error) {
                    if (error instanceof ledger/* RequestBudgetError */.t && last)
                        error.details.push(`last failure on page ${page}: ${(0,errors/* oneLine */.TN)(last)}`);
                    throw error;
                }
                requests += 1;
                try {
                    const result = await attempt(url, scope, page);
                    log.debug(`Cloudflare page ${page}: ${result.issues.length} insights (count ${result.count ?? 'absent'}, per_page ${result.per_page ?? 'absent'}).`);
                    return result;
                }
                catch (error) {
                    if (!(error instanceof CloudflareError))
                        throw error;
                    if (error.neverSent) {
                        budget.refund();
                        requests -= 1;
                    }
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
        vocabulary.see(first.issues);
        const collector = new PageCollector(first.count);
        collector.add(1, first);
        // With a count, the pages are known from the first one (no extra empty request);
        // without one (optional in the published schema), page until a short page.
        const totalPages = first.count !== undefined ? pageCount(first.count, first.per_page ?? plans/* PAGE_SIZE */.md) : undefined;
        if (totalPages !== undefined && (first.per_page ?? plans/* PAGE_SIZE */.md) < plans/* PAGE_SIZE */.md && totalPages > 1) {
            log.debug(`Cloudflare serves ${first.per_page} insights per page (asked for ${plans/* PAGE_SIZE */.md}): ${totalPages} pages.`);
        }
        let page = 1;
        let last = first;
        const more = () => (totalPages !== undefined ? page < totalPages : mayHaveMore(last, plans/* PAGE_SIZE */.md));
        fetchOpts.onPage?.(1, totalPages ?? (more() ? 2 : 1));
        if (totalPages !== undefined)
            budget.assertCanContinue(totalPages - 1);
        while (more()) {
            page += 1;
            last = await getPage(page);
            vocabulary.see(last.issues);
            const fresh = collector.add(page, last);
            fetchOpts.onPage?.(page, totalPages ?? (more() ? page + 1 : page));
            if (totalPages === undefined && fresh === 0 && last.issues.length > 0) {
                // A server that ignores `page` would otherwise be asked until the budget runs out.
                collector.problem(`page ${page} brought no insight that was not already fetched`);
                break;
            }
        }
        vocabulary.flush();
        const collected = collector.finish();
        if (collected.skipped > 0) {
            const n = collected.skipped;
            log.warning(`Cloudflare returned ${n} insight${n === 1 ? '' : 's'} without an id: ${n === 1 ? 'it cannot be tracked and was' : 'they cannot be tracked and were'} skipped.`);
        }
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
            count: first.count ?? collected.insights.length + collected.skipped,
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

//# sourceMappingURL=922.index.js.map