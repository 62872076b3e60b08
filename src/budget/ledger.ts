/**
 * The monthly request budget of the Security Center endpoint (docs/architecture.md, "The request budget"):
 * every request that may have reached Cloudflare counts, retries and failures included;
 * one that provably never left the machine is refunded. The ledger `{month, used}` is
 * persisted in the state; a ledger of a past month counts as zero.
 */
import { BudgetExhaustedError } from '../errors.js';
import { isoDay, monthOf, nextReset } from './dates.js';

/** The ledger persisted in the state document. */
export interface QuotaLedger {
  /** `YYYY-MM` in UTC. */
  month: string;
  /** Requests spent this month, retries and failures included. */
  used: number;
}

/** The monthly request budget cannot cover what is asked: exit 4. */
export class RequestBudgetError extends BudgetExhaustedError {
  constructor(
    message: string,
    readonly used: number,
    readonly budget: number,
    readonly needed: number,
    readonly resetDate: Date,
  ) {
    super(message, [`used: ${used}`, `budget: ${budget}`, `needed: ${needed}`, `resets: ${resetDate.toISOString()}`]);
  }
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
