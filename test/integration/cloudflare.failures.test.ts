/** The real client against a failing fake: messages, exit codes, retries, budget, secrets. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CloudflareAccessError,
  CloudflareAuthError,
  CloudflareNetworkError,
  CloudflareRateLimitError,
  CloudflareResponseError,
  CloudflareScopeError,
  CloudflareServerError,
  CloudflareTimeoutError,
} from '../../src/cloudflare/errors.js';
import { RequestBudgetError } from '../../src/budget/ledger.js';
import { estimateRequests } from '../../src/budget/plans.js';
import { EXIT, exitCodeOf, oneLine } from '../../src/errors.js';
import { NO_FILTERS } from '../../src/insights/filter.js';
import type { Insight } from '../../src/insights/types.js';
import {
  FAKE_ACCOUNT_ID,
  FAKE_EMAIL,
  FAKE_KEY,
  FAKE_TOKEN,
  FAKE_ZONE_ID,
  makeInsights,
  startCloudflareFake,
  type CloudflareFake,
  type FaultSpec,
} from '../fakes/cloudflare.js';
import { harness, NOW, rejection, type Harness } from '../support/cloudflare-helpers.js';

const account = { kind: 'accounts', id: FAKE_ACCOUNT_ID } as const;
const active = (n: number): Insight[] => makeInsights(n, 2).map((i) => ({ ...i, dismissed: false }));

let cf: CloudflareFake;
let h: Harness | undefined;
const seenErrors: unknown[] = [];

beforeAll(async () => {
  cf = await startCloudflareFake();
});
afterAll(async () => {
  await cf.close();
});
afterEach(async () => {
  if (h) {
    // No log line of any test may carry a credential.
    const text = h.log.lines.map((l) => l.message).join('\n');
    expect(text).not.toContain(FAKE_TOKEN);
    expect(text).not.toContain(FAKE_KEY);
    await h.client.close();
  }
  h = undefined;
  cf.reset();
  cf.setInsights([]);
});

async function fails(p: Promise<unknown>) {
  const e = await rejection(p);
  seenErrors.push(e);
  return e;
}

describe('failures that are not retried', () => {
  it('bad token: authentication error, exit 3, one request', async () => {
    h = harness(cf, { auth: { kind: 'token', token: 'wrong-token-1234' } });
    const e = await fails(h.client.fetchInventory(account, NO_FILTERS));
    expect(e).toBeInstanceOf(CloudflareAuthError);
    expect(e.exitCode).toBe(EXIT.remote);
    expect(e.message).toBe(
      'Cloudflare rejected the credentials: the API token is invalid, expired, or lacks Account:Read / Security Center:Read permissions (HTTP 403, code 10000); create a token with Account:Read and Security Center:Read and set api-token (CLOUDFLARE_API_TOKEN).',
    );
    expect(e.message).not.toContain('wrong-token-1234');
    expect(cf.requests).toHaveLength(1);
    expect(h.budget.used).toBe(1);
  });

  it('bad legacy key: authentication error naming the key settings', async () => {
    h = harness(cf, { auth: { kind: 'key', email: FAKE_EMAIL, key: 'not-the-key-5678' } });
    const e = await fails(h.client.fetchInventory(account, NO_FILTERS));
    expect(e).toBeInstanceOf(CloudflareAuthError);
    expect(e.message).toMatch(/api-email and api-key/);
  });

  it('auth fault on page 2 after a good page 1', async () => {
    cf.setInsights(active(1500));
    cf.failOn(2, 'auth');
    h = harness(cf);
    const e = await fails(h.client.fetchInventory(account, NO_FILTERS));
    expect(e).toBeInstanceOf(CloudflareAuthError);
    expect(cf.requests).toHaveLength(2);
  });

  it('unknown account (7003): check account-id; unknown zone: check zone-id', async () => {
    h = harness(cf);
    const other = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    const e = await fails(h.client.fetchInventory({ kind: 'accounts', id: other }, NO_FILTERS));
    expect(e).toBeInstanceOf(CloudflareScopeError);
    expect(e.exitCode).toBe(3);
    expect(e.message).toBe(`Cloudflare cannot route account ${other} (code 7003): the id is wrong or not visible to these credentials; check account-id.`);
    const z = await fails(h.client.fetchInventory({ kind: 'zones', id: FAKE_ACCOUNT_ID }, NO_FILTERS));
    expect(z.message).toMatch(/cannot route zone .*check zone-id\.$/);
    cf.failNext('unknownAccount');
    expect(await fails(h.client.fetchInventory({ kind: 'zones', id: FAKE_ZONE_ID }, NO_FILTERS))).toBeInstanceOf(CloudflareScopeError);
    expect(cf.requests).toHaveLength(3);
  });

  it('other 403: not available, with Cloudflare’s own message', async () => {
    cf.failNext({ kind: 'forbidden', message: 'Security Center requires a paid plan' });
    h = harness(cf);
    const e = await fails(h.client.fetchInventory(account, NO_FILTERS));
    expect(e).toBeInstanceOf(CloudflareAccessError);
    expect(e.message).toBe(
      `Security Center insights are not available for account ${FAKE_ACCOUNT_ID} with these credentials or this plan (Cloudflare: 1003: Security Center requires a paid plan).`,
    );
    expect(cf.requests).toHaveLength(1);
  });

  it('200 with success:false is an error', async () => {
    cf.failNext('successFalse200');
    h = harness(cf);
    const e = await fails(h.client.fetchInventory(account, NO_FILTERS));
    expect(e).toBeInstanceOf(CloudflareResponseError);
    expect(e.message).toMatch(/reported a failure \(success:false, HTTP 200\) on page 1: 1002: /);
    expect(cf.requests).toHaveLength(1);
  });

  it('a malformed body names the page and the field', async () => {
    const good = active(1200);
    cf.setInsights(good);
    const page2 = {
      success: true,
      errors: [],
      messages: [],
      result: { count: 1200, page: 2, per_page: 1000, issues: good.slice(1000).map((i, n) => (n === 5 ? { ...i, id: 42 } : i)) },
    };
    cf.failOn(2, { kind: 'custom', status: 200, body: page2 });
    h = harness(cf);
    const e = await fails(h.client.fetchInventory(account, NO_FILTERS));
    expect(e).toBeInstanceOf(CloudflareResponseError);
    expect(e.message).toMatch(/^The Cloudflare API returned an unexpected body on page 2: field result\.issues\[5\]\.id: /);
    expect(cf.requests).toHaveLength(2);
  });

  it('a proxy that echoes the token does not leak it', async () => {
    cf.failNext({
      kind: 'custom',
      status: 403,
      body: { success: false, errors: [{ code: 1, message: `Header Authorization: Bearer ${FAKE_TOKEN} refused` }] },
    });
    h = harness(cf);
    const e = await fails(h.client.fetchInventory(account, NO_FILTERS));
    expect(e.message).toContain('Bearer *** refused');
  });
});

describe('retries', () => {
  it.each<[string, FaultSpec]>([
    ['500', 'status500'],
    ['502 HTML', 'html502'],
    ['429', { kind: 'status429', retryAfter: '2' }],
    ['connection reset', 'reset'],
    ['truncated JSON', 'truncatedJson'],
  ])('one %s is retried and the fetch completes, counting both requests', async (_name, fault) => {
    cf.setInsights(active(1500));
    cf.failOn(2, fault);
    h = harness(cf);
    const inv = await h.client.fetchInventory(account, NO_FILTERS);
    expect(inv.complete).toBe(true);
    expect(inv.insights).toHaveLength(1500);
    expect(inv.requests).toBe(3);
    expect(cf.requests).toHaveLength(3);
    expect(h.budget.used).toBe(3);
    expect(h.delays).toHaveLength(1);
  });

  it.each<[string, FaultSpec, new (...a: never[]) => Error, RegExp]>([
    [
      '500',
      'status500',
      CloudflareServerError,
      /^The Cloudflare API failed \(HTTP 500: 10001: Internal Server Error\) on page 1; .* \(gave up after 4 attempts\)\.$/,
    ],
    [
      '502 HTML',
      'html502',
      CloudflareServerError,
      /^The Cloudflare API returned an HTML page \(HTTP 502\) on page 1; Cloudflare or a proxy in between is failing, try again later \(gave up after 4 attempts\)\.$/,
    ],
    [
      '429',
      { kind: 'status429', retryAfter: '1' },
      CloudflareRateLimitError,
      /^Cloudflare rate limit reached \(HTTP 429, retry after 1 s\): .*lower the schedule \(cron\) or narrow the filters \(gave up after 4 attempts\)\.$/,
    ],
    [
      'connection reset',
      'reset',
      CloudflareNetworkError,
      /^Could not reach the Cloudflare API at 127\.0\.0\.1:\d+ \(page 1\): .*check the network, proxy and api-base-url \(gave up after 4 attempts\)\.$/,
    ],
    [
      'truncated JSON',
      'truncatedJson',
      CloudflareResponseError,
      /^The Cloudflare API returned a body that is not valid JSON on page 1 \(HTTP 200, \d+ bytes, probably cut short\)/,
    ],
  ])('a lasting %s stops at the bound with its message and exit 3', async (_name, fault, type, message) => {
    cf.setInsights(active(10));
    cf.failAlways(fault);
    h = harness(cf, { maxRetries: 3 });
    const e = await fails(h.client.fetchInventory(account, NO_FILTERS));
    expect(e).toBeInstanceOf(type);
    expect(exitCodeOf(e)).toBe(3);
    expect(e.message).toMatch(message);
    expect(e.message).not.toMatch(/<|DOCTYPE|Bad gateway/);
    expect(oneLine(e)).toBe(e.message);
    expect(cf.requests).toHaveLength(4);
    expect(h.budget.used).toBe(4);
    expect(h.delays).toHaveLength(3);
    expect(e.details).toContain('attempts: 4');
  });

  it('a request that never answers times out, and is retried within the bound', async () => {
    cf.failAlways('timeout');
    h = harness(cf, { timeoutMs: 250, maxRetries: 1 });
    const e = await fails(h.client.fetchInventory(account, NO_FILTERS));
    expect(e).toBeInstanceOf(CloudflareTimeoutError);
    expect(e.message).toMatch(/^The Cloudflare API at 127\.0\.0\.1:\d+ did not answer page 1 within 0\.3 s; .*\(gave up after 2 attempts\)\.$/);
    expect(e.exitCode).toBe(3);
    expect(cf.requests).toHaveLength(2);
  });

  it('a timeout once, then an answer', async () => {
    cf.setInsights(active(3));
    cf.failNext('timeout');
    h = harness(cf, { timeoutMs: 250 });
    const inv = await h.client.fetchInventory(account, NO_FILTERS);
    expect(inv.insights).toHaveLength(3);
    expect(inv.requests).toBe(2);
  });

  it('honours Retry-After in seconds and as an HTTP date', async () => {
    cf.setInsights(active(10));
    cf.failNext({ kind: 'status429', retryAfter: '7' }, { kind: 'status429', retryAfter: new Date(NOW.getTime() + 12_000).toUTCString() });
    h = harness(cf);
    const inv = await h.client.fetchInventory(account, NO_FILTERS);
    expect(h.delays).toEqual([7000, 12_000]);
    expect(inv.requests).toBe(3);
  });

  it('gives up at once with the 429 error when Retry-After is longer than the cap', async () => {
    cf.failNext({ kind: 'status429', retryAfter: '3600' });
    h = harness(cf, { maxRetryDelayMs: 60_000 });
    const e = await fails(h.client.fetchInventory(account, NO_FILTERS));
    expect(e).toBeInstanceOf(CloudflareRateLimitError);
    expect(e.message).toMatch(/^Cloudflare rate limit reached \(HTTP 429, retry after 3600 s\)/);
    expect(e.message).not.toMatch(/gave up/);
    expect(cf.requests).toHaveLength(1);
    expect(h.delays).toEqual([]);
  });

  it('backs off exponentially with jitter when there is no Retry-After', async () => {
    cf.failAlways({ kind: 'status429', retryAfter: null });
    h = harness(cf, { maxRetries: 3, retryBaseMs: 500, random: () => 0.5 });
    await fails(h.client.fetchInventory(account, NO_FILTERS));
    expect(h.delays).toEqual([375, 750, 1500]);
  });

  it('caps the backoff', async () => {
    cf.failAlways('status500');
    h = harness(cf, { maxRetries: 2, retryBaseMs: 50_000, maxRetryDelayMs: 60_000, random: () => 1 });
    await fails(h.client.fetchInventory(account, NO_FILTERS));
    expect(h.delays).toEqual([50_000, 60_000]);
  });

  it('maxRetries 0 means one attempt', async () => {
    cf.failAlways('status500');
    h = harness(cf, { maxRetries: 0 });
    await fails(h.client.fetchInventory(account, NO_FILTERS));
    expect(cf.requests).toHaveLength(1);
  });
});

describe('an inventory that moves between pages', () => {
  it('a count that changes gives an incomplete inventory, not an error', async () => {
    cf.setInsights(active(2500));
    cf.failOn(2, 'countChanges');
    h = harness(cf);
    const inv = await h.client.fetchInventory(account, NO_FILTERS);
    expect(inv.complete).toBe(false);
    expect(inv.incompleteReason).toMatch(/count changed from 2500 to 2501 on page 2/);
    expect(inv.insights).toHaveLength(2500);
    expect(inv.requests).toBe(3);
    expect(h.log.lines.some((l) => l.level === 'warning' && /Nothing is closed/.test(l.message))).toBe(true);
  });

  it('repeated ids are deduped and the inventory is incomplete', async () => {
    const all = active(2500);
    cf.setInsights(all);
    cf.failOn(3, 'repeatIds');
    h = harness(cf);
    const inv = await h.client.fetchInventory(account, NO_FILTERS);
    expect(inv.complete).toBe(false);
    expect(inv.incompleteReason).toMatch(/fetched 2499 distinct insights \(1 repeated across pages\) but Cloudflare announced 2500/);
    expect(new Set(inv.insights.map((i) => i.id)).size).toBe(inv.insights.length);
    expect(inv.insights).toHaveLength(2499);
    expect(inv.requests).toBe(3);
  });
});

describe('request budget', () => {
  it('refuses to start a run whose estimate does not fit (no request made)', async () => {
    cf.setInsights(active(2500));
    h = harness(cf, { budgetSize: 100, used: 98 });
    expect(() => h!.budget.assertCanStart(estimateRequests(2500))).toThrow(
      'Request budget exhausted: 98 of 100 used this month, 2 left, this run needs 3; resets 2026-12-01.',
    );
    expect(cf.requests).toHaveLength(0);
  });

  it('stops after the first page when the real page count does not fit', async () => {
    cf.setInsights(active(5000));
    h = harness(cf, { budgetSize: 100, used: 96 });
    const e = await fails(h.client.fetchInventory(account, NO_FILTERS));
    expect(e).toBeInstanceOf(RequestBudgetError);
    expect(e.exitCode).toBe(EXIT.budget);
    expect(e.message).toMatch(/^Request budget exhausted: 97 of 100 used this month, 3 left, the remaining pages need 4; resets 2026-12-01\./);
    expect(cf.requests).toHaveLength(1);
  });

  it('counts retries: a failing page runs the budget out with exit 4', async () => {
    cf.failAlways('status500');
    h = harness(cf, { budgetSize: 100, used: 97, maxRetries: 10 });
    const e = await fails(h.client.fetchInventory(account, NO_FILTERS));
    expect(e).toBeInstanceOf(RequestBudgetError);
    expect(e.exitCode).toBe(4);
    expect(e.message).toMatch(/^Request budget exhausted: 100 of 100 used this month, 0 left, the next request needs 1; resets 2026-12-01/);
    expect(e.details!.join('\n')).toMatch(/last failure on page 1: The Cloudflare API failed \(HTTP 500/);
    expect(cf.requests).toHaveLength(3);
    expect(h.budget.ledger()).toEqual({ month: '2026-11', used: 100 });
  });

  it('with nothing left, no request is made', async () => {
    h = harness(cf, { budgetSize: 100, used: 100 });
    const e = await fails(h.client.fetchInventory(account, NO_FILTERS));
    expect(e).toBeInstanceOf(RequestBudgetError);
    expect(cf.requests).toHaveLength(0);
  });
});

describe('secrets', () => {
  it('no error of this file carries a credential, in its message or its details', () => {
    expect(seenErrors.length).toBeGreaterThan(15);
    for (const e of seenErrors as (Error & { details?: string[] })[]) {
      const text = [e.message, ...(e.details ?? [])].join('\n');
      for (const secret of [FAKE_TOKEN, FAKE_KEY, 'wrong-token-1234', 'not-the-key-5678']) expect(text).not.toContain(secret);
    }
  });
});
