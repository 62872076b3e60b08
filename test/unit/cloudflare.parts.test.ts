/** Pure parts of the Cloudflare client: schemas, query, retry decisions, page collection, error mapping. */
import { describe, expect, it } from 'vitest';
import {
  classifyResponse,
  classifyTransport,
  CloudflareAccessError,
  CloudflareAuthError,
  CloudflareNetworkError,
  CloudflareRateLimitError,
  CloudflareResponseError,
  CloudflareScopeError,
  CloudflareServerError,
  CloudflareTimeoutError,
  type ResponseFacts,
} from '../../src/cloudflare/errors.js';
import { mayHaveMore, PageCollector, pageCount } from '../../src/cloudflare/pages.js';
import { insightsPath, insightsQuery } from '../../src/cloudflare/query.js';
import { backoffDelay, decideRetry, parseRetryAfter } from '../../src/cloudflare/retry.js';
import { formatPath, insightSchema, parseEnvelope, parsePageResult, vocabularyWatcher } from '../../src/cloudflare/schemas.js';
import { NO_FILTERS } from '../../src/insights/filter.js';
import { SEVERITIES, type Insight, type Severity } from '../../src/insights/types.js';
import { isAtLeast, severityRank } from '../../src/insights/severity.js';
import { memoryLogger } from '../../src/log.js';

const scope = { kind: 'accounts', id: '0123456789abcdef0123456789abcdef' } as const;
const facts = (over: Partial<ResponseFacts>): ResponseFacts => ({
  status: 400,
  scope,
  page: 1,
  authKind: 'token',
  redact: (t) => t,
  ...over,
});

