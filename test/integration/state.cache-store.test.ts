import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../src/log.js';
import { cacheStateStore, cacheUnavailableReason, defaultStateKey, shortHash } from '../../src/state/cache-store.js';
import { emptyState, serializeState } from '../../src/state/document.js';
import type { StateDocument } from '../../src/state/types.js';
import { CACHE_PROTOCOLS, FAULT_STATUS, setEnv, startCacheServiceFake, type CacheProtocol, type CacheServiceFake } from '../fakes/cache-service.js';

const scope = 'accounts/0123456789abcdef0123456789abcdef';
const stateKey = 'cf-insights-test-state';

function doc(marker: string, over: Partial<StateDocument> = {}): StateDocument {
  const base = emptyState({ scope, filters: 'f', now: new Date('2025-06-01T00:00:00Z') });
  base.insights[marker] = {
    fingerprint: '0123456789abcdef',
    severity: 'High',
    issueType: 'exposed_infrastructure',
    issueClass: 'exposed_origin_ip',
    subject: `${marker}.example.com`,
    issue: 7,
    state: 'open',
    firstSeen: '2025-05-01T00:00:00Z',
    lastSeen: '2025-06-01T00:00:00Z',
  };
  return { ...base, ...over };
}

describe('defaultStateKey', () => {
  it('names the scope and hashes the filters', () => {
    expect(defaultStateKey(scope, 'severity=high')).toBe(`cf-insights-accounts-0123456789abcdef0123456789abcdef-${shortHash('severity=high')}`);
    expect(shortHash('severity=high')).toMatch(/^[0-9a-f]{12}$/);
    expect(defaultStateKey(scope, 'severity=high')).not.toBe(defaultStateKey(scope, 'severity=low'));
  });
});

describe('cacheUnavailableReason: the cache service @actions/cache will use, decided as it decides', () => {
  const token = { ACTIONS_RUNTIME_TOKEN: 't' };
  const none = (urlVar: string) => `no ${urlVar}: the runner offers no cache service (e.g. GitHub Enterprise Server without the cache)`;
  it.each([
    ['a hosted runner (v2, no legacy URL)', { ACTIONS_CACHE_SERVICE_V2: 'True', ACTIONS_RESULTS_URL: 'https://results/' }, undefined],
    [
      'a hosted runner with both URLs',
      { ACTIONS_CACHE_SERVICE_V2: 'True', ACTIONS_RESULTS_URL: 'https://results/', ACTIONS_CACHE_URL: 'https://cache/' },
      undefined,
    ],
    ['GHE.com (v2)', { GITHUB_SERVER_URL: 'https://acme.ghe.com', ACTIONS_CACHE_SERVICE_V2: '1', ACTIONS_RESULTS_URL: 'https://results/' }, undefined],
    ['GHES with the legacy service', { GITHUB_SERVER_URL: 'https://ghes.example.com', ACTIONS_CACHE_URL: 'https://cache/' }, undefined],
    // @actions/cache speaks v1 on GHES whatever the flag says, and v1 needs ACTIONS_CACHE_URL.
    [
      'GHES with the v2 flag but only the results URL',
      { GITHUB_SERVER_URL: 'https://ghes.example.com', ACTIONS_CACHE_SERVICE_V2: 'True', ACTIONS_RESULTS_URL: 'https://results/' },
      none('ACTIONS_CACHE_URL'),
    ],
    ['v2 without the results URL', { ACTIONS_CACHE_SERVICE_V2: 'True', ACTIONS_CACHE_URL: 'https://cache/' }, none('ACTIONS_RESULTS_URL')],
    ['v1 without the legacy URL', { ACTIONS_RESULTS_URL: 'https://results/' }, none('ACTIONS_CACHE_URL')],
  ] as const)('%s', (_name, env, reason) => {
    expect(cacheUnavailableReason({ ...token, ...env })).toBe(reason);
  });
});

