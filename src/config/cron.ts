import { Cron } from 'croner';

const FIELD = /^[0-9A-Za-z*]+(?:-[0-9A-Za-z]+)?(?:\/[0-9]+)?(?:,[0-9A-Za-z*]+(?:-[0-9A-Za-z]+)?(?:\/[0-9]+)?)*$/;
const NAMES = /^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|sun|mon|tue|wed|thu|fri|sat)$/i;

export interface CronCheck {
  ok: boolean;
  reason?: string;
}

/**
 * Validates a schedule in the GitHub Actions dialect: POSIX cron, five fields, UTC,
 * with `*`, lists, ranges, steps and month/day names. Croner checks the ranges; the
 * extensions it also knows (`L`, `W`, `#`, `?`, seconds) are refused here because
 * GitHub does not run them. `allowSeconds` admits a sixth leading field for the CLI's
 * watch mode.
 */
export function checkCron(expression: string, options: { allowSeconds?: boolean } = {}): CronCheck {
  const fields = expression.trim().split(/\s+/).filter(Boolean);
  const wanted = options.allowSeconds ? [5, 6] : [5];
  if (!wanted.includes(fields.length)) {
    return { ok: false, reason: `it has ${fields.length} fields; GitHub Actions schedules have 5 (minute hour day-of-month month day-of-week)` };
  }
  for (const field of fields) {
    if (!FIELD.test(field)) return { ok: false, reason: `the field "${field}" is not plain cron (use numbers, names, *, ranges a-b, lists a,b and steps /n)` };
    for (const word of field.match(/[A-Za-z]+/g) ?? []) {
      if (!NAMES.test(word)) return { ok: false, reason: `"${word}" is not a month or day name` };
    }
  }
  try {
    new Cron(fields.join(' '), { paused: true, timezone: 'UTC' });
  } catch (error) {
    return { ok: false, reason: (error as Error).message.replace(/^CronPattern:\s*/, '') };
  }
  return { ok: true };
}

/** The run times of a schedule in [from, to), in UTC. */
export function cronRunsBetween(expression: string, from: Date, to: Date, limit = 100_000): Date[] {
  // A fixed offset gives the same UTC times as timezone 'UTC' without an Intl
  // conversion per step: about 10x faster, which the action's cold start feels.
  const job = new Cron(expression.trim(), { paused: true, utcOffset: 0 });
  const runs: Date[] = [];
  let cursor: Date | null = new Date(from.getTime() - 1);
  while (runs.length < limit) {
    cursor = job.nextRun(cursor);
    if (!cursor || cursor.getTime() >= to.getTime()) break;
    runs.push(cursor);
  }
  return runs;
}

/** The next run of a schedule after `after`, or null when it never runs again. */
export function nextCronRun(expression: string, after: Date): Date | null {
  return new Cron(expression.trim(), { paused: true, utcOffset: 0 }).nextRun(after);
}
