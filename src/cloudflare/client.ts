/**
 * The Security Center client: fetches the complete, filtered inventory of one account
 * or zone. One keep-alive undici Pool per client; every attempt is paid for from the
 * request budget first (and refunded when it provably never left the machine); pages
 * are fetched one after the other (the first page tells the count and the echoed page
 * size, hence how many more are needed; without a count, until a short page).
 */
import { redactor } from '../redact.js';
import { Pool } from 'undici';
import type { CloudflareAuth } from '../config/settings.js';
import { applyFilters } from '../insights/filter.js';
import type { InsightFilters, Inventory, Scope } from '../insights/types.js';
import { oneLine } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import { USER_AGENT } from '../version.js';
import { RequestBudgetError, type RequestBudget } from '../budget/ledger.js';
import { PAGE_SIZE } from '../budget/plans.js';
import { classifyResponse, classifyTransport, CloudflareError, CloudflareResponseError, isHtml, type CloudflareErrorEntry } from './errors.js';
import { mayHaveMore, PageCollector, pageCount } from './pages.js';
import { insightsPath, insightsQuery } from './query.js';
import { decideRetry, parseRetryAfter, type RetryPolicy } from './retry.js';
import { envelopeSchema, mayHoldLoneSurrogates, parseEnvelope, parsePageResult, vocabularyWatcher, type PageResult } from './schemas.js';

export interface CloudflareClientOptions {
  /** e.g. https://api.cloudflare.com/client/v4 */
  baseUrl: string;
  auth: CloudflareAuth;
  budget: RequestBudget;
  log?: Logger;
  /** Per attempt, headers and body included. Default 30 s. */
  timeoutMs?: number;
  /** Retries after the first attempt of a page. Default 3. */
  maxRetries?: number;
  /** First backoff step. Default 500 ms. */
  retryBaseMs?: number;
  /** Longest wait between attempts; a longer Retry-After ends the run. Default 60 s. */
  maxRetryDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  userAgent?: string;
  /** For tests: jitter source and clock (Retry-After dates, fetchedAt). */
  random?: () => number;
  now?: () => Date;
}

export interface FetchInventoryOptions {
  /** Called after each page with the pages fetched so far and the total. */
  onPage?: (fetched: number, totalPages: number) => void;
}

export interface CloudflareClient {
  fetchInventory(scope: Scope, filters: InsightFilters, opts?: FetchInventoryOptions): Promise<Inventory>;
  close(): Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function authHeaders(auth: CloudflareAuth): Record<string, string> {
  return auth.kind === 'token' ? { authorization: `Bearer ${auth.token}` } : { 'x-auth-email': auth.email, 'x-auth-key': auth.key };
}

export function createCloudflareClient(opts: CloudflareClientOptions): CloudflareClient {
  const base = new URL(opts.baseUrl);
  const log = opts.log ?? silentLogger;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const policy: RetryPolicy = {
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
    'user-agent': opts.userAgent ?? USER_AGENT,
    ...authHeaders(opts.auth),
  };
  const pool = new Pool(base.origin, {
    connections: 1,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connect: { timeout: timeoutMs },
  });
  const vocabulary = vocabularyWatcher(log);

  /** One HTTP exchange; any failure comes out as a CloudflareError. */
  async function attempt(path: string, scope: Scope, page: number): Promise<PageResult> {
    const signal = AbortSignal.timeout(timeoutMs);
    let status: number;
    let resHeaders: Record<string, string | string[] | undefined>;
    let text: string;
    try {
      const res = await pool.request({ path, method: 'GET', headers, signal });
      status = res.statusCode;
      resHeaders = res.headers;
      text = await res.body.text();
    } catch (error) {
      throw classifyTransport({ error, timedOut: signal.aborted, timeoutMs, host: base.host, page, redact });
    }

    const contentType = header(resHeaders['content-type']);
    const html = isHtml(contentType, text);
    let body: unknown;
    let json = false;
    if (!html) {
      try {
        body = JSON.parse(text);
        json = true;
      } catch {
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
      let errors: CloudflareErrorEntry[] | undefined;
      if (json) {
        const env = envelopeSchema.safeParse(body);
        if (env.success) errors = env.data.errors;
      }
      throw classifyResponse({ ...facts, errors });
    }
    if (!json) {
      throw new CloudflareResponseError(
        `The Cloudflare API returned a body that is not valid JSON on page ${page} (HTTP ${status}, ${text.length} bytes, probably cut short); try again later.`,
        { status, page, retryable: true, details: [`content-type: ${contentType ?? '(none)'}`, ...(facts.ray ? [`cf-ray: ${facts.ray}`] : [])] },
      );
    }
    const envelope = parseEnvelope(body, page);
    if (!envelope.success) throw classifyResponse({ ...facts, errors: envelope.errors });
    return parsePageResult(envelope.result, page, { surrogates: mayHoldLoneSurrogates(text) });
  }

  async function fetchInventory(scope: Scope, filters: InsightFilters, fetchOpts: FetchInventoryOptions = {}): Promise<Inventory> {
    const path = insightsPath(base.pathname, scope);
    let requests = 0;

    const getPage = async (page: number): Promise<PageResult> => {
      const url = `${path}?${insightsQuery(filters, page, PAGE_SIZE)}`;
      let last: CloudflareError | undefined;
      for (let n = 1; ; n++) {
        try {
          budget.spend();
        } catch (error) {
          if (error instanceof RequestBudgetError && last) error.details.push(`last failure on page ${page}: ${oneLine(last)}`);
          throw error;
        }
        requests += 1;
        try {
          const result = await attempt(url, scope, page);
          log.debug(`Cloudflare page ${page}: ${result.issues.length} insights (count ${result.count ?? 'absent'}, per_page ${result.per_page ?? 'absent'}).`);
          return result;
        } catch (error) {
          if (!(error instanceof CloudflareError)) throw error;
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
          log.info(`Cloudflare page ${page}, attempt ${n} failed: ${oneLine(error)} Retrying in ${Math.ceil(decision.delayMs / 100) / 10} s.`);
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
    const totalPages = first.count !== undefined ? pageCount(first.count, first.per_page ?? PAGE_SIZE) : undefined;
    if (totalPages !== undefined && (first.per_page ?? PAGE_SIZE) < PAGE_SIZE && totalPages > 1) {
      log.debug(`Cloudflare serves ${first.per_page} insights per page (asked for ${PAGE_SIZE}): ${totalPages} pages.`);
    }
    let page = 1;
    let last = first;
    const more = () => (totalPages !== undefined ? page < totalPages : mayHaveMore(last, PAGE_SIZE));
    fetchOpts.onPage?.(1, totalPages ?? (more() ? 2 : 1));
    if (totalPages !== undefined) budget.assertCanContinue(totalPages - 1);

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
      log.warning(
        `Cloudflare returned ${n} insight${n === 1 ? '' : 's'} without an id: ${n === 1 ? 'it cannot be tracked and was' : 'they cannot be tracked and were'} skipped.`,
      );
    }
    if (!collected.complete) {
      const reason = collected.incompleteReason!;
      log.warning(`${reason.charAt(0).toUpperCase()}${reason.slice(1)}. Nothing is closed on an incomplete inventory; the next run will retry.`);
    }
    const insights = applyFilters(collected.insights, filters);
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
