/**
 * Fault injection through the whole sync: the engine in-process with the real clients
 * against the Cloudflare, GitHub and Actions cache fakes. Each fault gets a good first
 * run, the faulty run (on a changed inventory, so there is work to do or to get wrong),
 * and a clean run; after each, the promises of README "Guarantees" must hold:
 * no duplicate issue, no wrongful close, a state that is the previous one or a correct
 * new one, one clear line, and the documented exit code (0 ok, 3 remote, 4 budget).
 */
import { spawn } from 'node:child_process';
import { rmSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RawSettings } from '../../src/config/settings.js';
import type { Insight } from '../../src/insights/types.js';
import { memoryLogger } from '../../src/log.js';
import { cacheStateStore } from '../../src/state/cache-store.js';
import type { StateStore } from '../../src/state/store.js';
import type { StateDocument } from '../../src/state/types.js';
import { FAULT_STATUS, setEnv, startCacheServiceFake, type CacheServiceFake } from '../fakes/cache-service.js';
import { FAKE_ACCOUNT_ID, FAKE_TOKEN, makeInsights } from '../fakes/cloudflare.js';
import { duplicates, startHarness, type Harness, type RunOptions, type RunOutcome } from '../support/harness.js';
import { convergenceProblems, exitOf, failureLine, githubProblems, issuesById, readStateFile, stateProblems, visibleLines } from '../support/faults.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const SCOPE = `accounts/${FAKE_ACCOUNT_ID}`;
const OTHER_ACCOUNT = 'ffffffffffffffffffffffffffffffff';
const BASE: RawSettings = { 'max-issue-writes': '500' };

interface Ctx {
  h: Harness;
  /** GitHub requests before the faulty run. */
  ghMark: number;
  base: Insight[];
  next: Insight[];
  /** Delays the Cloudflare client asked to sleep. */
  sleeps: number[];
  cache?: CacheCtx;
}

interface CacheCtx {
  fake: CacheServiceFake;
  store(): StateStore;
  /** The newest saved state as a fresh run restores it (faults must be cleared first). */
  inspect(): Promise<{ state: StateDocument | null; warning?: string }>;
  plant(doc: unknown): Promise<void>;
}

interface FaultCase {
  name: string;
  /** Insights of the first run (default 6). */
  size?: number;
  /** Before the first run (e.g. a smaller page size). */
  setup?: (c: Ctx) => void;
  /** Uses the Actions cache store (cache fake) instead of the state file. */
  cache?: boolean;
  /** Makes the fault happen in the next run. */
  inject: (c: Ctx) => void | Promise<void>;
  /** Settings of the faulty run. */
  over?: RawSettings | ((c: Ctx) => RawSettings);
  options?: (c: Ctx) => RunOptions;
  exit: 0 | 3 | 4;
  /** The one line (exit 3/4), or a warning/info line of the run (exit 0); null: the run prints no warning. */
  message: RegExp | null;
  /** Nothing may be closed in the faulty run (incomplete inventory, failed fetch). */
  noClose?: boolean;
  /** Extra checks after the faulty run. */
  check?: (c: Ctx, outcome: RunOutcome) => void;
  /** Undo what the fault changed outside the fakes' fault lists, before the clean run. */
  cleanup?: (c: Ctx) => void;
}

/** The inventory the faulty run sees: one insight gone, one severity changed, two new. */
function evolve(base: Insight[], seed: number): Insight[] {
  const [, changed, ...rest] = base;
  // The second new one has a type never seen before: its label must be created.
  const fresh = makeInsights(2, seed + 1000).map((i, n) => ({
    ...i,
    id: `new-${seed}-${n}`,
    dismissed: false,
    ...(n === 1 ? { issue_type: 'brand_protection' } : {}),
  }));
  const bumped = { ...changed!, severity: changed!.severity === 'Critical' ? 'Low' : 'Critical' };
  return [bumped, ...rest, ...fresh];
}

const issueOf = (c: Ctx, id: string) => issuesById(c.h.gh).get(id);
/** Issue creations GitHub received in the faulty run. */
const creates = (c: Ctx) => c.h.gh.requests.slice(c.ghMark).filter((r) => r.method === 'POST' && /\/issues$/.test(r.path));

