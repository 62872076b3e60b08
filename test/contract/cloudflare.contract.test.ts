/**
 * The client and the fake held to Cloudflare's published contract of the list operation
 * (test/contract/cloudflare-insights.schema.json): every request the client can make
 * passes it, the fake refuses what the API would refuse, and the sample looks like what
 * the API returns.
 */
import { readFileSync } from 'node:fs';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../../src/budget/plans.js';
import { insightsPath, insightsQuery } from '../../src/cloudflare/query.js';
import { NO_FILTERS } from '../../src/insights/filter.js';
import { ISSUE_TYPES, SEVERITIES, type InsightFilters, type Severity } from '../../src/insights/types.js';
import { contract, describeErrors } from '../fakes/contract.js';
import { FAKE_ACCOUNT_ID, FAKE_TOKEN, makeInsights, startCloudflareFake, type CloudflareFake } from '../fakes/cloudflare.js';
import { harness, type Harness } from '../support/cloudflare-helpers.js';
import { SAMPLE_INVENTORY } from '../support/cli-runner.js';

const account = { kind: 'accounts', id: FAKE_ACCOUNT_ID } as const;

function subsets<T>(xs: readonly T[]): T[][] {
  return xs.reduce<T[][]>((acc, x) => acc.flatMap((s) => [s, [...s, x]]), [[]]);
}

/** The request as the contract describes it: path and every value of every parameter. */
function asRequest(path: string, query: string) {
  const q: Record<string, string[]> = {};
  for (const [k, v] of new URLSearchParams(query)) {
    q[k] ??= [];
    q[k].push(v);
  }
  return { method: 'GET', path, query: q };
}

const severityCombos = subsets(SEVERITIES) as Severity[][];
const typeCombos: string[][] = [[], ['email_security'], [...ISSUE_TYPES]];

describe('the contract fixture', () => {
  it('compiles, and refuses what the API does not define', () => {
    const path = insightsPath('/client/v4', account);
    const ok = (query: Record<string, string[]>) => contract.request({ method: 'GET', path, query });
    expect(ok({ severity: ['low', 'critical'], page: ['1'], per_page: ['1000'] })).toBe(true);
    const refused: Record<string, string[]>[] = [
      { severity: ['high'] },
      { severity: ['Low'] },
      { 'severity~neq': ['high'] },
      { per_page: ['0'] },
      { per_page: ['1001'] },
      { page: ['0'] },
      { page: ['1', '2'] },
      { dismissed: ['yes'] },
      { issue_type: ['bogus'] },
      { sort: ['severity'] },
    ];
    for (const query of refused) {
      expect(ok(query), JSON.stringify(query)).toBe(false);
    }
  });
});

describe('every request the client can make passes the contract', () => {
  it('insightsQuery, for every combination of severities, excluded severities, types, excluded types and dismissed', () => {
    const path = insightsPath('/client/v4', account);
    let checked = 0;
    for (const severity of severityCombos)
      for (const excludeSeverity of severityCombos)
        for (const issueType of typeCombos)
          for (const excludeIssueType of typeCombos)
            for (const includeDismissed of [false, true])
              for (const page of [1, 7]) {
                const filters: InsightFilters = { severity, excludeSeverity, issueType, excludeIssueType, includeDismissed };
                const req = asRequest(path, insightsQuery(filters, page, PAGE_SIZE));
                if (!contract.request(req)) throw new Error(`${JSON.stringify(filters)}: ${describeErrors(contract.request.errors).join('; ')}`);
                checked += 1;
              }
    expect(checked).toBe(16 * 16 * 3 * 3 * 2 * 2);
  });

  describe('through the real client and the fake', () => {
    let cf: CloudflareFake;
    let h: Harness | undefined;
    beforeAll(async () => {
      cf = await startCloudflareFake({ insights: makeInsights(30, 4) });
    });
    afterAll(() => cf.close());
    afterEach(async () => {
      await h?.client.close();
      h = undefined;
      cf.reset();
    });

    it('for every combination of severity filters, dismissed or not: no request refused, no response outside the contract', async () => {
      h = harness(cf);
      for (const severity of severityCombos)
        for (const excludeSeverity of severityCombos)
          for (const includeDismissed of [false, true]) {
            await h.client.fetchInventory(account, { ...NO_FILTERS, severity, excludeSeverity, includeDismissed });
          }
      expect(cf.requests).toHaveLength(16 * 16 * 2);
      expect(cf.requests.filter((r) => /severity(~neq)?=high/i.test(r.url))).toEqual([]);
      expect(cf.violations).toEqual([]);
    });
  });
});

