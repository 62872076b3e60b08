/**
 * The scan cadence against a schedule: how many of its fetches can see a new scan,
 * whether it fits the budget, and the densest schedule that is useful (every fetch can
 * see a new scan) and fits. Table-driven over plans, schedules and inventory sizes.
 */
import { describe, expect, it } from 'vitest';
import { describeFit, fitSchedule, scheduleNotice } from '../../src/config/schedule.js';
import { PLANS, SCAN_INTERVAL_DAYS, type Plan } from '../../src/budget/plans.js';

const HOURLY = '0 * * * *';
const EVERY_8_HOURS = '0 */8 * * *';
const DAILY = '0 6 * * *';
const EVERY_OTHER_DAY = '0 6 */2 * *';
const TWICE_A_WEEK = '0 6 * * 1,4';
const WEEKLY = '0 6 * * 1';
const MONTHLY = '0 6 1 * *';

describe('the scan cadence table', () => {
  it("has one entry per plan: Free 7 days, Pro and Business 3, Enterprise 1 (Cloudflare's docs)", () => {
    expect(Object.keys(SCAN_INTERVAL_DAYS).sort()).toEqual([...PLANS].sort());
    expect(SCAN_INTERVAL_DAYS).toEqual({ free: 7, pro: 3, business: 3, enterprise: 1 });
  });
});

describe('fetches that can see a new scan', () => {
  // In the longest month (31 days); a fetch can see a new scan with the chance that a scan
  // fell since the fetch before: min(1, gap / scan interval), summed over the month.
  const cases: [string, Plan, number, number, boolean][] = [
    [HOURLY, 'free', 744, 4.4, false],
    [DAILY, 'free', 31, 4.4, false],
    [TWICE_A_WEEK, 'free', 9, 4.6, false],
    [WEEKLY, 'free', 5, 5, true],
    // The 31-day window from June 1st holds July 1st too: the worst case any month can bring.
    [MONTHLY, 'free', 2, 2, true],
    [HOURLY, 'pro', 744, 10.3, false],
    [DAILY, 'business', 31, 10.3, false],
    [EVERY_OTHER_DAY, 'pro', 16, 10.3, false],
    [TWICE_A_WEEK, 'pro', 9, 9, true],
    [WEEKLY, 'business', 5, 5, true],
    [HOURLY, 'enterprise', 744, 31, false],
    [EVERY_8_HOURS, 'enterprise', 93, 31, false],
    [DAILY, 'enterprise', 31, 31, true],
    [EVERY_OTHER_DAY, 'enterprise', 16, 16, true],
  ];
  it.each(cases)('"%s" on %s: %i fetches a month, about %d can see a new scan (every one: %s)', (cron, plan, runs, seeing, every) => {
    const fit = fitSchedule(cron, 1_000_000, null, { plan });
    expect(fit.runsPerMonth).toBe(runs);
    expect(fit.scans.everyDays).toBe(SCAN_INTERVAL_DAYS[plan]);
    expect(fit.scans.fetchesSeeingNewScan).toBe(seeing);
    expect(fit.scans.everyFetchUseful).toBe(every);
  });
});

describe('advice: the densest schedule that is useful and fits, not only the densest that fits', () => {
  // [cron, plan, inventory size, fits, advice (useful and fits), densest that fits]
  const cases: [string, Plan, number | null, boolean, string | null, string | null][] = [
    [HOURLY, 'free', null, false, WEEKLY, EVERY_8_HOURS],
    [DAILY, 'free', null, true, WEEKLY, EVERY_8_HOURS],
    [WEEKLY, 'free', null, true, WEEKLY, EVERY_8_HOURS],
    [HOURLY, 'pro', null, false, TWICE_A_WEEK, EVERY_8_HOURS],
    [DAILY, 'business', null, true, TWICE_A_WEEK, EVERY_8_HOURS],
    [HOURLY, 'enterprise', null, true, DAILY, HOURLY],
    [EVERY_8_HOURS, 'enterprise', null, true, DAILY, HOURLY],
    // 5,000 insights: 5 requests a fetch. Weekly still fits Free's 100 (25 requests).
    [DAILY, 'free', 5000, false, WEEKLY, EVERY_OTHER_DAY],
    // 100,000 insights: 100 requests a fetch. Enterprise's 2,500 cannot pay for a daily
    // fetch (3,100): every other day is the densest useful one that fits.
    [DAILY, 'enterprise', 100_000, false, EVERY_OTHER_DAY, EVERY_OTHER_DAY],
    // 30,000 insights: 30 requests a fetch; only a monthly fetch fits Free's 100, and it is useful.
    [WEEKLY, 'free', 30_000, false, MONTHLY, MONTHLY],
    // 200,000 insights: 200 requests; nothing fits.
    [MONTHLY, 'free', 200_000, false, null, null],
  ];
  it.each(cases)('"%s" on %s with %s insights: fits=%s, advice %s (densest that fits %s)', (cron, plan, size, fits, advice, densest) => {
    const budget = plan === 'enterprise' ? 2500 : 100;
    const fit = fitSchedule(cron, budget, size, { plan });
    expect(fit.fits).toBe(fits);
    expect(fit.advice?.cron ?? null).toBe(advice);
    expect(fit.densestFit?.cron ?? null).toBe(densest);
    if (fit.advice) expect(fit.advice.projected).toBeLessThanOrEqual(budget);
  });

  it('a larger inventory pushes the advice to a sparser schedule that is still useful', () => {
    // A budget of 40 with 10 requests a fetch: weekly (50) is over, monthly (20) fits and is useful.
    expect(fitSchedule(DAILY, 40, 10_000, { plan: 'free' }).advice).toMatchObject({ cron: MONTHLY, useful: true, projected: 20 });
    // On Enterprise a daily fetch is useful; with 90 requests a fetch only every other day fits (1,440).
    expect(fitSchedule(HOURLY, 2500, 90_000, { plan: 'enterprise' }).advice).toMatchObject({ cron: EVERY_OTHER_DAY, useful: true });
  });
});

