/**
 * A fake of the GitHub Actions cache service, legacy protocol (what `@actions/cache` v6
 * speaks when ACTIONS_CACHE_SERVICE_V2 is unset): a real HTTP server on 127.0.0.1 that
 * the REAL library saves to and restores from.
 *
 * Usage:
 *   const fake = await startCacheServiceFake();
 *   const restoreEnv = setEnv({ ...fake.env, RUNNER_TEMP: someTempDir });
 *   ... saveCache / restoreCache, or cacheStateStore(...) ...
 *   restoreEnv(); await fake.close();
 *
 * API:
 * - `url`: the ACTIONS_CACHE_URL value, with the trailing slash the runner gives.
 * - `token`: the ACTIONS_RUNTIME_TOKEN the fake requires (`Authorization: Bearer`), 401 otherwise.
 * - `env`: the variables the library needs, with the ones that would switch it to the
 *   v2 (twirp) protocol, GHES or a cache mode set to undefined (= delete). RUNNER_TEMP is
 *   the caller's: the library makes its archive folders there.
 * - `entries`: every reserved entry (`committed` once the commit arrived), oldest first.
 * - `requests`: every request: method, path, query, status, content-range.
 * - `faults`: set a field to make that step fail with the status (use 500: the library
 *   retries 502/503/504 after 5 s each): `lookup` (GET cache), `reserve` (POST caches),
 *   `upload` (PATCH), `commit` (POST caches/{id}), `download` (archive GET);
 *   `corruptArchive: true` serves garbage of the right length instead of the archive.
 * - `close()`.
 *
 * Protocol (from node_modules/@actions/cache/lib/internal/cacheHttpClient.js):
 * - GET  {url}_apis/artifactcache/cache?keys=k1,k2&version=v -> 204 miss, or 200
 *   {cacheKey, scope, cacheVersion, creationTime, archiveLocation}. Each key in order:
 *   an exact match, else the newest entry whose key starts with it; version must match.
 * - GET  {url}_apis/artifactcache/caches?key=k -> {totalCount, artifactCaches} (debug only).
 * - POST {url}_apis/artifactcache/caches {key, version, cacheSize} -> 201 {cacheId};
 *   409 when the key and version exist already (keys are immutable).
 * - PATCH {url}_apis/artifactcache/caches/{id} with `Content-Range: bytes s-e/*` -> 204.
 * - POST {url}_apis/artifactcache/caches/{id} {size} -> 204 when the chunks cover exactly size bytes.
 * - archiveLocation is a plain http URL on this server (not *.blob.core.windows.net), so
 *   the library downloads it with its http-client in one GET, checking Content-Length.
 * Branch scopes (GITHUB_REF) are not modelled: every entry is visible to every lookup.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CacheEntryRecord {
  id: number;
  key: string;
  version: string;
  /** Announced at reserve time. */
  cacheSize: number | undefined;
  committed: boolean;
  /** Order of commit: the newest entry has the highest. */
  seq: number;
  createdAt: string;
  /** The archive (compressed tar) once committed. */
  data: Buffer;
  /** Size of the committed archive in bytes. */
  size: number;
  chunks: { start: number; data: Buffer }[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  contentRange?: string;
}

export interface CacheFaults {
  lookup?: number;
  reserve?: number;
  upload?: number;
  commit?: number;
  download?: number;
  corruptArchive?: boolean;
}

export interface CacheServiceFake {
  url: string;
  token: string;
  env: Record<string, string | undefined>;
  entries: CacheEntryRecord[];
  requests: RecordedRequest[];
  faults: CacheFaults;
  close(): Promise<void>;
}

const API = '_apis/artifactcache/';