describe('the fake answers a request outside the contract as the API would', () => {
  let cf: CloudflareFake;
  beforeAll(async () => {
    cf = await startCloudflareFake({ insights: makeInsights(5, 4) });
  });
  afterAll(() => cf.close());

  it.each([
    'severity=high',
    'severity=High',
    'severity~neq=high',
    'per_page=0',
    'per_page=5000',
    'page=0',
    'dismissed=maybe',
    'issue_type=quantum',
    'order=severity',
  ])('%s: 400 with the error envelope', async (query) => {
    const res = await request(`${cf.url}/accounts/${FAKE_ACCOUNT_ID}/security-center/insights?${query}`, {
      headers: { authorization: `Bearer ${FAKE_TOKEN}` },
    });
    expect(res.statusCode).toBe(400);
    const body = await res.body.json();
    expect(contract.errorResponse(body), JSON.stringify(contract.errorResponse.errors)).toBe(true);
    expect(JSON.stringify(body)).toMatch(/Invalid query/);
  });

  it('answers a valid request with a body inside the contract', async () => {
    const res = await request(`${cf.url}/accounts/${FAKE_ACCOUNT_ID}/security-center/insights?severity=low&severity=critical&per_page=2`, {
      headers: { authorization: `Bearer ${FAKE_TOKEN}` },
    });
    expect(res.statusCode).toBe(200);
    const body = await res.body.json();
    expect(contract.listResponse(body), JSON.stringify(contract.listResponse.errors)).toBe(true);
  });

  it('refuses to send a response outside the contract (a dismissed flag that is not a boolean)', async () => {
    cf.setInsights([{ ...makeInsights(1, 4)[0]!, dismissed: 'no' as unknown as boolean }]);
    const res = await request(`${cf.url}/accounts/${FAKE_ACCOUNT_ID}/security-center/insights?dismissed=false`, {
      headers: { authorization: `Bearer ${FAKE_TOKEN}` },
    });
    expect(res.statusCode).toBe(500);
    expect(await res.body.text()).toMatch(/outside the published contract: \/result\/issues\/0\/dismissed must be boolean/);
    expect(cf.violations).toHaveLength(1);
  });
});

describe('samples/inventory.json looks like what the API returns', () => {
  it('every insight passes the published insight schema, with the payload fields it publishes (detection_method, zone_tag)', () => {
    const sample = JSON.parse(readFileSync(SAMPLE_INVENTORY, 'utf8')) as { insights: Record<string, unknown>[] };
    expect(sample.insights.length).toBeGreaterThan(10);
    for (const insight of sample.insights) {
      expect(contract.insight(insight), `${String(insight['id'])}: ${describeErrors(contract.insight.errors).join('; ')}`).toBe(true);
      expect(insight['payload']).toHaveProperty('detection_method');
    }
    // Zone-level insights name their zone; account-level ones (an IP address, a member) need not.
    expect(sample.insights.filter((i) => (i['payload'] as Record<string, unknown>)['zone_tag']).length).toBeGreaterThan(10);
    expect(sample.insights.some((i) => i['status'] === 'resolved')).toBe(true);
    expect(new Set(sample.insights.map((i) => i['severity']))).toEqual(new Set(['Low', 'Moderate', 'Critical']));
  });
});
