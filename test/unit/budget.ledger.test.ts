import { describe, expect, it } from 'vitest';
import { isoDay, monthOf, nextReset } from '../../src/budget/dates.js';
import { RequestBudget, RequestBudgetError } from '../../src/budget/ledger.js';
import { estimateRequests } from '../../src/budget/plans.js';
import { BudgetExhaustedError, EXIT, exitCodeOf } from '../../src/errors.js';

const at = (iso: string) => () => new Date(iso);

describe('quota helpers', () => {
  it.each([
    ['2026-11-15T12:00:00Z', '2026-11', '2026-12-01'],
    ['2026-12-31T23:59:59Z', '2026-12', '2027-01-01'],
    ['2027-01-01T00:00:00Z', '2027-01', '2027-02-01'],
    ['2028-02-29T10:00:00Z', '2028-02', '2028-03-01'],
  ])('%s is month %s and resets on %s', (iso, month, reset) => {
    expect(monthOf(new Date(iso))).toBe(month);
    expect(nextReset(new Date(iso)).toISOString()).toBe(`${reset}T00:00:00.000Z`);
  });

  it.each([
    [null, 1],
    [0, 1],
    [1, 1],
    [999, 1],
    [1000, 1],
    [1001, 2],
    [5000, 5],
    [100_000, 100],
  ])('estimateRequests(%s) = %i', (n, expected) => {
    expect(estimateRequests(n)).toBe(expected);
  });
});

describe('RequestBudget', () => {
  it('continues the ledger of the current month', () => {
    const b = new RequestBudget({ month: '2026-11', used: 40 }, 100, at('2026-11-15T00:00:00Z'));
    expect([b.used, b.remaining, b.budget]).toEqual([40, 60, 100]);
    expect(b.ledger()).toEqual({ month: '2026-11', used: 40 });
  });

  it('resets a ledger of a past month, and starts from nothing without one', () => {
    expect(new RequestBudget({ month: '2026-10', used: 99 }, 100, at('2026-11-01T00:00:00Z')).used).toBe(0);
    const b = new RequestBudget(null, 2500, at('2026-11-01T00:00:00Z'));
    expect(b.ledger()).toEqual({ month: '2026-11', used: 0 });
    expect(b.remaining).toBe(2500);
  });

  it('rolls over when the month changes during a long-running process', () => {
    let now = new Date('2026-11-30T23:59:00Z');
    const b = new RequestBudget({ month: '2026-11', used: 100 }, 100, () => now);
    expect(b.remaining).toBe(0);
    now = new Date('2026-12-01T00:01:00Z');
    expect(b.remaining).toBe(100);
    b.spend();
    expect(b.ledger()).toEqual({ month: '2026-12', used: 1 });
  });

  it('counts every spend and refuses when nothing is left', () => {
    const b = new RequestBudget({ month: '2026-11', used: 98 }, 100, at('2026-11-15T00:00:00Z'));
    b.spend();
    b.spend();
    expect(b.used).toBe(100);
    const error = (() => {
      try {
        b.spend();
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(RequestBudgetError);
    expect(error).toBeInstanceOf(BudgetExhaustedError);
    expect(exitCodeOf(error)).toBe(EXIT.budget);
    expect(b.used).toBe(100);
  });

  it('refuses a run that cannot complete, saying used, left, needed and the reset date', () => {
    const b = new RequestBudget({ month: '2026-11', used: 98 }, 100, at('2026-11-15T00:00:00Z'));
    expect(() => b.assertCanStart(2)).not.toThrow();
    expect(() => b.assertCanStart(3)).toThrow(
      'Request budget exhausted: 98 of 100 used this month, 2 left, this run needs 3; resets 2026-12-01. Raise monthly-request-budget, lower the schedule or narrow the filters.',
    );
    try {
      b.assertCanStart(3);
    } catch (e) {
      const err = e as RequestBudgetError;
      expect([err.used, err.budget, err.needed, isoDay(err.resetDate)]).toEqual([98, 100, 3, '2026-12-01']);
      expect(err.exitCode).toBe(4);
    }
    expect(b.used).toBe(98);
  });

  it('reports a ledger over a lowered budget as nothing left', () => {
    const b = new RequestBudget({ month: '2026-11', used: 150 }, 100, at('2026-11-15T00:00:00Z'));
    expect(b.remaining).toBe(0);
    expect(() => b.assertCanStart(1)).toThrow(/150 of 100 used this month, 0 left/);
  });
});
