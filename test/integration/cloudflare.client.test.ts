/** The real client against the fake API: pagination cost, filters, scopes, shapes. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyFilters, NO_FILTERS } from '../../src/insights/filter.js';
import { compareSeverityDesc, isAtLeast } from '../../src/insights/severity.js';
import type { Insight, InsightFilters } from '../../src/insights/types.js';
import { USER_AGENT } from '../../src/version.js';
import { RequestBudgetError } from '../../src/budget/ledger.js';
import {
  FAKE_ACCOUNT_ID,
  FAKE_EMAIL,
  FAKE_KEY,
  FAKE_TOKEN,
  FAKE_ZONE_ID,
  makeInsights,
  startCloudflareFake,
  type CloudflareFake,
} from '../fakes/cloudflare.js';
import { harness, rejection, type Harness } from '../support/cloudflare-helpers.js';

const account = { kind: 'accounts', id: FAKE_ACCOUNT_ID } as const;
const zone = { kind: 'zones', id: FAKE_ZONE_ID } as const;
const active = (n: number, seed = 1): Insight[] => makeInsights(n, seed).map((i) => ({ ...i, dismissed: false }));

let cf: CloudflareFake;
let h: Harness | undefined;
beforeAll(async () => {
  cf = await startCloudflareFake();
});
afterAll(async () => {
  await cf.close();
});
afterEach(async () => {
  await h?.client.close();
  h = undefined;
  cf.reset();
  cf.setIgnoreFilters(false);
  cf.setMaxPerPage(1000);
  cf.setOmit([]);
  cf.setInsights([]);
});

describe('pagination cost', () => {
  it.each([
    [0, 1],
    [1, 1],
    [999, 1],
    [1000, 1],
    [1001, 2],
    [5000, 5],
  ])('%i insights cost %i request(s), never an extra empty page', async (n, expected) => {
    const insights = active(n);
    cf.setInsights(insights);
    h = harness(cf);
    const pages: [number, number][] = [];
    const inv = await h.client.fetchInventory(account, NO_FILTERS, { onPage: (f, t) => pages.push([f, t]) });
    expect(inv.requests).toBe(expected);
    expect(cf.requests).toHaveLength(expected);
    expect(h.budget.used).toBe(expected);
    expect(cf.requests.map((r) => r.query['page'])).toEqual(Array.from({ length: expected }, (_, i) => [String(i + 1)]));
    expect(cf.requests.every((r) => r.query['per_page']?.[0] === '1000')).toBe(true);
    expect(pages).toEqual(Array.from({ length: expected }, (_, i) => [i + 1, expected]));
    expect(inv.count).toBe(n);
    expect(inv.complete).toBe(true);
    expect(inv.incompleteReason).toBeUndefined();
    expect(inv.insights.map((i) => i.id)).toEqual(insights.map((i) => i.id));
    expect(inv.scope).toEqual(account);
    expect(inv.fetchedAt).toBe('2026-11-15T12:00:00.000Z');
  });

  it('follows the echoed per_page when the server clamps it', async () => {
    cf.setInsights(active(250));
    cf.setMaxPerPage(100);
    h = harness(cf);
    const inv = await h.client.fetchInventory(account, NO_FILTERS);
    expect(inv.requests).toBe(3);
    expect(cf.requests.map((r) => r.query['page']![0])).toEqual(['1', '2', '3']);
    expect(inv.insights).toHaveLength(250);
    expect(inv.complete).toBe(true);
  });

  it('refuses to go on when a clamped page size needs more requests than are left', async () => {
    cf.setInsights(active(5000));
    cf.setMaxPerPage(25);
    h = harness(cf, { budgetSize: 100 });
    const err = await rejection(h.client.fetchInventory(account, NO_FILTERS));
    expect(err).toBeInstanceOf(RequestBudgetError);
    expect(err.exitCode).toBe(4);
    expect(err.message).toBe(
      'Request budget exhausted: 1 of 100 used this month, 99 left, the remaining pages need 199; resets 2026-12-01. Raise monthly-request-budget, lower the schedule or narrow the filters.',
    );
    expect(cf.requests).toHaveLength(1);
  });

  describe('without the optional count, page or per_page', () => {
    it.each([
      // [insights, fields left out, server page cap, requests]: without count, paging stops at the first short page.
      [2500, ['count', 'page', 'per_page'], 1000, 3],
      [999, ['count', 'page', 'per_page'], 1000, 1],
      [0, ['count', 'page', 'per_page'], 1000, 1],
      [2000, ['count', 'page', 'per_page'], 1000, 3],
      [2000, ['count'], 1000, 3],
      [250, ['count'], 100, 3],
      [2500, ['page', 'per_page'], 1000, 3],
      [2000, ['page', 'per_page'], 1000, 2],
      [1000, ['per_page'], 1000, 1],
    ] as const)('%i insights without %j (page cap %i): complete in %i request(s)', async (n, omit, cap, expected) => {
      const insights = active(n);
      cf.setInsights(insights);
      cf.setOmit([...omit]);
      cf.setMaxPerPage(cap);
      h = harness(cf);
      const inv = await h.client.fetchInventory(account, NO_FILTERS);
      expect(inv.requests).toBe(expected);
      expect(cf.requests).toHaveLength(expected);
      expect(h.budget.used).toBe(expected);
      expect(inv.complete).toBe(true);
      expect(inv.count).toBe(n);
      expect(inv.insights.map((i) => i.id)).toEqual(insights.map((i) => i.id));
    });

    it('still marks the inventory incomplete when an insight moved between pages', async () => {
      cf.setInsights(active(2500));
      cf.setOmit(['count']);
      cf.failOn(2, 'repeatIds');
      h = harness(cf);
      const inv = await h.client.fetchInventory(account, NO_FILTERS);
      expect(inv.complete).toBe(false);
      expect(inv.incompleteReason).toMatch(/repeated across pages/);
      expect(inv.insights).toHaveLength(2499);
    });

    it('stops when a page brings nothing new (a server that ignores page)', async () => {
      const list = active(1000);
      cf.setInsights(list);
      cf.setOmit(['count', 'page', 'per_page']);
      cf.setMaxPerPage(1000);
      h = harness(cf);
      // Every page answers the first page: ignore ?page by serving a fixed body.
      cf.failAlways({ kind: 'custom', status: 200, body: { success: true, errors: [], messages: [], result: { issues: list } } });
      const inv = await h.client.fetchInventory(account, NO_FILTERS);
      expect(inv.requests).toBe(2);
      expect(inv.complete).toBe(false);
      expect(inv.insights).toHaveLength(1000);
    });
  });

  it('skips a record without an id, counts it and warns once; null fields are read as absent', async () => {
    const list: Insight[] = active(5).map((i, n) => (n === 1 || n === 3 ? ({ ...i, id: n === 1 ? undefined : null } as unknown as Insight) : i));
    list[4] = { ...list[4]!, subject: null, severity: null, issue_class: null, payload: null, dismissed: null } as unknown as Insight;
    cf.setInsights(list);
    h = harness(cf);
    const inv = await h.client.fetchInventory(account, NO_FILTERS);
    expect(inv.requests).toBe(1);
    expect(inv.complete).toBe(true);
    expect(inv.insights.map((i) => i.id)).toEqual([list[0]!.id, list[2]!.id, list[4]!.id]);
    expect(inv.insights[2]).toMatchObject({ subject: '', severity: '', issue_class: '', dismissed: false });
    const warnings = h.log.lines.filter((l) => l.level === 'warning').map((l) => l.message);
    expect(warnings.filter((w) => /without an id/.test(w))).toEqual(['Cloudflare returned 2 insights without an id: they cannot be tracked and were skipped.']);
    // The missing severity is one the threshold cannot rank: said once too.
    expect(warnings.filter((w) => /severity this version does not know \(""\)/.test(w))).toHaveLength(1);
  });

  it('keeps one connection alive across pages and sends the User-Agent', async () => {
    cf.setInsights(active(4500));
    h = harness(cf);
    await h.client.fetchInventory(account, NO_FILTERS);
    expect(new Set(cf.requests.map((r) => r.remotePort)).size).toBe(1);
    expect(cf.requests.every((r) => r.headers['user-agent'] === USER_AGENT)).toBe(true);
    expect(USER_AGENT).toMatch(/^cf-insights\/\d+\.\d+\.\d+/);
    expect(cf.requests[0]!.headers['authorization']).toBe(`Bearer ${FAKE_TOKEN}`);
  });
});

describe('filters', () => {
  const filters: InsightFilters = {
    severity: ['High', 'Critical'],
    excludeSeverity: ['Critical'],
    issueType: [],
    excludeIssueType: ['weak_authentication', 'compliance_violation'],
    includeDismissed: false,
  };

  it('reach the server, repeated per value, with a literal ~', async () => {
    const all = makeInsights(3000, 7);
    cf.setInsights(all);
    h = harness(cf);
    const inv = await h.client.fetchInventory(account, filters);
    const q = cf.requests[0]!.query;
    // The API's query enum has no `high`: no include filter is sent, the client filters.
    expect(q['severity']).toBeUndefined();
    expect(cf.requests.every((r) => !/severity=high/i.test(r.url))).toBe(true);
    expect(q['severity~neq']).toEqual(['critical']);
    expect(q['issue_type~neq']).toEqual(['weak_authentication', 'compliance_violation']);
    expect(q['issue_type']).toBeUndefined();
    expect(q['dismissed']).toEqual(['false']);
    expect(cf.requests[0]!.url).toContain('severity~neq=critical');
    const expected = applyFilters(all, filters);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(1000);
    // Without a server-side include filter the pages hold every severity but Critical.
    const served = applyFilters(all, { ...filters, severity: [] });
    expect(inv.count).toBe(served.length);
    expect(inv.requests).toBe(Math.ceil(served.length / 1000));
    expect(cf.requests).toHaveLength(inv.requests);
    expect(inv.insights.map((i) => i.id)).toEqual(expected.map((i) => i.id));
    expect(inv.insights.every((i) => i.severity === 'High' && i.issue_type === 'exposed_infrastructure')).toBe(true);
  });

  it('are applied again on the client when the server ignores them', async () => {
    const all = makeInsights(2500, 3);
    cf.setInsights(all);
    cf.setIgnoreFilters(true);
    h = harness(cf);
    const inv = await h.client.fetchInventory(account, { ...filters, issueType: ['exposed_infrastructure'] });
    expect(cf.requests[0]!.query['issue_type']).toEqual(['exposed_infrastructure']);
    expect(inv.count).toBe(2500);
    expect(inv.requests).toBe(3);
    expect(inv.complete).toBe(true);
    const expected = applyFilters(all, { ...filters, issueType: ['exposed_infrastructure'] });
    expect(inv.insights.map((i) => i.id)).toEqual(expected.map((i) => i.id));
    expect(inv.insights.length).toBeLessThan(all.length);
    expect(inv.insights.some((i) => i.dismissed)).toBe(false);
  });

  it('ask for dismissed insights too when includeDismissed is set', async () => {
    const all = makeInsights(400, 5);
    expect(all.some((i) => i.dismissed)).toBe(true);
    cf.setInsights(all);
    h = harness(cf);
    const inv = await h.client.fetchInventory(account, { ...NO_FILTERS, includeDismissed: true });
    expect(cf.requests[0]!.query['dismissed']).toBeUndefined();
    expect(inv.insights).toHaveLength(400);
  });
});

describe('scopes and credentials', () => {
  it('fetches a zone', async () => {
    const zoneInsights = active(3, 11);
    cf.setInsights(active(10));
    cf.setInsights(zoneInsights, `zones/${FAKE_ZONE_ID}`);
    h = harness(cf);
    const inv = await h.client.fetchInventory(zone, NO_FILTERS);
    expect(cf.requests[0]!.path).toBe(`/client/v4/zones/${FAKE_ZONE_ID}/security-center/insights`);
    expect(inv.scope).toEqual(zone);
    expect(inv.insights.map((i) => i.id)).toEqual(zoneInsights.map((i) => i.id));
  });

  it('uses the legacy email + key pair without an Authorization header', async () => {
    cf.setInsights(active(2));
    h = harness(cf, { auth: { kind: 'key', email: FAKE_EMAIL, key: FAKE_KEY } });
    const inv = await h.client.fetchInventory(account, NO_FILTERS);
    expect(inv.insights).toHaveLength(2);
    const headers = cf.requests[0]!.headers;
    expect(headers['x-auth-email']).toBe(FAKE_EMAIL);
    expect(headers['x-auth-key']).toBe(FAKE_KEY);
    expect(headers['authorization']).toBeUndefined();
  });
});

describe('shapes', () => {
  it('keeps unknown fields and new vocabulary, reported once at debug level', async () => {
    const base = active(1500, 9);
    const odd = base.map((i, n) =>
      n % 500 === 0
        ? { ...i, severity: 'Severe', issue_type: 'ai_exposure', has_extended_context: true, status: 'active', user_classification: 'false_positive' }
        : i,
    );
    cf.setInsights(odd);
    h = harness(cf);
    const inv = await h.client.fetchInventory(account, { ...NO_FILTERS, includeDismissed: true });
    expect(inv.insights).toHaveLength(1500);
    const first = inv.insights[0]!;
    expect(first).toMatchObject({
      severity: 'Severe',
      issue_type: 'ai_exposure',
      has_extended_context: true,
      status: 'active',
      user_classification: 'false_positive',
    });
    expect(first.payload).toEqual(odd[0]!.payload);
    const reports = h.log.lines.filter((l) => /does not know/.test(l.message));
    // The three "Severe" insights span two pages: one warning for the fetch.
    expect(reports.map((l) => [l.level, l.message.match(/"\w+"/)?.[0]])).toEqual([
      ['debug', '"ai_exposure"'],
      ['warning', '"Severe"'],
    ]);
    expect(reports[1]!.message).toMatch(/^Cloudflare returned 3 insights with a severity this version does not know \("Severe"\)/);
  });

  it('keeps High and lower-case severities and ranks them; an unknown one breaches any threshold', async () => {
    const list = active(4, 11).map((i, n) => ({ ...i, severity: ['High', 'critical', 'low', 'Severe'][n]! }));
    cf.setInsights(list);
    cf.setIgnoreFilters(true);
    h = harness(cf);
    const inv = await h.client.fetchInventory(account, NO_FILTERS);
    expect(inv.insights.map((i) => i.severity)).toEqual(['High', 'critical', 'low', 'Severe']);
    expect([...inv.insights].sort((a, b) => compareSeverityDesc(a.severity, b.severity)).map((i) => i.severity)).toEqual(['critical', 'High', 'low', 'Severe']);
    expect(inv.insights.filter((i) => isAtLeast(i.severity, 'High')).map((i) => i.severity)).toEqual(['High', 'critical', 'Severe']);
    const high = await h.client.fetchInventory(account, { ...NO_FILTERS, severity: ['High'] });
    expect(high.insights.map((i) => i.severity)).toEqual(['High']);
    expect(h.log.lines.filter((l) => l.level === 'warning')).toHaveLength(2);
  });

  it('drops a client-side filter on a new severity only when an include list asks for known ones', async () => {
    cf.setInsights([{ ...active(1)[0]!, severity: 'Severe' }]);
    cf.setIgnoreFilters(true);
    h = harness(cf);
    expect((await h.client.fetchInventory(account, NO_FILTERS)).insights).toHaveLength(1);
    expect((await h.client.fetchInventory(account, { ...NO_FILTERS, severity: ['High'] })).insights).toHaveLength(0);
  });
});
