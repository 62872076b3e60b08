/**
 * The octokit client: @octokit/rest with the throttling plugin (one write at a time,
 * spaced out, and a bounded wait-and-retry on primary and secondary rate limits) and the
 * retry plugin (5xx and network errors). Every HTTP attempt is counted, retries and
 * pages included, because the sync reports the GitHub requests of each run.
 */
import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling, type ThrottlingOptions } from '@octokit/plugin-throttling';
import { DEFAULT_GITHUB_API_URL } from '../config/settings.js';
import { silentLogger, type Logger } from '../log.js';
import { redactor } from '../redact.js';
import { USER_AGENT } from '../version.js';

export type BottleneckGroup = NonNullable<ThrottlingOptions['write']>;

/** Tuning of the throttling plugin. Production uses the defaults; see fastThrottleForTests(). */
export interface GithubThrottleTuning {
  /** Retries after a (primary or secondary) rate limit before giving up; default 2. */
  rateLimitRetries?: number;
  /** A rate limit asking to wait longer than this (seconds) is not waited for; default 300. */
  maxRetryAfterSeconds?: number;
  /** Milliseconds per second of a `retry-after` (1000); also paces the retry plugin's backoff. */
  retryAfterBaseValue?: number;
  /** Wait (seconds) after a secondary rate limit that has no `retry-after`; default 60. */
  fallbackSecondaryRateRetryAfter?: number;
  /** Limiter for writes (default: one at a time, 1 s apart). */
  write?: BottleneckGroup;
  /** Limiter for writes that notify (issues, comments; default: one at a time, 3 s apart). */
  notifications?: BottleneckGroup;
  search?: BottleneckGroup;
}

export interface GithubClientOptions {
  token: string;
  /** `GITHUB_API_URL`; default https://api.github.com. */
  baseUrl?: string;
  log?: Logger;
  /** Retries of 5xx and network errors by the retry plugin; default 3. */
  retries?: number;
  throttle?: GithubThrottleTuning;
  userAgent?: string;
}

export interface GithubStats {
  /** HTTP requests sent, every retry and page included. */
  requests: number;
  /** Of which writes (anything but GET/HEAD). */
  writes: number;
  /** Rate-limit answers met (primary or secondary). */
  rateLimited: number;
  /** The `date` header of the latest answer: GitHub's clock, for a later `since`. */
  serverTime: string | null;
}

export interface GithubClient {
  octokit: Octokit;
  stats: GithubStats;
}

const GithubOctokit = Octokit.plugin(throttling, retry);

function octokitLog(log: Logger) {
  // octokit passes request options (headers included) as extra arguments: never log them.
  const line = (message: unknown) => (typeof message === 'string' ? `octokit: ${message}` : 'octokit: (object)');
  return {
    debug: (message: unknown) => {
      if (message !== 'request') log.debug(line(message));
    },
    info: (message: unknown) => log.debug(line(message)),
    warn: (message: unknown) => log.warning(line(message)),
    // The request-log plugin reports every non-2xx here, expected 404s included; the
    // callers turn real failures into one clear line, so this stays at debug level.
    error: (message: unknown) => log.debug(line(message)),
  };
}

function isoDate(httpDate: string | null): string | null {
  if (!httpDate) return null;
  const ms = Date.parse(httpDate);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function createGithubClient(options: GithubClientOptions): GithubClient {
  const log = options.log ?? silentLogger;
  const tuning = options.throttle ?? {};
  const rateLimitRetries = tuning.rateLimitRetries ?? 2;
  const maxRetryAfter = tuning.maxRetryAfterSeconds ?? 300;
  const stats: GithubStats = { requests: 0, writes: 0, rateLimited: 0, serverTime: null };

  const countingFetch: typeof fetch = async (input, init) => {
    stats.requests += 1;
    const method = (init?.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'HEAD') stats.writes += 1;
    // A write is never followed elsewhere: GitHub answers 301 for an issue transferred to
    // another repository, and following it would write there. The caller sees the 301.
    const response = await fetch(input, method === 'GET' || method === 'HEAD' ? init : { ...init, redirect: 'manual' });
    stats.serverTime = isoDate(response.headers.get('date')) ?? stats.serverTime;
    return response;
  };

  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method?: string; url?: string }, _octokit: unknown, retryCount: number): boolean => {
      stats.rateLimited += 1;
      const what = `${request.method ?? ''} ${request.url ?? ''}`.trim();
      if (retryCount < rateLimitRetries && retryAfter <= maxRetryAfter) {
        log.warning(`GitHub ${kind} rate limit on ${what}: waiting ${retryAfter}s, then retry ${retryCount + 1} of ${rateLimitRetries}.`);
        return true;
      }
      log.warning(`GitHub ${kind} rate limit on ${what}: giving up after ${retryCount} retries (asked to wait ${retryAfter}s).`);
      return false;
    };

  const throttle: ThrottlingOptions = {
    onRateLimit: onLimit('primary'),
    onSecondaryRateLimit: onLimit('secondary'),
    ...(tuning.retryAfterBaseValue !== undefined && { retryAfterBaseValue: tuning.retryAfterBaseValue }),
    ...(tuning.fallbackSecondaryRateRetryAfter !== undefined && {
      fallbackSecondaryRateRetryAfter: tuning.fallbackSecondaryRateRetryAfter,
    }),
    ...(tuning.write && { write: tuning.write }),
    ...(tuning.notifications && { notifications: tuning.notifications }),
    ...(tuning.search && { search: tuning.search }),
  };

  const octokit = new GithubOctokit({
    auth: options.token,
    baseUrl: (options.baseUrl ?? DEFAULT_GITHUB_API_URL).replace(/\/+$/, ''),
    userAgent: options.userAgent ?? USER_AGENT,
    log: octokitLog(log),
    throttle,
    retry: {
      retries: options.retries ?? 3,
      ...(tuning.retryAfterBaseValue !== undefined && { retryAfterBaseValue: tuning.retryAfterBaseValue }),
    },
    request: { fetch: countingFetch },
  });
  // GitHub's error text is cut for messages (errors.ts): the token goes before any cut.
  const redact = redactor([options.token]);
  octokit.hook.error('request', (error) => {
    const e = error as { message?: unknown; response?: { data?: unknown } };
    if (typeof e.message === 'string') e.message = redact(e.message);
    const data = e.response?.data;
    if (typeof data === 'string') e.response!.data = redact(data);
    else if (data && typeof data === 'object') e.response!.data = JSON.parse(redact(JSON.stringify(data))) as unknown;
    throw error;
  });
  return { octokit, stats };
}
