/**
 * The monthly request budget of the Security Center endpoint (DESIGN.md, "Quota"):
 * every request that may have reached Cloudflare counts, retries and failures included;
 * one that provably never left the machine is refunded. The ledger `{month, used}` is
 * persisted in the state; a ledger of a past month counts as zero.
 */
import type { Plan } from '../config/settings.js';
import type { QuotaLedger } from '../state/types.js';
import { RequestBudgetError } from './errors.js';

/**
 * How often Cloudflare rescans an account for Security Insights, in days, by plan: the one
 * place this is written (the schedule advice of `quota`, `validate` and the action read it).
 * Source: https://developers.cloudflare.com/security/security-insights/how-it-works/
 * ("Scan frequency"), read 2026-12-08: Free every 7 days, Pro and Business every 3 days,
 * Enterprise daily; on-demand scans on every plan. An older version of the page said every
 * 7 days for Free, Pro and Business and every 3 days for Enterprise.
 */
export const SCAN_INTERVAL_DAYS: Readonly<Record<Plan, number>> = { free: 7, pro: 3, business: 3, enterprise: 1 };

/** The page size the client asks for; the API caps it at this. */
export const PAGE_SIZE = 1000;

/** `YYYY-MM` of a date, in UTC. */
export function monthOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}

/** The first instant of the next month, UTC: when the quota resets. */
export function nextReset(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));
}

/** `YYYY-MM-DD` of a date in UTC. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Requests a complete fetch needs: one per page of PAGE_SIZE, at least one. */
export function estimateRequests(lastInventorySize: number | null): number {
  return Math.max(1, Math.ceil((lastInventorySize ?? 0) / PAGE_SIZE));
}

const ADVICE = 'Raise monthly-request-budget, lower the schedule or narrow the filters.';

export class RequestBudget {
  readonly budget: number;
  private readonly now: () => Date;
  private month: string;
  private spent: number;

  constructor(ledger: QuotaLedger | null | undefined, budget: number, now: () => Date = () => new Date()) {
    if (!Number.isInteger(budget) || budget < 0) throw new RangeError(`budget must be a whole number >= 0, got ${budget}`);
    this.budget = budget;
    this.now = now;
    const month = monthOf(now());
    this.month = month;
    this.spent = ledger && ledger.month === month ? Math.max(0, Math.floor(ledger.used)) : 0;
  }

  /** A new month starts from zero, even in the middle of a long-running process. */
  private roll(): void {
    const month = monthOf(this.now());
    if (month !== this.month) {
      this.month = month;
      this.spent = 0;
    }
  }

  get used(): number {
    this.roll();
    return this.spent;
  }

  get remaining(): number {
    return Math.max(0, this.budget - this.used);
  }

  resetDate(): Date {
    return nextReset(this.now());
  }

  /** The ledger to persist. */
  ledger(): QuotaLedger {
    this.roll();
    return { month: this.month, used: this.spent };
  }

  /** Refuses a run that cannot complete within what is left, before any request. */
  assertCanStart(estimatedRequests: number): void {
    if (estimatedRequests > this.remaining) throw this.exhausted(estimatedRequests, 'this run needs');
  }

  /** Mid-run: refuses to go on when the pages still to fetch do not fit. */
  assertCanContinue(moreRequests: number): void {
    if (moreRequests > this.remaining) throw this.exhausted(moreRequests, 'the remaining pages need');
  }

  /** Counts one request; call before every request, retries included. */
  spend(): void {
    if (this.remaining < 1) throw this.exhausted(1, 'the next request needs');
    this.spent += 1;
  }

  /** Gives back one request that provably never reached Cloudflare (DNS failure, connection refused). */
  refund(): void {
    this.roll();
    if (this.spent > 0) this.spent -= 1;
  }

  private exhausted(needed: number, what: string): RequestBudgetError {
    const used = this.used;
    const left = this.remaining;
    const reset = this.resetDate();
    return new RequestBudgetError(
      `Request budget exhausted: ${used} of ${this.budget} used this month, ${left} left, ${what} ${needed}; resets ${isoDay(reset)}. ${ADVICE}`,
      used,
      this.budget,
      needed,
      reset,
    );
  }
}