describe('insight schema', () => {
  it('keeps unknown fields and fills the defaults', () => {
    const parsed = insightSchema.parse({
      id: 'a1',
      severity: 'Severe',
      issue_type: 'brand_new_type',
      has_extended_context: true,
      status: 'active',
      user_classification: null,
    });
    expect(parsed).toMatchObject({
      id: 'a1',
      dismissed: false,
      severity: 'Severe',
      issue_type: 'brand_new_type',
      has_extended_context: true,
      status: 'active',
      user_classification: null,
      subject: '',
      issue_class: '',
    });
  });

  it.each([
    [{ severity: 'Low' }, 'id'],
    [{ id: '' }, 'id'],
    [{ id: 'x', dismissed: 'no' }, 'dismissed'],
    [{ id: 'x', severity: 3 }, 'severity'],
    [{ id: 'x', since: 5 }, 'since'],
  ])('rejects %j at %s', (input, field) => {
    const r = insightSchema.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual([field]);
  });

  it('names the page and the field path of a malformed body', () => {
    const result = { count: 3, page: 2, per_page: 1000, issues: [{ id: 'a' }, { id: 'b' }, { id: ['x'] }] };
    expect(() => parsePageResult(result, 2)).toThrow(/page 2: field result\.issues\[2\]\.id/);
    expect(() => parsePageResult({ ...result, count: '3' }, 4)).toThrow(/page 4: field result\.count/);
    expect(() => parsePageResult(null, 1)).toThrow(/page 1: field result:/);
    expect(() => parseEnvelope({ errors: [] }, 3)).toThrow(/page 3: field success/);
    try {
      parsePageResult(result, 2);
    } catch (e) {
      expect(e).toBeInstanceOf(CloudflareResponseError);
      expect((e as CloudflareResponseError).exitCode).toBe(3);
    }
  });

  it('formats paths', () => {
    expect(formatPath('result', ['issues', 3, 'id'])).toBe('result.issues[3].id');
    expect(formatPath('', ['success'])).toBe('success');
    expect(formatPath('', [])).toBe('(body)');
  });

  it('warns once per fetch about unknown severities; other spellings and unknown types are debug lines, once per value', () => {
    const log = memoryLogger();
    const watch = vocabularyWatcher(log);
    const mk = (severity: string, issue_type: string) => ({ id: 'x', severity, issue_type }) as Insight;
    watch.see([mk('Severe', 'email_security'), mk('Severe', 'quantum_risk'), mk('High', 'quantum_risk')]);
    watch.see([mk('severe', 'exposed_infrastructure'), mk('Low', 'quantum_risk'), mk('Info', 'weak_authentication'), mk('high', 'email_security')]);
    watch.flush();
    const warnings = log.lines.filter((l) => l.level === 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toBe(
      'Cloudflare returned 4 insights with a severity this version does not know ("Severe", "severe", "Info"): kept, listed after Low, and counted as Critical for fail-on-severity so that none passes the threshold unnoticed.',
    );
    const debug = log.lines
      .filter((l) => l.level === 'debug')
      .map((l) => l.message)
      .join('\n');
    expect(debug.match(/"quantum_risk"/g)).toHaveLength(1);
    expect(debug).toContain('"High", outside its published enum (Low, Moderate, Critical); read as High');
    expect(debug).toContain('"high", outside');
    watch.flush();
    expect(log.lines.filter((l) => l.level === 'warning')).toHaveLength(1);
  });

  it('ranks High between Moderate and Critical in any spelling; an unknown severity is listed last but reaches every threshold', () => {
    expect(['Critical', 'high', 'Low', 'HIGH', 'Moderate', 'Severe'].map(severityRank)).toEqual([4, 3, 1, 3, 2, 0]);
    expect(isAtLeast('High', 'Critical')).toBe(false);
    expect(isAtLeast('high', 'High')).toBe(true);
    expect(isAtLeast('Moderate', 'High')).toBe(false);
    for (const threshold of SEVERITIES) {
      expect(isAtLeast('Severe', threshold)).toBe(true);
      expect(isAtLeast('', threshold)).toBe(true);
    }
  });
});

describe('query', () => {
  it('pushes the filters, repeated per value, lower-case severities, literal ~', () => {
    const q = insightsQuery(
      {
        severity: ['Moderate', 'Critical'],
        excludeSeverity: ['Low'],
        issueType: ['email_security'],
        excludeIssueType: ['weak_authentication', 'compliance_violation'],
        includeDismissed: false,
      },
      3,
      1000,
    );
    expect(q).toBe(
      'severity=moderate&severity=critical&severity~neq=low&issue_type=email_security&issue_type~neq=weak_authentication&issue_type~neq=compliance_violation&dismissed=false&page=3&per_page=1000',
    );
  });

  it('never sends a severity outside the API query enum (low, moderate, critical): High is filtered on the client', () => {
    const q = (severity: Severity[], excludeSeverity: Severity[] = []) => insightsQuery({ ...NO_FILTERS, severity, excludeSeverity }, 1, 1000);
    // An include list the API cannot express whole is not sent at all: sending part of it would drop the High insights.
    expect(q(['High', 'Critical'])).toBe('dismissed=false&page=1&per_page=1000');
    expect(q(['High'])).toBe('dismissed=false&page=1&per_page=1000');
    // Excludes send the values the API knows.
    expect(q([], ['High', 'Low'])).toBe('severity~neq=low&dismissed=false&page=1&per_page=1000');
    expect(q(['Low', 'Moderate', 'Critical'], ['High'])).toBe('severity=low&severity=moderate&severity=critical&dismissed=false&page=1&per_page=1000');
    for (const inc of [[], ['Low'], ['Moderate'], ['High'], ['Critical'], ['High', 'Critical'], ['Low', 'Moderate', 'High', 'Critical']] as Severity[][]) {
      expect(q(inc, ['High', 'Moderate'])).not.toMatch(/=high\b/i);
    }
    expect(insightsQuery({ ...NO_FILTERS, includeDismissed: true }, 1, 1000)).toBe('page=1&per_page=1000');
  });

  it('builds account and zone paths under the base path', () => {
    expect(insightsPath('/client/v4/', scope)).toBe(`/client/v4/accounts/${scope.id}/security-center/insights`);
    expect(insightsPath('/', { kind: 'zones', id: 'z' })).toBe('/zones/z/security-center/insights');
  });
});

describe('retry', () => {
  const policy = { maxRetries: 3, retryBaseMs: 500, maxRetryDelayMs: 60_000 };
  const now = Date.UTC(2026, 10, 15, 12, 0, 0);

  it.each([
    ['120', 120_000],
    ['0', 0],
    [new Date(now + 5000).toUTCString(), 5000],
    [new Date(now - 5000).toUTCString(), 0],
    ['soon', undefined],
    ['-3', undefined],
    [undefined, undefined],
  ])('Retry-After %s -> %s ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });

  it('backs off exponentially with jitter, capped', () => {
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, policy, () => 0))).toEqual([250, 500, 1000, 2000]);
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, policy, () => 1))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffDelay(20, policy, () => 1)).toBe(60_000);
    expect(backoffDelay(20, policy, () => 0)).toBe(30_000);
  });

  it('retries only what may succeed, within the bound, honouring Retry-After up to the cap', () => {
    const server = new CloudflareServerError('x', { retryable: true });
    expect(decideRetry(server, 1, policy, () => 0.5)).toEqual({ retry: true, delayMs: 375 });
    expect(decideRetry(server, 3, policy, () => 0.5).retry).toBe(true);
    expect(decideRetry(server, 4, policy, () => 0.5).retry).toBe(false);
    expect(decideRetry(new CloudflareAuthError('x'), 1, policy, () => 0.5).retry).toBe(false);
    const limited = new CloudflareRateLimitError('x', { retryable: true, retryAfterMs: 7000 });
    expect(decideRetry(limited, 1, policy, () => 0.5)).toEqual({ retry: true, delayMs: 7000 });
    const tooLong = new CloudflareRateLimitError('x', { retryable: true, retryAfterMs: 60_001 });
    expect(decideRetry(tooLong, 1, policy, () => 0.5).retry).toBe(false);
  });
});

