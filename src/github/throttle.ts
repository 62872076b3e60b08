/**
 * Limiters for tests and benchmarks. The throttling plugin stays enabled (its retry on
 * rate limits, its one-write-at-a-time queue), but without the production spacing of
 * 1 s per write and 3 s per notifying write, and with `retry-after` seconds counted as
 * milliseconds. Production code never uses this.
 *
 *   createGithubClient({ token, baseUrl: fake.url, throttle: fastThrottleForTests() })
 */
import Bottleneck from 'bottleneck/light.js';
import type { GithubThrottleTuning } from './client.js';

export function fastThrottleForTests(overrides: GithubThrottleTuning = {}): GithubThrottleTuning {
  return {
    write: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }),
    notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }),
    search: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }),
    retryAfterBaseValue: 1,
    ...overrides,
  };
}
