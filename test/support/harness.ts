import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSettings, type RawSettings, type Settings } from '../../src/config/settings.js';
import { fastThrottleForTests } from '../../src/github/throttle.js';
import type { Insight } from '../../src/insights/types.js';
import { memoryLogger } from '../../src/log.js';
import { fileStateStore } from '../../src/state/file-store.js';
import type { StateStore } from '../../src/state/store.js';
import type { CloudflareClientOptions } from '../../src/cloudflare/client.js';
import { runEngine, type SyncResult } from '../../src/sync/engine.js';
import { githubTracker, type TrackerTuning } from '../../src/sync/github-tracker.js';
import { cloudflareSource } from '../../src/sync/sources.js';
import { FAKE_ACCOUNT_ID, FAKE_TOKEN, startCloudflareFake, type CloudflareFake } from '../fakes/cloudflare.js';
import { startGithubFake, type GithubFake } from '../fakes/github.js';
import { thisProcess } from '../../src/cli/this-process.js';

export interface Harness {
  cf: CloudflareFake;
  gh: GithubFake;
  dir: string;
  statePath: string;
  /** One sync run in-process, through the real clients; never throws (returns the error). */
  run(over?: RawSettings, options?: RunOptions): Promise<RunOutcome>;
  setInsights(list: Insight[]): void;
  close(): Promise<void>;
}

export interface RunOptions {
  store?: StateStore;
  now?: Date;
  /** Over the test defaults of the Cloudflare client (no sleeping, 1 ms backoff, 2 s timeout). */
  source?: Partial<Omit<CloudflareClientOptions, 'budget' | 'auth' | 'baseUrl'>>;
  /** Over the test defaults of the GitHub tracker (fast throttle, no recovery delay). */
  tracker?: TrackerTuning;
}

export interface RunOutcome {
  result?: SyncResult;
  error?: Error & { exitCode?: number };
  log: ReturnType<typeof memoryLogger>;
  settings?: Settings;
}

/** The three remote services as fakes on 127.0.0.1, and a run of the engine against them. */
export async function startHarness(): Promise<Harness> {
  const cf = await startCloudflareFake();
  const gh = await startGithubFake({ owner: 'acme', repo: 'security' });
  const dir = mkdtempSync(join(tmpdir(), 'cf-insights-harness-'));
  const statePath = join(dir, 'state.json');
  return {
    cf,
    gh,
    dir,
    statePath,
    setInsights: (list) => cf.setInsights(list),
    async run(over = {}, options = {}) {
      const log = memoryLogger();
      const raw: RawSettings = {
        'account-id': FAKE_ACCOUNT_ID,
        'api-token': FAKE_TOKEN,
        'api-base-url': cf.url,
        'github-token': gh.token,
        'github-api-url': gh.url,
        repository: 'acme/security',
        'monthly-request-budget': '1000',
        'fail-on-severity': 'none',
        ...over,
      };
      let settings: Settings | undefined;
      try {
        settings = parseSettings(raw, { cloudflare: true, github: true });
        const now = options.now ?? new Date();
        const result = await runEngine({
          settings,
          scope: settings.scope!,
          store: options.store ?? fileStateStore({ proc: thisProcess, path: statePath, scope: `accounts/${FAKE_ACCOUNT_ID}` }),
          source: cloudflareSource(settings, log, { sleep: async () => {}, retryBaseMs: 1, timeoutMs: 2_000, ...options.source }),
          tracker: githubTracker(settings.github!, log, { throttle: fastThrottleForTests(), recoveryDelayMs: 0, ...options.tracker }),
          log,
          now: () => now,
        });
        return { result, log, settings };
      } catch (error) {
        return { error: error as Error & { exitCode?: number }, log, settings };
      }
    },
    async close() {
      await Promise.all([cf.close(), gh.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every marker id carried by more than one issue: must always be empty. */
export function duplicates(gh: GithubFake): string[] {
  return [...gh.byMarkerId().entries()].filter(([, list]) => list.length > 1).map(([id]) => id);
}