describe('page collection', () => {
  const ins = (id: string) => ({ id }) as Insight;
  const page = (count: number, ids: string[]) => ({ count, page: 1, per_page: 2, issues: ids.map(ins), received: ids.length, skipped: 0 });

  it.each([
    [0, 1000, 1],
    [1, 1000, 1],
    [1000, 1000, 1],
    [1001, 1000, 2],
    [250, 100, 3],
  ])('pageCount(%i, %i) = %i', (count, perPage, pages) => {
    expect(pageCount(count, perPage)).toBe(pages);
  });

  it('is complete when the distinct ids add up to count', () => {
    const c = new PageCollector(3);
    c.add(1, page(3, ['a', 'b']));
    c.add(2, page(3, ['c']));
    expect(c.finish()).toEqual({ insights: [ins('a'), ins('b'), ins('c')], complete: true, skipped: 0 });
  });

  it('dedupes repeated ids and marks the result incomplete', () => {
    const c = new PageCollector(4);
    c.add(1, page(4, ['a', 'b']));
    c.add(2, page(4, ['b', 'c']));
    const r = c.finish();
    expect(r.insights.map((i) => i.id)).toEqual(['a', 'b', 'c']);
    expect(r.complete).toBe(false);
    expect(r.incompleteReason).toMatch(/fetched 3 distinct insights \(1 repeated across pages\) but Cloudflare announced 4/);
  });

  it('marks a count that changes between pages', () => {
    const c = new PageCollector(3);
    c.add(1, page(3, ['a', 'b']));
    c.add(2, page(4, ['c']));
    const r = c.finish();
    expect(r.complete).toBe(false);
    expect(r.incompleteReason).toMatch(/count changed from 3 to 4 on page 2/);
  });

  it('counts the skipped id-less records towards count', () => {
    const c = new PageCollector(3);
    c.add(1, { ...page(3, ['a', 'b']), received: 3, skipped: 1 });
    expect(c.finish()).toMatchObject({ complete: true, skipped: 1 });
  });

  it('without a count: complete unless an id repeats; another page only after a full one', () => {
    const c = new PageCollector(undefined);
    expect(c.add(1, { issues: [ins('a'), ins('b')], received: 2, skipped: 0 })).toBe(2);
    expect(c.finish()).toMatchObject({ complete: true });
    expect(c.add(2, { issues: [ins('b')], received: 1, skipped: 0 })).toBe(0);
    expect(c.finish().incompleteReason).toMatch(/1 insights repeated across pages and Cloudflare gave no count/);
    expect(mayHaveMore({ issues: [], received: 2, skipped: 0, per_page: 2 }, 1000)).toBe(true);
    expect(mayHaveMore({ issues: [], received: 2, skipped: 0 }, 1000)).toBe(false);
    expect(mayHaveMore({ issues: [], received: 1000, skipped: 1 }, 1000)).toBe(true);
    expect(mayHaveMore({ issues: [], received: 0, skipped: 0 }, 1000)).toBe(false);
  });

  it('reads count, page and per_page as optional, and skips records without an id', () => {
    const r = parsePageResult({ issues: [{ id: 'a' }, { severity: 'Low' }, { id: null }, { id: '' }] }, 1);
    expect(r).toMatchObject({ received: 4, skipped: 3 });
    expect(r.count).toBeUndefined();
    expect(r.issues.map((i) => i.id)).toEqual(['a']);
    expect(parsePageResult({ count: null, page: null, per_page: null, issues: null }, 1)).toEqual({ issues: [], received: 0, skipped: 0 });
    expect(() => parsePageResult({ issues: [{ id: 7 }] }, 2)).toThrow(/page 2: field result\.issues\[0\]\.id/);
  });
});

