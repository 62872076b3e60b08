import { SCAN_INTERVAL_DAYS, estimateRequests, type Plan } from '../budget/plans.js';
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

const DAY_MS = 86_400_000;
// 2026-06-01 is a Monday; a 31-day window is the worst case any month can bring.
const WINDOW_FROM = new Date(Date.UTC(2026, 5, 1));
const WINDOW_TO = new Date(WINDOW_FROM.getTime() + 31 * DAY_MS);
const PLAN_WORDS: Record<Plan, string> = { free: 'a Free', pro: 'a Pro', business: 'a Business', enterprise: 'an Enterprise' };

/** Runs of a schedule in the longest month (31 days, from a month that starts on a Monday). */
export function runsPerMonth(cron: string): number {
  return cronRunsBetween(cron, WINDOW_FROM, WINDOW_TO, 50_000).length;
}

export interface ScanCoverage {
  plan: Plan;
  /** Cloudflare rescans the account every this many days (SCAN_INTERVAL_DAYS). */
  everyDays: number;
  scansPerMonth: number;
  /**
   * Fetches a month that can see a scan newer than the fetch before. Scans come at a
   * fixed interval at a time we do not know, so a fetch `gap` after the one before sees
   * a new scan with the chance min(1, gap / interval): the sum over the month, 1 decimal.
   */
  fetchesSeeingNewScan: number;
  /** No two fetches closer than the scan interval: every fetch can see a new scan. */
  everyFetchUseful: boolean;
}

/** How a schedule's fetches fall against the plan's scans, in the 31-day window. */
export function scanCoverage(cron: string, plan: Plan): ScanCoverage {
  const everyDays = SCAN_INTERVAL_DAYS[plan];
  const interval = everyDays * DAY_MS;
  // The runs of the window, and the last one of the interval before it (the first run's predecessor).
  const runs = cronRunsBetween(cron, new Date(WINDOW_FROM.getTime() - interval), WINDOW_TO, 100_000).map((d) => d.getTime());
  const first = runs.findIndex((t) => t >= WINDOW_FROM.getTime());
  let seeing = 0;
  let everyFetchUseful = true;
  for (let i = Math.max(first, 0); first >= 0 && i < runs.length; i++) {
    const gap = i > 0 ? runs[i]! - runs[i - 1]! : Infinity;
    seeing += Math.min(1, gap / interval);
    if (gap < interval) everyFetchUseful = false;
  }
  return { plan, everyDays, scansPerMonth: round1(31 / everyDays), fetchesSeeingNewScan: round1(seeing), everyFetchUseful };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

export interface ScheduleAdvice {
  cron: string;
  words: string;
  runsPerMonth: number;
  projected: number;
  /** Every fetch of it can see a new scan. */
  useful: boolean;
}

export interface ScheduleFit {
  cron: string;
  runsPerMonth: number;
  requestsPerRun: number;
  projected: number;
  budget: number;
  fits: boolean;
  scans: ScanCoverage;
  /**
   * The densest schedule of the ladder that fits the budget and whose every fetch can see
   * a new scan (else the densest that fits); null when nothing fits or it was not asked for.
   */
  advice: ScheduleAdvice | null;
  /** The densest schedule of the ladder that fits the budget, useful or not. */
  densestFit: ScheduleAdvice | null;
}

/**
 * Does a schedule fit the monthly budget, how many of its fetches can see a new scan, and
 * which schedule to use instead? Pure. The advice walks a ladder of schedules (thousands
 * of cron steps, ~20 ms of the action's cold start): `advice: 'when-needed'` leaves it out
 * when the schedule fits and every fetch of it can see a new scan. Without a plan, Free's
 * cadence (the longest interval) is assumed.
 */
export function fitSchedule(
  cron: string,
  budget: number,
  inventorySize: number | null,
  options: { plan?: Plan; advice?: 'always' | 'when-needed' } = {},
): ScheduleFit {
  const plan = options.plan ?? 'free';
  const perRun = estimateRequests(inventorySize);
  const runs = runsPerMonth(cron);
  const projected = runs * perRun;
  const fits = projected <= budget;
  const scans = scanCoverage(cron, plan);
  let advice: ScheduleAdvice | null = null;
  let densestFit: ScheduleAdvice | null = null;
  const needed = !fits || !scans.everyFetchUseful || options.advice !== 'when-needed';
  for (const step of needed ? SCHEDULE_LADDER : []) {
    const stepRuns = runsPerMonth(step.cron);
    const p = stepRuns * perRun;
    if (p > budget) continue;
    const useful = scanCoverage(step.cron, plan).everyFetchUseful;
    const candidate = { cron: step.cron, words: step.words, runsPerMonth: stepRuns, projected: p, useful };
    densestFit ??= candidate;
    if (useful) {
      advice = candidate;
      break;
    }
  }
  advice ??= densestFit;
  return { cron, runsPerMonth: runs, requestsPerRun: perRun, projected, budget, fits, scans, advice, densestFit };
}

function scansSentence(fit: ScheduleFit): string {
  const { scans } = fit;
  const cadence = `Cloudflare rescans ${PLAN_WORDS[scans.plan]} account ${scans.everyDays === 1 ? 'daily' : `every ${scans.everyDays} days`}`;
  if (scans.everyFetchUseful) return `${cadence} (about ${scans.scansPerMonth} scans a month): each of its fetches can see a new scan.`;
  return `${cadence} (about ${scans.scansPerMonth} scans a month): about ${scans.fetchesSeeingNewScan} of its ${fit.runsPerMonth} fetches a month can see a new scan.`;
}

function adviceText(advice: ScheduleAdvice): string {
  const what = `"${advice.cron}" (${advice.words}, about ${advice.projected} requests)`;
  return advice.useful ? `${what}, the densest whose every fetch can see a new scan.` : `${what}, the densest that fits.`;
}

/** For a person: whether the schedule fits, how many of its fetches can see a new scan, and what to use instead. */
export function describeFit(fit: ScheduleFit): string {
  const parts = [
    fit.fits
      ? `The schedule "${fit.cron}" runs about ${fit.runsPerMonth} times a month, ${fit.projected} of ${fit.budget} requests.`
      : `The schedule "${fit.cron}" runs about ${fit.runsPerMonth} times a month and needs about ${fit.projected} requests, over the budget of ${fit.budget}.`,
    scansSentence(fit),
  ];
  const advice = fit.advice;
  if (!fit.fits) {
    parts.push(advice ? `A schedule that fits: ${adviceText(advice)}` : 'Not even a monthly run fits: raise monthly-request-budget or narrow the filters.');
  } else if (!fit.scans.everyFetchUseful) {
    if (advice && advice.cron !== fit.cron) parts.push(`A useful schedule: ${adviceText(advice)}`);
  } else if (advice?.useful && advice.runsPerMonth > fit.runsPerMonth) {
    parts.push(`A denser schedule that is still useful: "${advice.cron}" (${advice.words}, about ${advice.projected} requests).`);
  }
  return parts.join(' ');
}

/**
 * The action's line about its schedule: a warning when it cannot fit the budget, an info
 * line when it fits but fetches more often than Cloudflare scans, else a debug line.
 */
export function scheduleNotice(fit: ScheduleFit): { level: 'warning' | 'info' | 'debug'; text: string } {
  const level = !fit.fits ? 'warning' : fit.scans.everyFetchUseful ? 'debug' : 'info';
  return { level, text: describeFit(fit) };
}