/** What differs between the protocols, as @actions/cache reports it. */
const SPEAKS: Record<
  CacheProtocol,
  {
    urlVar: string;
    /** The reason of a second save under a key, and the service's own words in the debug log. */
    duplicate: RegExp;
    duplicateDebug: RegExp;
    saveFault: Record<'reserve' | 'upload' | 'commit', RegExp>;
    restoreFault: Record<'lookup' | 'download', RegExp>;
  }
> = {
  v1: {
    urlVar: 'ACTIONS_CACHE_URL',
    duplicate: /\(Unable to reserve cache with key cf-insights-test-state-9-1, another job may be creating this cache\. More details: Cache already exists/,
    duplicateDebug: /Cache already exists/,
    saveFault: {
      reserve: /Cache service responded with 500|injected reserve fault/,
      upload: /responded with 500 during upload chunk|uploadChunk/,
      commit: /commitCache failed|injected commit fault|responded with 500/,
    },
    restoreFault: { lookup: /Cache service responded with 500/, download: /downloadCache failed: Cache service responded with 500/ },
  },
  v2: {
    urlVar: 'ACTIONS_RESULTS_URL',
    duplicate: /\(Unable to reserve cache with key cf-insights-test-state-9-1, another job may be creating this cache\.\)/,
    duplicateDebug:
      /Failed to CreateCacheEntry: Received non-retryable error: Failed request: \(409\) Conflict: cache entry with the same key, version, and scope already exists/,
    saveFault: {
      reserve: /Unable to reserve cache with key/,
      upload: /injected upload fault/,
      commit: /Failed to FinalizeCacheEntryUpload: .*\(403\) Forbidden: injected commit fault/,
    },
    // An expired signed URL: the library takes the 403 page for the archive, and tar refuses it.
    restoreFault: { lookup: /Failed to GetCacheEntryDownloadURL: .*\(403\) Forbidden: injected lookup fault/, download: /tar/ },
  },
};

describe.each(CACHE_PROTOCOLS)('cacheStateStore through the real @actions/cache, protocol %s', (protocol) => {
  const speaks = SPEAKS[protocol];
  const fault = FAULT_STATUS[protocol];
  let fake: CacheServiceFake;
  let runnerTemp: string;
  let restoreEnv: () => void;
  let log: ReturnType<typeof memoryLogger>;

  beforeEach(async () => {
    fake = await startCacheServiceFake({ protocol });
    runnerTemp = await mkdtemp(join(tmpdir(), 'cf-insights-runner-temp-'));
    restoreEnv = setEnv({ ...fake.env, RUNNER_TEMP: runnerTemp, RUNNER_DEBUG: undefined });
    log = memoryLogger();
  });

  afterEach(async () => {
    restoreEnv();
    await fake.close();
    await rm(runnerTemp, { recursive: true, force: true });
  });

  const store = (runId: string, runAttempt = '1') => cacheStateStore({ env: process.env, stdout: process.stdout, stateKey, runId, runAttempt, log });
  const debugLog = () =>
    log.lines
      .filter((l) => l.level === 'debug')
      .map((l) => l.message)
      .join('\n');

  it('decides on the environment it is given, not the process environment', async () => {
    const given = cacheStateStore({
      env: { ...process.env, ACTIONS_CACHE_MODE: 'read', RUNNER_TEMP: join(runnerTemp, 'given') },
      stdout: process.stdout,
      stateKey,
      runId: '1',
      runAttempt: '1',
      log,
    });
    expect(given.path).toBe(join(runnerTemp, 'given', 'cf-insights-state', stateKey, 'state.json'));
    expect(await given.save(doc('a'))).toMatchObject({ saved: false, skipped: true, reason: expect.stringMatching(/mode 'read' does not allow saving/) });
    expect(fake.entries).toEqual([]);
  });

  it('round-trips the state: saved under <key>-<run>-<attempt>, restored by the prefix', async () => {
    const first = store('101', '2');
    expect(first.saveKey).toBe(`${stateKey}-101-2`);
    expect(first.path).toBe(join(runnerTemp, 'cf-insights-state', stateKey, 'state.json'));
    expect(await first.save(doc('a'))).toEqual({ saved: true, location: `${stateKey}-101-2` });

    expect(fake.entries.map((e) => [e.key, e.committed])).toEqual([[`${stateKey}-101-2`, true]]);
    expect(fake.requests.map((r) => [r.step, r.status])).toEqual(
      protocol === 'v2'
        ? [
            ['reserve', 200],
            ['upload', 201],
            ['commit', 200],
          ]
        : [['reserve', 201], ...fake.requests.filter((r) => r.step === 'upload').map(() => ['upload', 204]), ['commit', 204]],
    );
    const upload = fake.requests.find((r) => r.step === 'upload')!;
    if (protocol === 'v2') {
      // One Put Blob through the Azure SDK to the signed URL, then the finalize with the blob's size.
      expect(upload).toMatchObject({ method: 'PUT', query: { sp: 'cw' }, headers: { 'x-ms-blob-type': 'BlockBlob' } });
      const finalize = fake.requests.find((r) => r.step === 'commit')!;
      expect(finalize.body).toEqual({ key: `${stateKey}-101-2`, version: fake.entries[0]!.version, size_bytes: String(fake.entries[0]!.size) });
    } else {
      expect(upload.contentRange).toMatch(/^bytes 0-\d+\/\*$/);
    }

    await rm(first.path);
    const loaded = await store('102').load({ scope, filters: 'f' });
    expect(loaded).toEqual({ state: doc('a'), source: `Actions cache ${stateKey}-101-2` });
    const lookup = fake.requests.find((r) => r.step === 'lookup')!;
    expect(lookup.hit).toBe(true);
    if (protocol === 'v2') expect(lookup.body).toEqual({ key: `${stateKey}-`, restore_keys: [`${stateKey}-`], version: fake.entries[0]!.version });
    else expect(lookup.query['keys']).toBe(`${stateKey}-,${stateKey}-`);
    expect(fake.requests.at(-1)).toMatchObject({ step: 'download', method: 'GET', status: 200 });
    expect(fake.violations).toEqual([]);
    expect(log.lines.filter((l) => l.level !== 'debug')).toEqual([]);
  });

  it('the newest entry wins over three runs', async () => {
    for (const run of ['1', '2', '3']) {
      expect((await store(run).save(doc(`run-${run}`))).saved).toBe(true);
    }
    expect(fake.entries.map((e) => e.key)).toEqual([`${stateKey}-1-1`, `${stateKey}-2-1`, `${stateKey}-3-1`]);
    const loaded = await store('4').load({ scope });
    expect(loaded.source).toBe(`Actions cache ${stateKey}-3-1`);
    expect(loaded.state).toEqual(doc('run-3'));
    expect(fake.violations).toEqual([]);
  });

  it('a second save under the same key is reported as not saved, with the reason', async () => {
    expect((await store('9').save(doc('a'))).saved).toBe(true);
    const again = await store('9').save(doc('b'));
    expect(again.saved).toBe(false);
    expect(again.location).toBe(`${stateKey}-9-1`);
    expect(again.reason).toMatch(/^Could not save the state to the Actions cache under cf-insights-test-state-9-1 \(/);
    expect(again.reason).toMatch(speaks.duplicate);
    expect(debugLog()).toMatch(speaks.duplicateDebug);
    expect(fake.requests.filter((r) => r.step === 'reserve').map((r) => r.status)).toEqual(protocol === 'v2' ? [200, 409] : [201, 409]);
    expect(fake.entries).toHaveLength(1);
    expect((await store('10').load({ scope })).state).toEqual(doc('a'));
  });

  it.each(['reserve', 'upload', 'commit'] as const)('a service error on %s is a failed save with the reason, not a silent success', async (step) => {
    fake.faults[step] = fault;
    const result = await store('5').save(doc('a'));
    expect(result.saved).toBe(false);
    expect(result.skipped).toBeUndefined();
    expect(result.reason).toMatch(/^Could not save the state to the Actions cache under cf-insights-test-state-5-1 \(/);
    expect(result.reason).toMatch(speaks.saveFault[step]);
    expect(fake.entries.filter((e) => e.committed)).toEqual([]);
  });

  it('with nothing under its key yet, restores from the earlier default key (the ledger carries over); saves under its own', async () => {
    const legacyKey = 'cf-insights-test-legacy';
    expect(
      (await cacheStateStore({ env: process.env, stdout: process.stdout, stateKey: legacyKey, runId: '1', runAttempt: '1', log }).save(doc('old'))).saved,
    ).toBe(true);
    const next = cacheStateStore({ env: process.env, stdout: process.stdout, stateKey, runId: '2', runAttempt: '1', log, legacyStateKey: legacyKey });
    const loaded = await next.load({ scope });
    expect(loaded).toEqual({ state: doc('old'), source: `Actions cache ${legacyKey}-1-1` });
    expect((await next.save(doc('new'))).location).toBe(`${stateKey}-2-1`);
    const third = await cacheStateStore({
      env: process.env,
      stdout: process.stdout,
      stateKey,
      runId: '3',
      runAttempt: '1',
      log,
      legacyStateKey: legacyKey,
    }).load({ scope });
    expect(third).toEqual({ state: doc('new'), source: `Actions cache ${stateKey}-2-1` });
  });

  // What only the v2 service does.
  if (protocol === 'v2') {
    it('with signed URLs on *.blob.core.windows.net, as on a hosted runner, uploads and downloads through the Azure SDK', async () => {
      const azure = await startCacheServiceFake({ protocol: 'v2', azureHost: true });
      const restore = setEnv(azure.env);
      try {
        expect((await store('1').save(doc('a'))).saved).toBe(true);
        const loaded = await store('2').load({ scope });
        expect(loaded).toEqual({ state: doc('a'), source: `Actions cache ${stateKey}-1-1` });
        const blob = azure.requests.filter((r) => r.step === 'upload' || r.step === 'download');
        expect(blob.every((r) => r.headers['host']?.startsWith('fakestorage.blob.core.windows.net:'))).toBe(true);
        // BlockBlobClient.getProperties, then downloadToBuffer's ranged GET.
        expect(blob.map((r) => [r.step, r.method, r.status])).toEqual([
          ['upload', 'PUT', 201],
          ['download', 'HEAD', 200],
          ['download', 'GET', 206],
        ]);
        expect(blob[2]!.headers['x-ms-range']).toBe(`bytes=0-${azure.entries[0]!.size - 1}`);
        expect(azure.violations).toEqual([]);
      } finally {
        restore();
        await azure.close();
      }
    });

    it('a reservation refused to a read-only token is a failed save that says so', async () => {
      fake.faults.writeDenied = true;
      const result = await store('7').save(doc('a'));
      expect(result.saved).toBe(false);
      expect(result.reason).toMatch(
        /\(Unable to reserve cache with key cf-insights-test-state-7-1\. More details: cache write denied: token has no writable scopes\)/,
      );
      expect(fake.entries).toEqual([]);
    });

    it("a finalize answered ok: false is a failed save with the service's message", async () => {
      fake.faults.finalizeNotOk = 'cache entry size exceeds the quota';
      const result = await store('6').save(doc('a'));
      expect(result).toEqual({
        saved: false,
        location: `${stateKey}-6-1`,
        reason: `Could not save the state to the Actions cache under ${stateKey}-6-1 (cache entry size exceeds the quota); the next run starts from the previous saved state.`,
      });
    });
  }

  it('a cache miss is a first run with a notice, not a warning', async () => {
    const loaded = await store('1').load({ scope });
    expect(loaded).toEqual({ state: null, notice: `No saved state in the Actions cache under ${stateKey}-*: this run starts as a first run.` });
    expect(fake.requests).toMatchObject([{ step: 'lookup', hit: false }]);
  });

  it('a state file left by an earlier restore does not pass for a hit', async () => {
    const s = store('1');
    await mkdir(join(s.path, '..'), { recursive: true });
    await writeFile(s.path, serializeState(doc('stale')));
    expect((await s.load({ scope })).state).toBeNull();
  });

  it.each([
    [
      'a lookup error',
      (f: CacheServiceFake): void => {
        f.faults.lookup = fault;
      },
      'lookup',
    ],
    [
      'a download error',
      (f: CacheServiceFake): void => {
        f.faults.download = fault;
      },
      'download',
    ],
    [
      'a corrupt archive',
      (f: CacheServiceFake): void => {
        f.faults.corruptArchive = true;
      },
      'corrupt',
    ],
  ] as const)('%s on restore is a warning and a first run', async (_name, inject, kind) => {
    expect((await store('1').save(doc('a'))).saved).toBe(true);
    inject(fake);
    const loaded = await store('2').load({ scope });
    expect(loaded.state).toBeNull();
    expect(loaded.notice).toBeUndefined();
    expect(loaded.warning).toMatch(/^Could not restore the saved state from the Actions cache \(.+\): this run starts as a first run\.$/);
    expect(loaded.warning).toMatch(kind === 'corrupt' ? /tar/ : speaks.restoreFault[kind]);
  });

  it('a restored document for another scope is not used', async () => {
    expect((await store('1').save(doc('a', { scope: 'zones/ffff' }))).saved).toBe(true);
    const loaded = await store('2').load({ scope });
    expect(loaded.state).toBeNull();
    expect(loaded.warning).toBe(
      `Ignoring saved state (Actions cache ${stateKey}-1-1): it belongs to zones/ffff, not ${scope}; this run starts as a first run.`,
    );
  });

  it('an entry under another state key that shares the prefix is not restored (the path differs, so the version does)', async () => {
    const other = cacheStateStore({ env: process.env, stdout: process.stdout, stateKey: `${stateKey}-other`, runId: '1', runAttempt: '1', log });
    expect((await other.save(doc('other'))).saved).toBe(true);
    expect((await store('2').load({ scope })).state).toBeNull();
  });

  describe('when the cache is unavailable', () => {
    const cases: [string, Record<string, string | undefined>, string][] = [
      ['no runtime token', { ACTIONS_RUNTIME_TOKEN: undefined }, 'no ACTIONS_RUNTIME_TOKEN: not running in GitHub Actions'],
      ['cache mode none', { ACTIONS_CACHE_MODE: 'none' }, 'ACTIONS_CACHE_MODE=none'],
      [
        'no cache URL (e.g. GHES without cache)',
        { [speaks.urlVar]: undefined },
        `no ${speaks.urlVar}: the runner offers no cache service (e.g. GitHub Enterprise Server without the cache)`,
      ],
    ];
    it.each(cases)('%s: a stateless run with a notice, and no request', async (_name, env, reason) => {
      const restore = setEnv(env);
      try {
        const s = store('1');
        const notice = `Actions cache unavailable (${reason}): running without saved state; the GitHub issues still prevent duplicates.`;
        expect(await s.load({ scope })).toEqual({ state: null, notice });
        expect(await s.save(doc('a'))).toEqual({ saved: false, skipped: true, reason: notice });
        expect(fake.requests).toEqual([]);
      } finally {
        restore();
      }
    });

    it('a read-only cache mode restores but says why it did not save', async () => {
      expect((await store('1').save(doc('a'))).saved).toBe(true);
      const restore = setEnv({ ACTIONS_CACHE_MODE: 'read' });
      try {
        expect((await store('2').load({ scope })).state).toEqual(doc('a'));
        const saved = await store('2').save(doc('b'));
        expect(saved).toEqual({
          saved: false,
          skipped: true,
          reason: "Actions cache mode 'read' does not allow saving (e.g. a run from a fork): the state was not saved.",
        });
        expect(fake.entries).toHaveLength(1);
      } finally {
        restore();
      }
    });
  });

  it('keeps the library output out of the user-facing log', async () => {
    fake.faults.lookup = fault;
    const writes: string[] = [];
    const original = process.stdout.write;
    process.stdout.write = ((chunk: string) => {
      writes.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    try {
      await store('1').load({ scope });
    } finally {
      process.stdout.write = original;
    }
    expect(writes.filter((w) => w.startsWith('::error::') || w.startsWith('::warning::'))).toEqual([]);
    expect(log.lines.some((l) => l.level === 'debug' && l.message.startsWith('@actions/cache: '))).toBe(true);
  });
});