describe('in words', () => {
  it('over the budget: the projection, the fetches that can see a new scan, and the advice', () => {
    const text = describeFit(fitSchedule(HOURLY, 100, null, { plan: 'free' }));
    expect(text).toBe(
      'The schedule "0 * * * *" runs about 744 times a month and needs about 744 requests, over the budget of 100. ' +
        'Cloudflare rescans a Free account every 7 days (about 4.4 scans a month): about 4.4 of its 744 fetches a month can see a new scan. ' +
        'A schedule that fits: "0 6 * * 1" (weekly, about 5 requests), the densest whose every fetch can see a new scan.',
    );
  });

  it('within the budget but fetching more often than Cloudflare scans', () => {
    expect(describeFit(fitSchedule(DAILY, 100, null, { plan: 'free' }))).toBe(
      'The schedule "0 6 * * *" runs about 31 times a month, 31 of 100 requests. ' +
        'Cloudflare rescans a Free account every 7 days (about 4.4 scans a month): about 4.4 of its 31 fetches a month can see a new scan. ' +
        'A useful schedule: "0 6 * * 1" (weekly, about 5 requests), the densest whose every fetch can see a new scan.',
    );
  });

  it('useful and within the budget', () => {
    expect(describeFit(fitSchedule(TWICE_A_WEEK, 100, null, { plan: 'pro' }))).toBe(
      'The schedule "0 6 * * 1,4" runs about 9 times a month, 9 of 100 requests. ' +
        'Cloudflare rescans a Pro account every 3 days (about 10.3 scans a month): each of its fetches can see a new scan.',
    );
  });

  it('useful, but a denser schedule would be too', () => {
    expect(describeFit(fitSchedule(WEEKLY, 100, null, { plan: 'pro' }))).toBe(
      'The schedule "0 6 * * 1" runs about 5 times a month, 5 of 100 requests. ' +
        'Cloudflare rescans a Pro account every 3 days (about 10.3 scans a month): each of its fetches can see a new scan. ' +
        'A denser schedule that is still useful: "0 6 * * 1,4" (twice a week, about 9 requests).',
    );
  });

  it('nothing fits', () => {
    expect(describeFit(fitSchedule(MONTHLY, 100, 200_000, { plan: 'free' }))).toMatch(
      /over the budget of 100\. .* Not even a monthly run fits: raise monthly-request-budget or narrow the filters\.$/,
    );
  });
});

describe("the action's notice", () => {
  it.each([
    [HOURLY, 'free', 'warning'],
    [DAILY, 'free', 'info'],
    [WEEKLY, 'free', 'debug'],
    [HOURLY, 'enterprise', 'info'],
    [DAILY, 'enterprise', 'debug'],
    ['*/15 * * * *', 'enterprise', 'warning'],
  ] as [string, Plan, string][])('"%s" on %s: %s', (cron, plan, level) => {
    const budget = plan === 'enterprise' ? 2500 : 100;
    const notice = scheduleNotice(fitSchedule(cron, budget, null, { plan, advice: 'when-needed' }));
    expect(notice.level).toBe(level);
    expect(notice.text).toContain(`"${cron}"`);
    if (level !== 'debug') expect(notice.text).toMatch(/A (useful )?schedule( that fits)?: "/);
  });

  it('advice only when needed: a useful schedule that fits computes no ladder', () => {
    expect(fitSchedule(WEEKLY, 100, null, { plan: 'free', advice: 'when-needed' }).advice).toBeNull();
    expect(fitSchedule(DAILY, 100, null, { plan: 'free', advice: 'when-needed' }).advice?.cron).toBe(WEEKLY);
  });
});
