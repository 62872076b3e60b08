/** Dates of an insight (`since`, `timestamp`) as a reader wants them: days, and ages in days. */
import { isoDay } from '../budget/dates.js';

const DAY_MS = 86_400_000;

/** The UTC calendar day of an ISO date or timestamp, as epoch days; null for anything else. */
function epochDay(value: unknown): number | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}(?:$|T)/.test(value.trim())) return null;
  const ms = Date.parse(value.trim());
  return Number.isNaN(ms) ? null : Math.floor(ms / DAY_MS);
}

/** `2026-01-12` for an ISO date or timestamp, else null. */
export function dateText(value: unknown): string | null {
  const day = epochDay(value);
  return day === null ? null : isoDay(new Date(day * DAY_MS));
}

/** `45 days ago`, `1 day ago` or `today`, in whole UTC days up to `now`; null when either is not a date or `since` is later. */
export function ageText(since: unknown, now: unknown): string | null {
  const day = epochDay(since);
  const today = epochDay(now);
  if (day === null || today === null || today < day) return null;
  const age = today - day;
  return age === 0 ? 'today' : `${age} ${age === 1 ? 'day' : 'days'} ago`;
}