export async function startCacheServiceFake(): Promise<CacheServiceFake> {
  const token = `fake-runtime-token-${randomBytes(6).toString('hex')}`;
  const signature = randomBytes(8).toString('hex');
  const entries: CacheEntryRecord[] = [];
  const requests: RecordedRequest[] = [];
  const faults: CacheFaults = {};
  let nextId = 1;
  let nextSeq = 1;
  let base = '';

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      send(res, 500, { message: `fake failed: ${String(error)}` });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', base);
    const body = await readBody(req);
    const query = Object.fromEntries(url.searchParams);
    const record: RecordedRequest = { method: req.method ?? '', path: url.pathname, query, status: 0 };
    const range = req.headers['content-range'];
    if (typeof range === 'string') record.contentRange = range;
    requests.push(record);
    const reply = (status: number, json?: unknown, headers?: Record<string, string>) => {
      record.status = status;
      send(res, status, json, headers);
    };

    const prefix = new URL(API, base).pathname;
    if (url.pathname.startsWith('/archives/')) {
      return serveArchive(url, record, res);
    }
    if (!url.pathname.startsWith(prefix)) return reply(404, { message: 'not found' });
    if (req.headers.authorization !== `Bearer ${token}`) return reply(401, { message: 'bad or missing runtime token' });
    const resource = url.pathname.slice(prefix.length);

    if (req.method === 'GET' && resource === 'cache') {
      if (faults.lookup) return reply(faults.lookup, { message: 'injected lookup fault' });
      const keys = (url.searchParams.get('keys') ?? '').split(',').filter((k) => k !== '');
      const version = url.searchParams.get('version') ?? '';
      const hit = lookup(keys, version);
      if (!hit) return reply(204);
      return reply(200, {
        cacheKey: hit.key,
        scope: 'refs/heads/main',
        cacheVersion: hit.version,
        creationTime: hit.createdAt,
        archiveLocation: new URL(`/archives/${hit.id}?sig=${signature}`, base).toString(),
      });
    }
    if (req.method === 'GET' && resource === 'caches') {
      const key = url.searchParams.get('key') ?? '';
      const matching = entries.filter((e) => e.committed && e.key === key);
      return reply(200, {
        totalCount: matching.length,
        artifactCaches: matching.map((e) => ({ cacheKey: e.key, cacheVersion: e.version, scope: 'refs/heads/main', creationTime: e.createdAt })),
      });
    }
    if (req.method === 'POST' && resource === 'caches') {
      if (faults.reserve) return reply(faults.reserve, { message: 'injected reserve fault' });
      const request = parseJson(body) as { key?: unknown; version?: unknown; cacheSize?: unknown } | undefined;
      if (typeof request?.key !== 'string' || typeof request.version !== 'string') {
        return reply(400, { message: 'key and version are required' });
      }
      const { key, version } = request;
      if (entries.some((e) => e.key === key && e.version === version)) {
        return reply(409, {
          message: `Cache already exists. Scope: refs/heads/main, Key: ${key}, Version: ${version}`,
          typeName: 'Microsoft.Azure.DevOps.PipelineCache.WebApi.ArtifactCacheAlreadyExistsException',
        });
      }
      const entry: CacheEntryRecord = {
        id: nextId++,
        key,
        version,
        cacheSize: typeof request.cacheSize === 'number' ? request.cacheSize : undefined,
        committed: false,
        seq: 0,
        createdAt: '',
        data: Buffer.alloc(0),
        size: 0,
        chunks: [],
      };
      entries.push(entry);
      return reply(201, { cacheId: entry.id });
    }
    const idMatch = /^caches\/(\d+)$/.exec(resource);
    if (idMatch) {
      const entry = entries.find((e) => e.id === Number(idMatch[1]));
      if (!entry) return reply(404, { message: 'no such cache' });
      if (entry.committed) return reply(409, { message: 'cache already committed' });
      if (req.method === 'PATCH') {
        if (faults.upload) return reply(faults.upload, { message: 'injected upload fault' });
        const m = /^bytes (\d+)-(\d+)\/\*$/.exec(record.contentRange ?? '');
        if (!m) return reply(400, { message: 'Content-Range bytes start-end/* required' });
        const start = Number(m[1]);
        const end = Number(m[2]);
        if (end - start + 1 !== body.length) return reply(400, { message: 'Content-Range does not match the body' });
        entry.chunks.push({ start, data: body });
        return reply(204);
      }
      if (req.method === 'POST') {
        if (faults.commit) return reply(faults.commit, { message: 'injected commit fault' });
        const size = (parseJson(body) as { size?: unknown } | undefined)?.size;
        if (typeof size !== 'number') return reply(400, { message: 'size is required' });
        const data = assemble(entry.chunks, size);
        if (!data) return reply(400, { message: `uploaded chunks do not cover ${size} bytes` });
        entry.data = data;
        entry.size = size;
        entry.chunks = [];
        entry.committed = true;
        entry.seq = nextSeq++;
        entry.createdAt = new Date().toISOString();
        return reply(204);
      }
    }
    return reply(404, { message: `no route for ${req.method} ${resource}` });
  }

  function lookup(keys: string[], version: string): CacheEntryRecord | undefined {
    const candidates = entries.filter((e) => e.committed && e.version === version);
    const newest = (list: CacheEntryRecord[]) => list.reduce<CacheEntryRecord | undefined>((a, e) => (!a || e.seq > a.seq ? e : a), undefined);
    for (const key of keys) {
      const hit = newest(candidates.filter((e) => e.key === key)) ?? newest(candidates.filter((e) => e.key.startsWith(key)));
      if (hit) return hit;
    }
    return undefined;
  }

  function serveArchive(url: URL, record: RecordedRequest, res: ServerResponse): void {
    const entry = entries.find((e) => e.committed && `/archives/${e.id}` === url.pathname);
    const status = !entry || url.searchParams.get('sig') !== signature ? 404 : (faults.download ?? 200);
    record.status = status;
    if (status !== 200 || !entry) {
      send(res, status, { message: 'archive not available' });
      return;
    }
    const bytes = faults.corruptArchive ? Buffer.alloc(entry.data.length, 0x5a) : entry.data;
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(bytes.length) });
    res.end(bytes);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}/tenant-0/`;

  return {
    url: base,
    token,
    env: {
      ACTIONS_CACHE_URL: base,
      ACTIONS_RUNTIME_TOKEN: token,
      ACTIONS_CACHE_SERVICE_V2: undefined,
      ACTIONS_RESULTS_URL: undefined,
      ACTIONS_CACHE_MODE: undefined,
      GITHUB_SERVER_URL: undefined,
    },
    entries,
    requests,
    faults,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Sets (or, for undefined, deletes) environment variables; returns a function that puts them back. */
export function setEnv(vars: Record<string, string | undefined>): () => void {
  const saved = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(vars)) {
    saved.set(name, process.env[name]);
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

function assemble(chunks: { start: number; data: Buffer }[], size: number): Buffer | undefined {
  const out = Buffer.alloc(size);
  const covered = new Uint8Array(size);
  for (const chunk of chunks) {
    if (chunk.start + chunk.data.length > size) return undefined;
    chunk.data.copy(out, chunk.start);
    covered.fill(1, chunk.start, chunk.start + chunk.data.length);
  }
  return covered.every((c) => c === 1) ? out : undefined;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, status: number, json?: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  if (json === undefined || status === 204) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(json);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}
