/** The fake itself follows the published shape (others reuse it in end-to-end tests). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_ACCOUNT_ID, FAKE_EMAIL, FAKE_KEY, FAKE_TOKEN, FAKE_ZONE_ID, makeInsights, startCloudflareFake, type CloudflareFake } from './cloudflare.js';

let cf: CloudflareFake;
const all = makeInsights(120, 4);
beforeAll(async () => {
  cf = await startCloudflareFake({ insights: all });
});
afterAll(async () => {
  await cf.close();
});

const auth = { authorization: `Bearer ${FAKE_TOKEN}` };
async function get(query: string, headers: Record<string, string> = auth, path = `accounts/${FAKE_ACCOUNT_ID}`) {
  const res = await fetch(`${cf.url}/${path}/security-center/insights${query}`, { headers });
  return {
    status: res.status,
    body: (await res.json()) as {
      success: boolean;
      errors: { code: number }[];
      result: { count: number; page: number; per_page: number; issues: { id: string; severity: string; issue_type: string; dismissed: boolean }[] };
    },
  };
}

describe('Cloudflare fake', () => {
  it('answers the envelope with per_page 25 and page 1 by default', async () => {
    const { status, body } = await get('');
    expect(status).toBe(200);
    expect(body.success).toBe(true);
    expect(body.errors).toEqual([]);
    expect(body.result).toMatchObject({ count: 120, page: 1, per_page: 25 });
    expect(body.result.issues.map((i) => i.id)).toEqual(all.slice(0, 25).map((i) => i.id));
  });

  it('clamps per_page, echoes it, and serves an empty page past the end', async () => {
    cf.setMaxPerPage(50);
    expect((await get('?per_page=1000&page=3')).body.result).toMatchObject({ per_page: 50, page: 3, count: 120 });
    expect((await get('?per_page=1000&page=3')).body.result.issues).toHaveLength(20);
    expect((await get('?per_page=1000&page=4')).body.result.issues).toHaveLength(0);
    cf.setMaxPerPage(1000);
  });

  it('filters by repeated and ~neq parameters; a severity outside the query enum gets a 400', async () => {
    const { body } = await get('?severity=moderate&severity=critical&issue_type~neq=weak_authentication&dismissed=true&per_page=1000');
    const expected = all.filter((i) => ['Moderate', 'Critical'].includes(i.severity) && i.issue_type !== 'weak_authentication' && i.dismissed);
    expect((await get('?severity=HIGH&per_page=1000')).status).toBe(400);
    expect(body.result.count).toBe(expected.length);
    expect(body.result.issues.map((i) => i.id)).toEqual(expected.map((i) => i.id));
    const sev = await get('?severity~neq=low&per_page=1000');
    expect(sev.body.result.issues.every((i) => i.severity !== 'Low')).toBe(true);
    expect(sev.body.result.count).toBe(all.filter((i) => i.severity !== 'Low').length);
  });

  it('checks the credentials and the scope', async () => {
    expect((await get('', { authorization: 'Bearer nope' })).body.errors[0]!.code).toBe(10000);
    expect((await get('', {})).status).toBe(403);
    expect((await get('', { 'x-auth-email': FAKE_EMAIL, 'x-auth-key': FAKE_KEY })).status).toBe(200);
    expect((await get('', auth, `zones/${FAKE_ZONE_ID}`)).status).toBe(200);
    const unknown = await get('', auth, `accounts/${'b'.repeat(32)}`);
    expect([unknown.status, unknown.body.errors[0]!.code]).toEqual([400, 7003]);
  });

  it('serves faults in order: by number, then queue, then always; and logs requests', async () => {
    cf.reset();
    cf.failOn(2, 'status500');
    cf.failNext('auth');
    cf.failAlways('forbidden');
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get('')).status);
    expect(statuses).toEqual([403, 500, 403, 403]);
    expect(cf.requests.map((r) => r.fault)).toEqual(['auth', 'status500', 'forbidden', 'forbidden']);
    cf.reset();
    expect((await get('?page=2')).status).toBe(200);
    expect(cf.requests).toHaveLength(1);
    expect(cf.requests[0]!.query).toEqual({ page: ['2'] });
    expect(cf.requests[0]!.path).toBe(`/client/v4/accounts/${FAKE_ACCOUNT_ID}/security-center/insights`);
  });

  it('generates realistic insights with unique ids, deterministically', () => {
    const a = makeInsights(5000, 1);
    expect(new Set(a.map((i) => i.id)).size).toBe(5000);
    expect(makeInsights(50, 1)).toEqual(a.slice(0, 50));
    expect(makeInsights(50, 2)).not.toEqual(a.slice(0, 50));
    expect(new Set(a.map((i) => i.issue_class)).size).toBeGreaterThanOrEqual(10);
    expect(new Set(a.map((i) => i.severity))).toEqual(new Set(['Low', 'Moderate', 'High', 'Critical']));
    for (const i of a.slice(0, 100)) {
      expect(i.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(i.subject).not.toBe('');
      expect(i.resolve_link).toMatch(/^https:\/\/dash\.cloudflare\.com\//);
    }
  });
});