const FAULTS: FaultCase[] = [
  // Cloudflare ---------------------------------------------------------------------
  {
    name: 'cloudflare: 500 then success (retried)',
    inject: ({ h }) => h.cf.failNext('status500'),
    exit: 0,
    message: /^Cloudflare page 1, attempt 1 failed: The Cloudflare API failed \(HTTP 500: 10001: Internal Server Error\) on page 1.*Retrying in/,
    check: ({ h }, run) => {
      expect(run.result!.complete).toBe(true);
      expect(run.result!.cloudflareRequests).toBe(2);
      expect(h.cf.requests.filter((r) => r.fault === 'status500')).toHaveLength(1);
    },
  },
  {
    name: 'cloudflare: 500 on page 3 of 5 until the retries run out',
    size: 45,
    setup: ({ h }) => h.cf.setMaxPerPage(10),
    inject: ({ h }) => {
      h.cf.reset();
      for (const k of [3, 4, 5, 6]) h.cf.failOn(k, 'status500');
    },
    exit: 3,
    message: /^The Cloudflare API failed \(HTTP 500: 10001: Internal Server Error\) on page 3; .*try again later \(gave up after 4 attempts\)\.$/,
    noClose: true,
    check: ({ h }) => {
      expect(h.cf.requests.map((r) => Number(r.query['page']?.[0]))).toEqual([1, 2, 3, 3, 3, 3]);
    },
  },
  {
    name: 'cloudflare: 502 with an HTML body',
    inject: ({ h }) => h.cf.failAlways('html502'),
    exit: 3,
    message:
      /^The Cloudflare API returned an HTML page \(HTTP 502\) on page 1; Cloudflare or a proxy in between is failing, try again later \(gave up after 4 attempts\)\.$/,
    noClose: true,
  },
  {
    name: 'cloudflare: connection reset',
    inject: ({ h }) => h.cf.failAlways('reset'),
    exit: 3,
    message:
      /^Could not reach the Cloudflare API at 127\.0\.0\.1:\d+ \(page 1\): the connection was (reset|closed[^;]*); check the network, proxy and api-base-url/,
    noClose: true,
  },
  {
    name: 'cloudflare: timeout (client timeout shortened)',
    inject: ({ h }) => h.cf.failAlways('timeout'),
    options: () => ({ source: { timeoutMs: 200 } }),
    exit: 3,
    message: /^The Cloudflare API at 127\.0\.0\.1:\d+ did not answer page 1 within 0\.2 s; try again later or check the network and proxy/,
    noClose: true,
  },
  {
    name: 'cloudflare: truncated JSON',
    inject: ({ h }) => h.cf.failAlways('truncatedJson'),
    exit: 3,
    message: /^The Cloudflare API returned a body that is not valid JSON on page 1 \(HTTP 200, \d+ bytes, probably cut short\); try again later/,
    noClose: true,
  },
  {
    name: 'cloudflare: success:false with HTTP 200',
    inject: ({ h }) => h.cf.failAlways('successFalse200'),
    exit: 3,
    message: /^The Cloudflare API reported a failure \(success:false, HTTP 200\) on page 1: 1002: Security Center is temporarily unable to list insights\.$/,
    noClose: true,
  },
  {
    name: 'cloudflare: a count that changes between pages',
    size: 25,
    setup: ({ h }) => h.cf.setMaxPerPage(10),
    inject: ({ h }) => {
      h.cf.reset();
      h.cf.failOn(2, 'countChanges');
    },
    exit: 0,
    message:
      /^The inventory changed while it was being fetched: the count changed from \d+ to \d+ on page 2\. Nothing is closed on an incomplete inventory; the next run will retry\.$/,
    noClose: true,
    check: (_c, run) => {
      expect(run.result!.complete).toBe(false);
      expect(
        visibleLines(run).filter((l) => /incomplete/i.test(l)),
        'said once',
      ).toHaveLength(1);
    },
  },
  {
    name: 'cloudflare: a page that repeats ids',
    size: 25,
    setup: ({ h }) => h.cf.setMaxPerPage(10),
    inject: ({ h }) => {
      h.cf.reset();
      h.cf.failOn(2, 'repeatIds');
    },
    exit: 0,
    message:
      /^The inventory changed while it was being fetched: fetched \d+ distinct insights \(1 repeated across pages\) but Cloudflare announced \d+\. Nothing is closed on an incomplete inventory; the next run will retry\.$/,
    noClose: true,
    check: (_c, run) => {
      expect(run.result!.complete).toBe(false);
      expect(
        visibleLines(run).filter((l) => /incomplete/i.test(l)),
        'said once',
      ).toHaveLength(1);
    },
  },
  {
    name: 'cloudflare: 429 with Retry-After within the budget',
    inject: ({ h }) => h.cf.failNext({ kind: 'status429', retryAfter: '7' }),
    options: (c) => ({ source: { sleep: async (ms: number) => void c.sleeps.push(ms) } }),
    exit: 0,
    message: /Cloudflare rate limit reached \(HTTP 429, retry after 7 s\).*Retrying in 7 s/,
    check: (c, run) => {
      expect(c.sleeps).toEqual([7000]);
      expect(run.result!.complete).toBe(true);
      expect(run.result!.quota.used).toBe(3); // first run 1, this run 2: the 429 counts
    },
  },
  {
    name: 'cloudflare: 429 that exhausts the monthly budget',
    inject: ({ h }) => h.cf.failAlways({ kind: 'status429', retryAfter: '0' }),
    over: { 'monthly-request-budget': '3' },
    exit: 4,
    message:
      /^Request budget exhausted: 3 of 3 used this month, 0 left, the next request needs 1; resets \d{4}-\d{2}-01\. Raise monthly-request-budget, lower the schedule or narrow the filters\.$/,
    noClose: true,
    check: ({ h }) => {
      const { doc } = readStateFile(h.statePath, SCOPE);
      expect(doc!.quota.used).toBe(3);
    },
  },
  {
    name: 'cloudflare: authentication failure (wrong token)',
    inject: () => {},
    over: { 'api-token': 'not-the-right-token-1234' },
    exit: 3,
    message:
      /^Cloudflare rejected the credentials: the API token is invalid, expired, or lacks Account:Read \/ Security Center:Read permissions \(HTTP 403, code 10000\); create a token/,
    noClose: true,
  },
  {
    name: 'cloudflare: unknown account',
    inject: () => {},
    over: { 'account-id': OTHER_ACCOUNT },
    exit: 3,
    message: new RegExp(
      `^Cloudflare cannot route account ${OTHER_ACCOUNT} \\(code 7003\\): the id is wrong or not visible to these credentials; check account-id\\.$`,
    ),
    noClose: true,
  },

  {
    name: 'cloudflare: Security Center not available for the plan (403)',
    inject: ({ h }) => h.cf.failAlways({ kind: 'forbidden' }),
    exit: 3,
    message:
      /^Security Center insights are not available for account [0-9a-f]{32} with these credentials or this plan \(Cloudflare: 1003: Security Center is not available for this account plan\)\.$/,
    noClose: true,
  },
  {
    name: 'cloudflare: a body of an unexpected shape',
    inject: ({ h }) => h.cf.failAlways({ kind: 'custom', status: 200, body: { success: true, errors: [], result: { count: 'many', issues: 'none' } } }),
    exit: 3,
    message: /^The Cloudflare API returned an unexpected body on page 1: field result\.count: .+ This tool may need an update; please report it\.$/,
    noClose: true,
  },
  {
    name: 'cloudflare: 429 asking to wait longer than a run waits',
    inject: ({ h }) => h.cf.failAlways({ kind: 'status429', retryAfter: '3600' }),
    exit: 3,
    message: /^Cloudflare rate limit reached \(HTTP 429, retry after 3600 s\): the Security Center endpoint allows 100 requests a month/,
    noClose: true,
    check: ({ h }) => expect(h.cf.requests.filter((r) => r.fault === 'status429')).toHaveLength(1),
  },

  // GitHub -------------------------------------------------------------------------
  {
    name: 'github: a revoked token (401)',
    inject: () => {},
    over: { 'github-token': 'ghs_revokedToken000000000000' },
    exit: 3,
    message: /^GitHub rejected the token \(HTTP 401\) while trying to list issues in acme\/security: the `github-token` is missing, expired or revoked\.$/,
    noClose: true,
    check: ({ h }) => expect(readStateFile(h.statePath, SCOPE).doc!.quota.used).toBe(2),
  },
  {
    name: 'github: the listing fails with 500 after the retries',
    inject: ({ h }) => h.gh.inject({ method: 'GET', path: /\/issues$/, times: 50, fault: { type: 'status', status: 500 } }),
    exit: 3,
    message: /^GitHub failed to list issues in acme\/security \(HTTP 500\) after retries: GitHub may be having trouble; rerun later\.$/,
    noClose: true,
  },
  {
    name: 'github: 502 on an edit (retried by the client)',
    inject: ({ h }) => h.gh.inject({ method: 'PATCH', path: /\/issues\/\d+$/, fault: { type: 'status', status: 502 } }),
    exit: 0,
    message: null,
    check: (c, run) => {
      expect(run.result!.counts.updated).toBe(1);
      expect(c.h.gh.requests.slice(c.ghMark).filter((r) => r.method === 'PATCH' && r.status === 502)).toHaveLength(1);
    },
  },
  {
    name: 'github: a secondary rate limit that does not clear (gives up; the next run finishes)',
    inject: ({ h }) => h.gh.secondaryRateLimit({ method: 'POST', path: /\/issues$/, times: 50, retryAfter: 1 }),
    exit: 3,
    message:
      /^GitHub rate limit hit while trying to create an issue in acme\/security \(HTTP 403\), and retries did not help: wait and rerun, or lower `max-issue-writes`\.$/,
  },
  {
    name: 'github: creations keep failing with 500 after one succeeded (what was done is kept)',
    inject: ({ h }) => h.gh.failCreate({ status: 500, after: false, nth: 2, times: 50 }),
    exit: 3,
    message: /^GitHub failed to create an issue in acme\/security \(HTTP 500\) after retries: GitHub may be having trouble; rerun later\.$/,
    check: (c, run) => {
      expect(run.result!.counts.created).toBe(1);
      expect(creates(c)).toHaveLength(4); // one, then three attempts of the second
    },
  },
  {
    name: 'github: a comment fails after the edit of a severity change',
    inject: ({ h }) =>
      h.gh.inject({
        method: 'POST',
        path: /\/comments$/,
        times: 50,
        fault: { type: 'status', status: 403, body: { message: 'Resource not accessible by integration' } },
      }),
    exit: 3,
    message: /^GitHub refused to comment on issue #\d+ in acme\/security \(HTTP 403: Resource not accessible by integration\): the token needs `issues: write`/,
  },
  {
    name: 'github: secondary rate limit 403 with retry-after (throttled, then finished)',
    inject: ({ h }) => h.gh.secondaryRateLimit({ method: 'POST', path: /\/issues$/, retryAfter: 2 }),
    exit: 0,
    message: /^octokit: |^GitHub secondary rate limit on POST .*\/issues: waiting 2s, then retry 1 of 2\.$/,
    check: ({ h }, run) => {
      expect(run.result!.counts.created).toBe(2);
      expect(h.gh.requests.some((r) => r.method === 'POST' && r.status === 403)).toBe(true);
    },
  },
  {
    name: 'github: 502 on a create after the issue was created (found by its marker, not created again)',
    inject: ({ h }) => h.gh.failCreate({ status: 502, after: true }),
    exit: 0,
    message: /^GitHub answered HTTP 502 to creating the issue for new-\d+-\d in acme\/security \(attempt 1 of 3\); checking whether it was created anyway\.$/,
    check: (c, run) => {
      expect(run.result!.counts.created).toBe(2);
      expect(creates(c)).toHaveLength(2);
      expect(visibleLines(run)).toContainEqual(expect.stringMatching(/had been created: #\d+; not creating another/));
    },
  },
  {
    name: 'github: 502 on a create that did not happen (looked for, then created once)',
    inject: ({ h }) => h.gh.failCreate({ status: 502, after: false }),
    exit: 0,
    message: /^GitHub answered HTTP 502 to creating the issue for new-\d+-\d .*checking whether it was created anyway\.$/,
    check: (c, run) => {
      expect(run.result!.counts.created).toBe(2);
      expect(creates(c)).toHaveLength(3);
    },
  },
  {
    name: 'github: connection dropped after a create was carried out',
    inject: ({ h }) => h.gh.inject({ method: 'POST', path: /\/issues$/, fault: { type: 'disconnect', after: true } }),
    exit: 0,
    message: /^GitHub answered nothing to creating the issue for new-\d+-\d .*checking whether it was created anyway\.$/,
    check: (_c, run) => expect(run.result!.counts.created).toBe(2),
  },
  {
    name: 'github: 422 on a label',
    inject: ({ h }) =>
      h.gh.inject({
        method: 'POST',
        path: /\/labels$/,
        fault: { type: 'status', status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'Label', code: 'invalid', field: 'name' }] } },
      }),
    exit: 3,
    message:
      /^GitHub refused `[^`]+` in acme\/security \(HTTP 422: invalid\): label names must be at most 50 characters, colours 6 hex digits; check `labels`, and creating labels needs `issues: write`\.$/,
  },
  {
    name: 'github: 404 repository',
    inject: () => {},
    over: { repository: 'acme/no-such-repo' },
    exit: 3,
    message: /^GitHub repository acme\/no-such-repo was not found \(HTTP 404\): check `repository`/,
    noClose: true,
    check: ({ h }) => {
      // The Cloudflare request was spent: the ledger says so even though the run stopped.
      const { doc } = readStateFile(h.statePath, SCOPE);
      expect(doc!.quota.used).toBe(2);
    },
  },
  {
    name: 'github: token without issues: write',
    inject: () => {},
    over: (c) => ({ 'github-token': c.h.gh.readOnlyToken }),
    exit: 3,
    message: /^GitHub refused to [^(]+ in acme\/security \(HTTP 403: Resource not accessible by integration\): the token needs `issues: write`/,
    noClose: true,
  },
  {
    name: 'github: an issue deleted by a person, then its insight changed',
    inject: (c) => {
      const changed = c.next[0]!; // the insight whose severity changes
      const issue = issueOf(c, String(changed.id))!;
      c.h.gh.person.delete(issue.number);
    },
    exit: 0,
    message:
      /^GitHub issue acme\/security#\d+ was deleted \(HTTP 410\)\. .+: no longer tracked here; a new issue will be opened on the next run if the insight is still active\.$/,
    check: (c, run) => {
      expect(run.result!.counts.updated).toBe(0);
      const { doc } = readStateFile(c.h.statePath, SCOPE);
      expect(doc!.insights[String(c.next[0]!.id)]).toMatchObject({ issue: null, state: 'pending' });
    },
  },
  {
    name: 'github: an issue whose marker a person edited away',
    inject: (c) => {
      const issue = issueOf(c, String(c.base[3]!.id))!;
      c.h.gh.person.editBody(issue.number, 'We looked at this one; see the runbook.');
    },
    exit: 0,
    message: null,
    check: (c, run) => {
      const id = String(c.base[3]!.id);
      const restored = issueOf(c, id);
      expect(restored, 'the marker is written back').toBeDefined();
      expect(run.result!.issues.find((i) => i.key === id)?.action).toBe('updated');
    },
  },

  {
    name: 'github: a marker edited away and the state lost (found by its title)',
    inject: (c) => {
      const issue = issueOf(c, String(c.base[3]!.id))!;
      c.h.gh.person.editBody(issue.number, 'We looked at this one; see the runbook.');
      rmSync(c.h.statePath);
    },
    exit: 0,
    message: /No saved state at .+: this run starts as a first run\./,
    check: (c, run) => {
      const id = String(c.base[3]!.id);
      expect(issueOf(c, id), 'the marker is written back').toBeDefined();
      expect(run.result!.counts.created).toBe(2);
    },
  },

  // Actions cache ------------------------------------------------------------------
  {
    name: 'cache: restore failure',
    cache: true,
    inject: (c) => {
      c.cache!.fake.faults.lookup = FAULT_STATUS[c.cache!.fake.protocol];
    },
    exit: 0,
    message: /^Could not restore the saved state from the Actions cache \(.+\): this run starts as a first run\.$/,
  },
  {
    name: 'cache: save failure',
    cache: true,
    inject: (c) => {
      c.cache!.fake.faults.reserve = FAULT_STATUS[c.cache!.fake.protocol];
    },
    exit: 0,
    message: /^(State not saved: )?Could not save the state to the Actions cache under \S+ \(.+\); the next run starts from the previous saved state\.\.?$/,
    check: (_c, run) => expect(run.result!.state.saved).toBe(false),
  },
  {
    name: 'cache: commit failure after the upload',
    cache: true,
    inject: (c) => {
      c.cache!.fake.faults.commit = FAULT_STATUS[c.cache!.fake.protocol];
    },
    exit: 0,
    message: /^(State not saved: )?Could not save the state to the Actions cache under \S+ \(.+\); the next run starts from the previous saved state\.\.?$/,
    check: (_c, run) => expect(run.result!.state.saved).toBe(false),
  },
  {
    name: 'cache: corrupt archive',
    cache: true,
    inject: (c) => {
      c.cache!.fake.faults.corruptArchive = true;
    },
    exit: 0,
    message: /Could not restore the saved state|holds no readable state file|Ignoring saved state/,
  },
  {
    name: 'cache: a state of a newer version',
    cache: true,
    inject: async (c) => {
      const { state } = await c.cache!.inspect();
      await c.cache!.plant({ ...state, version: 3, futureField: { anything: true } });
    },
    exit: 0,
    message:
      /^Ignoring saved state \(Actions cache \S+\): it was written by a newer cf-insights \(version 3, this one reads up to 2\); upgrade cf-insights to use it; this run starts as a first run\.$/,
  },
  {
    name: 'cache: a state for another account',
    cache: true,
    inject: async (c) => {
      const { state } = await c.cache!.inspect();
      await c.cache!.plant({ ...state, scope: `accounts/${OTHER_ACCOUNT}` });
    },
    exit: 0,
    message: new RegExp(
      `^Ignoring saved state \\(Actions cache \\S+\\): it belongs to accounts/${OTHER_ACCOUNT}, not ${SCOPE}; this run starts as a first run\\.$`,
    ),
  },
  {
    name: 'state file: a state of a newer version is left alone',
    inject: (c) => {
      const { raw } = readStateFile(c.h.statePath, SCOPE);
      writeFileSync(c.h.statePath, JSON.stringify({ ...(raw as object), version: 3 }));
    },
    exit: 0,
    message: /it was written by a newer cf-insights \(version 3, this one reads up to 2\)/,
    check: (c, run) => {
      expect(run.result!.state.saved).toBe(false);
      expect(readStateFile(c.h.statePath, SCOPE).raw).toMatchObject({ version: 3 });
    },
    cleanup: (c) => rmSync(c.h.statePath),
  },
];

let h: Harness;
let cacheFake: CacheServiceFake | undefined;
let restoreEnv: (() => void) | undefined;
let runnerTemp: string | undefined;

beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  restoreEnv?.();
  restoreEnv = undefined;
  await cacheFake?.close();
  cacheFake = undefined;
  if (runnerTemp) rmSync(runnerTemp, { recursive: true, force: true });
  runnerTemp = undefined;
  await h.close();
});

async function cacheContext(): Promise<CacheCtx> {
  cacheFake = await startCacheServiceFake();
  runnerTemp = mkdtempSync(join(tmpdir(), 'cf-insights-faults-runner-'));
  restoreEnv = setEnv({ ...cacheFake.env, RUNNER_TEMP: runnerTemp, RUNNER_DEBUG: undefined });
  const fake = cacheFake;
  let runId = 0;
  const make = (id: string) =>
    cacheStateStore({ env: process.env, stdout: process.stdout, stateKey: 'cf-insights-faults', runId: id, runAttempt: '1', log: memoryLogger() });
  return {
    fake,
    store: () => make(String(++runId)),
    async inspect() {
      const loaded = await make(`inspect-${++runId}`).load({ scope: SCOPE });
      return { state: loaded.state, ...(loaded.warning ? { warning: loaded.warning } : {}) };
    },
    async plant(doc) {
      const saved = await make(`planted-${++runId}`).save(doc as StateDocument);
      if (!saved.saved) throw new Error(`could not plant a state: ${saved.reason}`);
    },
  };
}

function clearCacheFaults(fake: CacheServiceFake): void {
  for (const key of Object.keys(fake.faults)) delete fake.faults[key as keyof typeof fake.faults];
}

/** The same document but for the ledger and the time it was written. */
function sameRecords(a: StateDocument, b: StateDocument): boolean {
  const strip = ({ quota: _q, updatedAt: _u, ...rest }: StateDocument) => rest;
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

async function currentState(c: Ctx): Promise<StateDocument | null> {
  if (c.cache) return (await c.cache.inspect()).state;
  return readStateFile(c.h.statePath, SCOPE).doc;
}

describe('the sync under faults (engine, real clients, fakes)', () => {
  it('has a table of at least 25 faults', () => {
    expect(FAULTS.length).toBeGreaterThanOrEqual(25);
  });

  it.each(FAULTS.map((f, n) => [f.name, f, n] as const))('%s', async (_name, fault, n) => {
    const seed = 100 + n;
    const base = makeInsights(fault.size ?? 6, seed).map((i) => ({ ...i, dismissed: false }));
    const c: Ctx = { h, ghMark: 0, base, next: evolve(base, seed), sleeps: [] };
    if (fault.cache) c.cache = await cacheContext();
    const storeOpt = (): RunOptions => (c.cache ? { store: c.cache.store() } : {});
    fault.setup?.(c);

    // 1. A good first run.
    h.setInsights(base);
    const first = await h.run(BASE, storeOpt());
    expect(first.error).toBeUndefined();
    expect(first.result!.failure).toBeUndefined();
    expect(first.result!.counts.created).toBe(base.length);
    const before = await currentState(c);
    expect(before).not.toBeNull();
    const openBefore = new Set(h.gh.openIssues().map((i) => i.number));

    // 2. The faulty run, on a changed inventory.
    c.ghMark = h.gh.requests.length;
    h.setInsights(c.next);
    await fault.inject(c);
    const over = typeof fault.over === 'function' ? fault.over(c) : fault.over;
    const faulty = await h.run({ ...BASE, ...over }, { ...storeOpt(), ...fault.options?.(c) });

    expect({ exit: exitOf(faulty), error: faulty.error?.stack }).toMatchObject({ exit: fault.exit });
    const line = failureLine(faulty);
    if (fault.exit === 0) {
      expect(line).toBeNull();
      const lines = visibleLines(faulty);
      if (fault.message === null) expect(faulty.log.lines.filter((l) => l.level === 'warning' || l.level === 'error')).toEqual([]);
      else
        expect(
          lines.some((l) => fault.message!.test(l)),
          `no line matches ${fault.message}:\n${lines.join('\n')}`,
        ).toBe(true);
    } else {
      expect(fault.message).not.toBeNull();
      expect(line).toMatch(fault.message!);
    }
    if (line !== null) expect(line).not.toMatch(/\n|<[a-z!]/i);
    for (const l of visibleLines(faulty)) expect(l, 'every printed message is one line').not.toContain('\n');

    expect(githubProblems(h.gh, c.next, openBefore)).toEqual([]);
    if (fault.noClose) {
      const closed = [...openBefore].filter((number) => h.gh.issue(number)?.state === 'closed');
      expect(closed, 'nothing closed in this run').toEqual([]);
    }
    if (c.cache) clearCacheFaults(c.cache.fake);
    const after = await currentState(c);
    if (fault.name.startsWith('state file: a state of a newer version')) {
      expect(after).toBeNull(); // left as it was: this version cannot read it
    } else {
      expect(after, 'the state is readable').not.toBeNull();
      // The previous one (a failed fetch or save), or a correct new one.
      if (!sameRecords(after!, before!)) expect(stateProblems(after!, h.gh, before)).toEqual([]);
    }
    fault.check?.(c, faulty);

    // 3. A clean run finishes the work.
    h.cf.reset();
    h.gh.clearFaults();
    fault.cleanup?.(c);
    const clean = await h.run(BASE, storeOpt());
    expect(clean.error?.message).toBeUndefined();
    expect(clean.result!.failure?.message).toBeUndefined();
    expect(clean.result!.complete).toBe(true);
    expect(githubProblems(h.gh, c.next, openBefore)).toEqual([]);
    expect(convergenceProblems(h.gh, c.next)).toEqual([]);
    const final = await currentState(c);
    expect(final).not.toBeNull();
    expect(stateProblems(final!, h.gh, after ?? before)).toEqual([]);
    // The state speaks for every issue of ours.
    for (const [id, issue] of issuesById(h.gh)) expect(final!.insights[id]?.issue, id).toBe(issue.number);
  });
});

describe('the process killed in the middle of a write run', () => {
  it('SIGKILL after k issue creations: the next run finishes the work and opens no duplicate', async () => {
    const k = 2;
    const base = makeInsights(4, 77).map((i) => ({ ...i, dismissed: false }));
    h.setInsights(base);
    const first = await h.run(BASE);
    expect(first.result!.counts.created).toBe(4);
    const before = readStateFile(h.statePath, SCOPE).doc!;

    // Five new insights like the first ones (no new label to create): five creations to come.
    const fresh = base.concat(base.slice(0, 1)).map((i, n) => ({ ...i, id: `killed-run-${n}`, subject: `killed-${n}.example.com` }));
    const next = [...base, ...fresh];
    h.setInsights(next);
    const mark = h.gh.requests.length;
    const created = () => h.gh.requests.slice(mark).filter((r) => r.method === 'POST' && /\/issues$/.test(r.path) && r.status === 201).length;

    // The real CLI, with its production pacing of GitHub writes (one creation every 3 s).
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/index.ts',
        'sync',
        '--account-id',
        FAKE_ACCOUNT_ID,
        '--repo',
        'acme/security',
        '--state',
        h.statePath,
        '--fail-on',
        'none',
        '--max-issue-writes',
        '500',
      ],
      {
        cwd: ROOT,
        env: {
          PATH: process.env['PATH'],
          HOME: h.dir,
          CLOUDFLARE_API_TOKEN: FAKE_TOKEN,
          CLOUDFLARE_API_BASE_URL: h.cf.url,
          GITHUB_TOKEN: h.gh.token,
          GITHUB_API_URL: h.gh.url,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
    const poll = setInterval(() => {
      if (created() >= k) child.kill('SIGKILL');
    }, 5);
    const how = await exited.finally(() => clearInterval(poll));
    expect(how, `the CLI ended on its own:\n${output}`).toBe('SIGKILL');
    const createdBeforeKill = created();
    expect(createdBeforeKill).toBeGreaterThanOrEqual(k);
    expect(createdBeforeKill).toBeLessThan(fresh.length);
    expect(duplicates(h.gh)).toEqual([]);
    // Killed before it saved: the state is the previous one, intact.
    expect(readStateFile(h.statePath, SCOPE).doc).toEqual(before);

    const next1 = await h.run(BASE);
    expect(next1.error).toBeUndefined();
    expect(next1.result!.failure).toBeUndefined();
    expect(next1.result!.counts.created).toBe(fresh.length - createdBeforeKill);
    expect(duplicates(h.gh)).toEqual([]);
    expect(convergenceProblems(h.gh, next)).toEqual([]);
    const after = readStateFile(h.statePath, SCOPE).doc!;
    expect(stateProblems(after, h.gh, before)).toEqual([]);
    for (const [id, issue] of issuesById(h.gh)) expect(after.insights[id]?.issue, id).toBe(issue.number);
  }, 60_000);
});

describe('hostile identities through the whole sync', () => {
  it.each(['insight', 'class'] as const)(
    'ids and classes named like Object.prototype members (group-by %s): no crash, no duplicate, nothing lost',
    async (groupBy) => {
      const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
      const list = makeInsights(names.length, 5).map((i, n) => ({ ...i, id: names[n]!, issue_class: names[(n + 1) % names.length]!, dismissed: false }));
      h.setInsights(list);
      const over = { ...BASE, 'group-by': groupBy };
      for (let run = 0; run < 3; run++) {
        const outcome = await h.run(over);
        expect(outcome.error?.stack).toBeUndefined();
        expect(outcome.result!.failure).toBeUndefined();
        if (run > 0) expect(outcome.result!.github!.writes, `run ${run + 1} writes nothing`).toBe(0);
        expect(duplicates(h.gh)).toEqual([]);
      }
      expect(h.gh.ours()).toHaveLength(names.length);
      const { doc } = readStateFile(h.statePath, SCOPE);
      expect(Object.keys(doc!.insights).sort()).toEqual([...names].sort());
      // One gone: its issue is closed, the others stay open.
      h.setInsights(list.slice(1));
      await h.run(over);
      const open = h.gh.ours().filter((i) => i.state === 'open').length;
      expect(open).toBe(names.length - 1); // one class per insight here, so either way
      expect(duplicates(h.gh)).toEqual([]);
    },
  );
});
