/** When to try a failed request again, and how long to wait first. */
import type { CloudflareError } from './errors.js';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  retryBaseMs: number;
  maxRetryDelayMs: number;
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** Exponential backoff with "equal jitter": half fixed, half random, capped. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const exp = Math.min(policy.maxRetryDelayMs, policy.retryBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; why: string };

/**
 * After `attempt` attempts (1-based) failed with `error`: retry, and after how long?
 * A Retry-After longer than we are willing to wait ends the run at once, rather than
 * spending requests that would be refused.
 */
export function decideRetry(error: CloudflareError, attempt: number, policy: RetryPolicy, random: () => number): RetryDecision {
  if (!error.retryable) return { retry: false, why: 'not retryable' };
  if (attempt > policy.maxRetries) return { retry: false, why: `retries exhausted (${policy.maxRetries})` };
  if (error.retryAfterMs !== undefined) {
    if (error.retryAfterMs > policy.maxRetryDelayMs) {
      return { retry: false, why: `Retry-After ${error.retryAfterMs} ms exceeds the ${policy.maxRetryDelayMs} ms cap` };
    }
    return { retry: true, delayMs: error.retryAfterMs };
  }
  return { retry: true, delayMs: backoffDelay(attempt, policy, random) };
}
