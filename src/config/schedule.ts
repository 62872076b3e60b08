import { estimateRequests } from '../cloudflare/quota.js';
import { cronRunsBetween } from './cron.js';

/** Schedules offered as advice, densest first. */
export const SCHEDULE_LADDER: { cron: string; words: string }[] = [
  { cron: '0 * * * *', words: 'hourly' },
  { cron: '0 */2 * * *', words: 'every 2 hours' },
  { cron: '0 */3 * * *', words: 'every 3 hours' },
  { cron: '0 */4 * * *', words: 'every 4 hours' },
  { cron: '0 */6 * * *', words: 'every 6 hours' },
  { cron: '0 */8 * * *', words: 'every 8 hours' },
  { cron: '0 */12 * * *', words: 'every 12 hours' },
  { cron: '0 6 * * *', words: 'daily' },
  { cron: '0 6 */2 * *', words: 'every other day' },
  { cron: '0 6 * * 1,4', words: 'twice a week' },
  { cron: '0 6 * * 1', words: 'weekly' },
  { cron: '0 6 1 * *', words: 'monthly' },
];

/** Runs of a schedule in the longest month (31 days, from a month that starts on a Monday). */
export function runsPerMonth(cron: string): number {
  // 2026-06-01 is a Monday; a 31-day window is the worst case any month can bring.
  const from = new Date(Date.UTC(2026, 5, 1));
  const to = new Date(from.getTime() + 31 * 86_400_000);
  return cronRunsBetween(cron, from, to, 50_000).length;
}

export interface ScheduleFit {
  cron: string;
  runsPerMonth: number;
  requestsPerRun: number;
  projected: number;
  budget: number;
  fits: boolean;
  /** The densest schedule of the ladder that fits the budget, if the given one does not. */
  advice: { cron: string; words: string; projected: number } | null;
}

/**
 * Does a schedule fit the monthly budget, and what is the densest one that would? Pure.
 * The advice walks a ladder of schedules (thousands of cron steps, ~20 ms of the action's
 * cold start): `advice: 'when-over'` leaves it out when the schedule fits.
 */
export function fitSchedule(cron: string, budget: number, inventorySize: number | null, options: { advice: 'always' | 'when-over' } = { advice: 'always' }): ScheduleFit {
  const perRun = estimateRequests(inventorySize);
  const runs = runsPerMonth(cron);
  const projected = runs * perRun;
  const fits = projected <= budget;
  let advice: ScheduleFit['advice'] = null;
  const ladder = fits && options.advice === 'when-over' ? [] : SCHEDULE_LADDER;
  for (const step of ladder) {
    const p = runsPerMonth(step.cron) * perRun;
    if (p <= budget) {
      advice = { cron: step.cron, words: step.words, projected: p };
      break;
    }
  }
  return { cron, runsPerMonth: runs, requestsPerRun: perRun, projected, budget, fits, advice };
}

/** One line for a person: the warning when it does not fit. */
export function describeFit(fit: ScheduleFit): string {
  if (fit.fits) {
    return `The schedule "${fit.cron}" runs about ${fit.runsPerMonth} times a month, ${fit.projected} of ${fit.budget} requests.`;
  }
  const advice = fit.advice
    ? ` A schedule that fits: "${fit.advice.cron}" (${fit.advice.words}, about ${fit.advice.projected} requests).`
    : ' Not even a monthly run fits: raise monthly-request-budget or narrow the filters.';
  return `The schedule "${fit.cron}" runs about ${fit.runsPerMonth} times a month and needs about ${fit.projected} requests, over the budget of ${fit.budget}.${advice}`;
}