describe('error mapping', () => {
  it.each([
    [{ status: 403, errors: [{ code: 10000, message: 'Authentication error' }] }, CloudflareAuthError, /Account:Read \/ Security Center:Read/],
    [{ status: 400, errors: [{ code: 9109, message: 'Invalid access token' }] }, CloudflareAuthError, /code 9109/],
    [{ status: 401 }, CloudflareAuthError, /HTTP 401/],
    [{ status: 400, errors: [{ code: 7003, message: 'Could not route' }] }, CloudflareScopeError, /check account-id\.$/],
    [{ status: 403, errors: [{ code: 1003, message: 'Not on this plan' }] }, CloudflareAccessError, /\(Cloudflare: 1003: Not on this plan\)/],
    [{ status: 429, retryAfterMs: 30_000 }, CloudflareRateLimitError, /retry after 30 s.*lower the schedule \(cron\) or narrow the filters/],
    [{ status: 503, errors: [{ code: 10001, message: 'busy' }] }, CloudflareServerError, /failed \(HTTP 503: 10001: busy\) on page 1/],
    [
      { status: 502, contentType: 'text/html', bodyText: '<html><body>Bad gateway</body></html>' },
      CloudflareServerError,
      /returned an HTML page \(HTTP 502\) on page 1/,
    ],
    [{ status: 200, errors: [{ code: 1002, message: 'nope' }] }, CloudflareResponseError, /success:false/],
    [
      { status: 400, errors: [{ code: 1001, message: 'bad filter' }] },
      CloudflareResponseError,
      /rejected the request \(HTTP 400\) on page 1: 1001: bad filter\./,
    ],
  ] as const)('%j', (over, type, message) => {
    const e = classifyResponse(facts(over as Partial<ResponseFacts>));
    expect(e).toBeInstanceOf(type);
    expect(e.message).toMatch(message);
    expect(e.exitCode).toBe(3);
    expect(e.message).not.toContain('\n');
    expect(e.message).not.toContain('<');
  });

  it('names zone-id for a zone and the key pair for legacy auth', () => {
    expect(classifyResponse(facts({ scope: { kind: 'zones', id: 'z' }, errors: [{ code: 7003, message: 'x' }] })).message).toMatch(/zone z .*check zone-id/);
    expect(classifyResponse(facts({ status: 403, authKind: 'key', errors: [{ code: 10000, message: 'x' }] })).message).toMatch(/api-email and api-key/);
  });

  it('retries only server errors and rate limits', () => {
    expect(classifyResponse(facts({ status: 500 })).retryable).toBe(true);
    expect(classifyResponse(facts({ status: 429 })).retryable).toBe(true);
    expect(classifyResponse(facts({ status: 200, contentType: 'text/html' })).retryable).toBe(false);
    expect(classifyResponse(facts({ status: 403 })).retryable).toBe(false);
  });

  it('redacts secrets from what Cloudflare or a proxy echoes', () => {
    const e = classifyResponse(
      facts({ status: 403, errors: [{ code: 1, message: 'token s3cr3t-token is not allowed' }], redact: (t) => t.split('s3cr3t-token').join('***') }),
    );
    expect(e.message).toContain('token *** is not allowed');
    expect([e.message, ...e.details].join('\n')).not.toContain('s3cr3t-token');
  });

  it('tells timeouts from network failures', () => {
    const base = { timeoutMs: 30_000, host: 'api.cloudflare.com', page: 2, redact: (t: string) => t };
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(classifyTransport({ ...base, error: reset, timedOut: false })).toBeInstanceOf(CloudflareNetworkError);
    expect(classifyTransport({ ...base, error: reset, timedOut: false }).message).toMatch(/api\.cloudflare\.com \(page 2\): the connection was reset/);
    const headers = Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' });
    expect(classifyTransport({ ...base, error: headers, timedOut: false })).toBeInstanceOf(CloudflareTimeoutError);
    expect(classifyTransport({ ...base, error: new Error('aborted'), timedOut: true }).message).toMatch(/did not answer page 2 within 30 s/);
  });

  it.each([
    // [code, never sent (not charged), retried]
    ['ENOTFOUND', true, false],
    ['EAI_AGAIN', true, false],
    ['ECONNREFUSED', true, true],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', true, true],
    ['ERR_TLS_CERT_ALTNAME_INVALID', true, true],
    ['CERT_HAS_EXPIRED', true, true],
    ['ECONNRESET', false, true],
    ['UND_ERR_SOCKET', false, true],
    ['EPIPE', false, true],
    ['UND_ERR_HEADERS_TIMEOUT', false, true],
  ])('%s: never sent %s, retryable %s', (code, neverSent, retryable) => {
    const base = { timeoutMs: 30_000, host: 'api.cloudflare.com', page: 1, redact: (t: string) => t, timedOut: false };
    // undici wraps the socket's error as the cause of its own.
    const error = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) });
    const e = classifyTransport({ ...base, error });
    expect(e.neverSent).toBe(neverSent);
    expect(e.retryable).toBe(retryable);
  });
});
