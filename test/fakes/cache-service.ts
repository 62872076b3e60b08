/**
 * A fake of the GitHub Actions cache service in both protocols `@actions/cache` v6 speaks:
 * a real HTTP server on 127.0.0.1 that the REAL library saves to and restores from.
 *
 * Usage:
 *   const fake = await startCacheServiceFake({ protocol: 'v2' });   // 'v2' by default
 *   const restoreEnv = setEnv({ ...fake.env, RUNNER_TEMP: someTempDir });
 *   ... saveCache / restoreCache, or cacheStateStore(...) ...
 *   restoreEnv(); await fake.close();
 *
 * API:
 * - `protocol`; `url`: ACTIONS_RESULTS_URL (v2) or ACTIONS_CACHE_URL (v1).
 * - `token`: the ACTIONS_RUNTIME_TOKEN the fake requires (`Authorization: Bearer`), 401 otherwise.
 *   @actions/cache sends it as it is (it does not read the JWT's scopes; the real service does).
 * - `env`: the variables a runner sets for that protocol, the others set to undefined
 *   (= delete). RUNNER_TEMP is the caller's: the library makes its archive folders there.
 * - `entries`: every reserved entry (`committed` once finalized), oldest first.
 * - `requests`: every request, with its `step` in either protocol (lookup, reserve,
 *   upload, commit, download), `hit` for lookups, the twirp `body`, the headers.
 * - `violations`: requests outside the protocol (bad body, bad signature, missing header).
 * - `faults`: set a step to a status to make it fail (see FAULT_STATUS);
 *   `corruptArchive: true` serves garbage of the right length instead of the archive;
 *   `writeDenied` (v2) a reservation refused to a read-only token; `finalizeNotOk` (v2) a
 *   finalize answered `ok: false` with that message.
 *
 * v2, what hosted runners use (ACTIONS_CACHE_SERVICE_V2, ACTIONS_RESULTS_URL; read from
 * lib/internal/shared/cacheTwirpClient.js, lib/generated/results/api/v1/cache*.js,
 * lib/internal/uploadUtils.js, downloadUtils.js, cacheHttpClient.js):
 * - POST /twirp/github.actions.results.api.v1.CacheService/<Method>, JSON with proto field
 *   names; errors are twirp's `{code, msg}` with the matching HTTP status.
 *   GetCacheEntryDownloadURL {key, restore_keys, version} -> {ok, signed_download_url, matched_key};
 *   CreateCacheEntry {key, version} -> {ok, signed_upload_url}, or 409 already_exists for a
 *   key and version that exist (keys are immutable);
 *   FinalizeCacheEntryUpload {key, version, size_bytes} -> {ok, entry_id} once the blob holds size_bytes.
 * - The signed URLs point at a blob endpoint on this server, path-style as Azure uses for IP
 *   hosts: the Azure SDK's BlockBlobClient.uploadFile sends an archive under 128 MiB as one
 *   Put Blob (PUT, `x-ms-blob-type: BlockBlob`). The library downloads a URL that is not on
 *   *.blob.core.windows.net with its http-client in one GET; with `azureHost` the URLs are
 *   on that domain (through this server as a proxy), and it downloads as on a hosted runner:
 *   the SDK's getProperties (HEAD), then a GET with `x-ms-range` (answered 206, with an ETag).
 *
 * v1, the legacy protocol (some GitHub Enterprise Servers; lib/internal/cacheHttpClient.js):
 * - GET  {url}_apis/artifactcache/cache?keys=k1,k2&version=v -> 204 miss, or 200 {archiveLocation, ...}.
 * - GET  {url}_apis/artifactcache/caches?key=k -> {totalCount, artifactCaches} (debug only).
 * - POST {url}_apis/artifactcache/caches {key, version, cacheSize} -> 201 {cacheId}; 409 when it exists.
 * - PATCH {url}_apis/artifactcache/caches/{id} with `Content-Range: bytes s-e/*` -> 204.
 * - POST {url}_apis/artifactcache/caches/{id} {size} -> 204 when the chunks cover exactly size bytes.
 *
 * Lookups, in both: each key in order, an exact match, else the newest entry whose key
 * starts with it; the version must match. Branch scopes (GITHUB_REF) are not modelled.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** v2: twirp + signed blob URLs (GitHub's hosted runners); v1: the legacy REST protocol (some GHES). */
export type CacheProtocol = 'v1' | 'v2';

export const CACHE_PROTOCOLS: readonly CacheProtocol[] = ['v2', 'v1'];

export interface CacheEntryRecord {
  id: number;
  key: string;
  version: string;
  /** v1: announced at reserve time. */
  cacheSize: number | undefined;
  committed: boolean;
  /** Order of commit: the newest entry has the highest. */
  seq: number;
  createdAt: string;
  /** The archive (compressed tar) once committed. */
  data: Buffer;
  /** Size of the committed archive in bytes. */
  size: number;
  /** v1: the PATCHed chunks until the commit. */
  chunks: { start: number; data: Buffer }[];
  /** v2: the blob as Put Blob stored it, until the finalize. */
  blob?: Buffer;
}

/** What a request did, in either protocol's terms. */
export type CacheStep = 'lookup' | 'list' | 'reserve' | 'upload' | 'commit' | 'download' | 'unknown';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  step: CacheStep;
  /** lookup: whether an entry matched. */
  hit?: boolean;
  /** v2 twirp: the parsed JSON body. */
  body?: unknown;
  /** Request headers, without Authorization. */
  headers: Record<string, string>;
  contentRange?: string;
}

/**
 * A step answers with this status when set. Use statuses the library does not retry
 * (`FAULT_STATUS`): v1 retries 502/503/504, the v2 twirp client also 500, and the Azure
 * SDK 500 and 503, each after seconds of backoff.
 */
export interface CacheFaults {
  lookup?: number;
  reserve?: number;
  upload?: number;
  commit?: number;
  download?: number;
  corruptArchive?: boolean;
  /** v2: CreateCacheEntry answers 200 `{ok: false, message: 'cache write denied: …'}`, as for a read-only runtime token. */
  writeDenied?: boolean;
  /** v2: FinalizeCacheEntryUpload answers 200 `{ok: false, message}` with this message. */
  finalizeNotOk?: string;
}

/** A failure each protocol reports at once: v1 a 500; v2 a 403 (twirp permission_denied, an expired SAS). */
export const FAULT_STATUS: Record<CacheProtocol, number> = { v1: 500, v2: 403 };

export interface CacheServiceFake {
  protocol: CacheProtocol;
  /** ACTIONS_CACHE_URL (v1) or ACTIONS_RESULTS_URL (v2), with the trailing slash the runner gives. */
  url: string;
  token: string;
  env: Record<string, string | undefined>;
  entries: CacheEntryRecord[];
  requests: RecordedRequest[];
  /** Requests that broke the protocol as @actions/cache speaks it (answered as the real service would). */
  violations: string[];
  faults: CacheFaults;
  close(): Promise<void>;
}

const V1_API = '_apis/artifactcache/';
const TWIRP = '/twirp/github.actions.results.api.v1.CacheService/';
/** Path-style blob URLs, as Azure uses for IP hosts (Azurite too): /<account>/<container>/<blob>. */
const BLOB = '/fakestorage/actions-cache/';
const AZURE_VERSION = '2025-11-05';
const AZURE_HOST = 'fakestorage.blob.core.windows.net';
/** Virtual-host style: the account is in the host name, the path is /<container>/<blob>. */
const AZURE_BLOB = '/actions-cache/';

function etagOf(data: Buffer): string {
  return `"0x${createHash('sha256').update(data).digest('hex').slice(0, 16).toUpperCase()}"`;
}

/** The entry id of a blob path, in either URL style. */
function blobId(pathname: string): number | undefined {
  const m = /^\/(?:fakestorage\/)?actions-cache\/(\d+)$/.exec(pathname);
  return m ? Number(m[1]) : undefined;
}

const TWIRP_CODES: Record<number, string> = {
  400: 'invalid_argument',
  401: 'unauthenticated',
  403: 'permission_denied',
  404: 'not_found',
  409: 'already_exists',
  412: 'failed_precondition',
  429: 'resource_exhausted',
  500: 'internal',
  503: 'unavailable',
};

export interface CacheServiceFakeOptions {
  protocol?: CacheProtocol;
  /**
   * v2: hand out signed URLs on `fakestorage.blob.core.windows.net` (virtual-host style, as
   * GitHub's are), reached through this server as an HTTP proxy (`HTTP_PROXY` in `env`), so
   * the library downloads with the Azure SDK as on a hosted runner (HEAD, then ranged GETs)
   * instead of its plain http-client. Only for the library in this process: the proxy
   * variable would reach the action's other clients too.
   */
  azureHost?: boolean;
}

export async function startCacheServiceFake(options: CacheServiceFakeOptions = {}): Promise<CacheServiceFake> {
  const protocol = options.protocol ?? 'v2';
  const azureHost = protocol === 'v2' && options.azureHost === true;
  const token = `fake-runtime-token-${randomBytes(6).toString('hex')}`;
  const signature = randomBytes(8).toString('hex');
  const entries: CacheEntryRecord[] = [];
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  const faults: CacheFaults = {};
  let nextId = 1;
  let nextSeq = 1;
  let origin = '';
  let base = '';
  let port = 0;

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      send(res, 500, { message: `fake failed: ${String(error)}` });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const body = await readBody(req);
    const { authorization: _auth, ...headers } = req.headers;
    const record: RecordedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 0,
      step: 'unknown',
      headers: flatHeaders(headers),
    };
    const range = req.headers['content-range'];
    if (typeof range === 'string') record.contentRange = range;
    requests.push(record);
    const authorized = req.headers.authorization === `Bearer ${token}`;
    if (protocol === 'v2')
      return blobId(url.pathname) !== undefined ? handleBlob(req, url, body, record, res) : handleTwirp(req, url, body, authorized, record, res);
    return handleV1(req, url, body, authorized, record, res);
  }

  function violation(record: RecordedRequest, text: string): void {
    violations.push(`${record.method} ${record.path}: ${text}`);
  }

  function newest(list: CacheEntryRecord[]): CacheEntryRecord | undefined {
    return list.reduce<CacheEntryRecord | undefined>((a, e) => (!a || e.seq > a.seq ? e : a), undefined);
  }

  /** Each key in order: an exact match, else the newest entry whose key starts with it; the version must match. */
  function lookup(keys: string[], version: string): CacheEntryRecord | undefined {
    const candidates = entries.filter((e) => e.committed && e.version === version);
    for (const key of keys) {
      const hit = newest(candidates.filter((e) => e.key === key)) ?? newest(candidates.filter((e) => e.key.startsWith(key)));
      if (hit) return hit;
    }
    return undefined;
  }

  function newEntry(key: string, version: string, cacheSize?: number): CacheEntryRecord {
    const entry: CacheEntryRecord = {
      id: nextId++,
      key,
      version,
      cacheSize,
      committed: false,
      seq: 0,
      createdAt: '',
      data: Buffer.alloc(0),
      size: 0,
      chunks: [],
    };
    entries.push(entry);
    return entry;
  }

  function commit(entry: CacheEntryRecord, data: Buffer): void {
    entry.data = data;
    entry.size = data.length;
    entry.chunks = [];
    delete entry.blob;
    entry.committed = true;
    entry.seq = nextSeq++;
    entry.createdAt = new Date().toISOString();
  }

  // ---- v2: twirp JSON (lib/generated/results/api/v1/cache.twirp-client.js) ----

  function handleTwirp(req: IncomingMessage, url: URL, body: Buffer, authorized: boolean, record: RecordedRequest, res: ServerResponse) {
    const reply = (status: number, json: unknown) => {
      record.status = status;
      send(res, status, json);
    };
    const fail = (status: number, msg: string) => reply(status, { code: TWIRP_CODES[status] ?? 'unknown', msg });
    const method = url.pathname.startsWith(TWIRP) ? url.pathname.slice(TWIRP.length) : '';
    const step = ({ GetCacheEntryDownloadURL: 'lookup', CreateCacheEntry: 'reserve', FinalizeCacheEntryUpload: 'commit' } as const)[method];
    if (!step || req.method !== 'POST') {
      violation(record, 'not a twirp route of CacheService');
      return fail(404, `no handler for path ${url.pathname}`);
    }
    record.step = step;
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) {
      violation(record, `Content-Type ${req.headers['content-type']}`);
      return fail(404, 'unexpected Content-Type');
    }
    if (!authorized) {
      violation(record, 'bad or missing runtime token');
      return fail(401, 'the runtime token is missing or invalid');
    }
    const request = parseJson(body);
    record.body = request;
    const problem = checkTwirpBody(method, request);
    if (problem) {
      violation(record, problem);
      return fail(400, problem);
    }
    const r = request as { key: string; version: string; restore_keys?: string[]; size_bytes?: string | number };

    if (step === 'lookup') {
      if (faults.lookup) return fail(faults.lookup, 'injected lookup fault');
      const hit = lookup([r.key, ...(r.restore_keys ?? [])], r.version);
      record.hit = hit !== undefined;
      if (!hit) return reply(200, { ok: false, signed_download_url: '', matched_key: '' });
      return reply(200, { ok: true, signed_download_url: blobUrl(hit, 'r'), matched_key: hit.key });
    }
    if (step === 'reserve') {
      if (faults.reserve) return fail(faults.reserve, 'injected reserve fault');
      if (faults.writeDenied) return reply(200, { ok: false, signed_upload_url: '', message: 'cache write denied: token has no writable scopes' });
      // Keys are immutable: what the service answers a second CreateCacheEntry with.
      if (entries.some((e) => e.key === r.key && e.version === r.version)) {
        return fail(409, 'cache entry with the same key, version, and scope already exists');
      }
      return reply(200, { ok: true, signed_upload_url: blobUrl(newEntry(r.key, r.version), 'cw') });
    }
    if (faults.commit) return fail(faults.commit, 'injected commit fault');
    if (faults.finalizeNotOk) return reply(200, { ok: false, entry_id: '0', message: faults.finalizeNotOk });
    const entry = entries.find((e) => e.key === r.key && e.version === r.version);
    if (!entry) return fail(404, 'cache entry not found');
    if (entry.committed) return fail(409, 'cache entry with the same key, version, and scope already exists');
    if (!entry.blob) return fail(412, 'no blob was uploaded for this cache entry');
    if (Number(r.size_bytes) !== entry.blob.length) {
      violation(record, `size_bytes ${r.size_bytes} but the blob holds ${entry.blob.length} bytes`);
      return fail(400, 'size_bytes does not match the uploaded blob');
    }
    commit(entry, entry.blob);
    return reply(200, { ok: true, entry_id: String(entry.id) });
  }

  /** `sp=cw` to upload (create, write), `sp=r` to download; each with its own signature. */
  function blobUrl(entry: CacheEntryRecord, permissions: 'cw' | 'r'): string {
    const expiry = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const query = new URLSearchParams({ sv: AZURE_VERSION, sr: 'b', sp: permissions, se: expiry, sig: sign(entry.id, permissions) });
    return azureHost ? `http://${AZURE_HOST}:${port}${AZURE_BLOB}${entry.id}?${query}` : `${origin}${BLOB}${entry.id}?${query}`;
  }

  function sign(id: number, permissions: string): string {
    return createHash('sha256').update(`${signature}:${id}:${permissions}`).digest('base64');
  }

  // ---- v2: the blob endpoint (Azure Blob Storage REST: Put Blob, Get Blob, Get Blob Properties) ----

  function handleBlob(req: IncomingMessage, url: URL, body: Buffer, record: RecordedRequest, res: ServerResponse) {
    const azureError = (status: number, code: string, message: string) => {
      record.status = status;
      const xml = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
      res.writeHead(status, {
        'Content-Type': 'application/xml',
        'x-ms-error-code': code,
        'x-ms-version': AZURE_VERSION,
        'Content-Length': String(Buffer.byteLength(xml)),
      });
      res.end(req.method === 'HEAD' ? undefined : xml);
    };
    const write = req.method === 'PUT';
    record.step = write ? 'upload' : 'download';
    const entry = entries.find((e) => e.id === blobId(url.pathname));
    const sp = url.searchParams.get('sp') ?? '';
    const allowed = write ? sp === 'cw' : sp === 'r';
    if (!entry || !allowed || url.searchParams.get('sig') !== sign(entry.id, sp)) {
      violation(record, 'not a signed URL the service handed out for this operation');
      return azureError(403, 'AuthenticationFailed', 'Server failed to authenticate the request.');
    }
    if (write) {
      if (faults.upload) return azureError(faults.upload, 'InjectedFault', 'injected upload fault');
      // Archives under 128 MiB go up in one Put Blob (uploadCacheArchiveSDK's maxSingleShotSize).
      if (url.searchParams.has('comp')) {
        violation(record, `comp=${url.searchParams.get('comp')}: only a single-shot Put Blob is expected`);
        return azureError(400, 'UnsupportedQueryParameter', 'The fake takes single-shot Put Blob only.');
      }
      if (req.headers['x-ms-blob-type'] !== 'BlockBlob') {
        violation(record, `x-ms-blob-type ${req.headers['x-ms-blob-type']}`);
        return azureError(400, 'MissingRequiredHeader', 'x-ms-blob-type must be BlockBlob.');
      }
      if (!req.headers['x-ms-version']) {
        violation(record, 'no x-ms-version');
        return azureError(400, 'MissingRequiredHeader', 'x-ms-version is required.');
      }
      if (Number(req.headers['content-length']) !== body.length) {
        violation(record, `Content-Length ${req.headers['content-length']} for ${body.length} bytes`);
        return azureError(400, 'InvalidHeaderValue', 'Content-Length does not match the body.');
      }
      if (entry.committed) return azureError(409, 'BlobImmutable', 'The cache entry is finalized.');
      entry.blob = body;
      record.status = 201;
      res.writeHead(201, {
        ETag: etagOf(body),
        'Last-Modified': new Date().toUTCString(),
        'Content-MD5': createHash('md5').update(body).digest('base64'),
        'x-ms-request-id': randomBytes(16).toString('hex'),
        'x-ms-version': AZURE_VERSION,
        'x-ms-request-server-encrypted': 'true',
        'Content-Length': '0',
      });
      res.end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      violation(record, `method ${req.method}`);
      return azureError(405, 'UnsupportedHttpVerb', 'The resource does not support the specified HTTP verb.');
    }
    if (!entry.committed) return azureError(404, 'BlobNotFound', 'The specified blob does not exist.');
    if (faults.download) return azureError(faults.download, 'InjectedFault', 'injected download fault');
    serveBytes(req, entry, record, res);
  }

  // ---- v1: the legacy REST protocol (lib/internal/cacheHttpClient.js) ----

  function handleV1(req: IncomingMessage, url: URL, body: Buffer, authorized: boolean, record: RecordedRequest, res: ServerResponse) {
    const reply = (status: number, json?: unknown) => {
      record.status = status;
      send(res, status, json);
    };
    if (url.pathname.startsWith('/archives/')) {
      record.step = 'download';
      const entry = entries.find((e) => e.committed && `/archives/${e.id}` === url.pathname);
      if (!entry || url.searchParams.get('sig') !== signature) return reply(404, { message: 'archive not available' });
      if (faults.download) return reply(faults.download, { message: 'injected download fault' });
      return serveBytes(req, entry, record, res);
    }
    const prefix = new URL(V1_API, base).pathname;
    if (!url.pathname.startsWith(prefix)) {
      violation(record, 'not a route of the cache API');
      return reply(404, { message: 'not found' });
    }
    if (!authorized) {
      violation(record, 'bad or missing runtime token');
      return reply(401, { message: 'bad or missing runtime token' });
    }
    const resource = url.pathname.slice(prefix.length);

    if (req.method === 'GET' && resource === 'cache') {
      record.step = 'lookup';
      if (faults.lookup) return reply(faults.lookup, { message: 'injected lookup fault' });
      const keys = (url.searchParams.get('keys') ?? '').split(',').filter((k) => k !== '');
      const hit = lookup(keys, url.searchParams.get('version') ?? '');
      record.hit = hit !== undefined;
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
      record.step = 'list';
      const key = url.searchParams.get('key') ?? '';
      const matching = entries.filter((e) => e.committed && e.key === key);
      return reply(200, {
        totalCount: matching.length,
        artifactCaches: matching.map((e) => ({ cacheKey: e.key, cacheVersion: e.version, scope: 'refs/heads/main', creationTime: e.createdAt })),
      });
    }
    if (req.method === 'POST' && resource === 'caches') {
      record.step = 'reserve';
      if (faults.reserve) return reply(faults.reserve, { message: 'injected reserve fault' });
      const request = parseJson(body) as { key?: unknown; version?: unknown; cacheSize?: unknown } | undefined;
      if (typeof request?.key !== 'string' || typeof request.version !== 'string') {
        violation(record, 'key and version are required');
        return reply(400, { message: 'key and version are required' });
      }
      const { key, version } = request;
      if (entries.some((e) => e.key === key && e.version === version)) {
        return reply(409, {
          message: `Cache already exists. Scope: refs/heads/main, Key: ${key}, Version: ${version}`,
          typeName: 'Microsoft.Azure.DevOps.PipelineCache.WebApi.ArtifactCacheAlreadyExistsException',
        });
      }
      const entry = newEntry(key, version, typeof request.cacheSize === 'number' ? request.cacheSize : undefined);
      return reply(201, { cacheId: entry.id });
    }
    const idMatch = /^caches\/(\d+)$/.exec(resource);
    if (idMatch) {
      const entry = entries.find((e) => e.id === Number(idMatch[1]));
      if (!entry) return reply(404, { message: 'no such cache' });
      if (entry.committed) return reply(409, { message: 'cache already committed' });
      if (req.method === 'PATCH') {
        record.step = 'upload';
        if (faults.upload) return reply(faults.upload, { message: 'injected upload fault' });
        const m = /^bytes (\d+)-(\d+)\/\*$/.exec(record.contentRange ?? '');
        if (!m || Number(m[2]) - Number(m[1]) + 1 !== body.length) {
          violation(record, `Content-Range ${record.contentRange} for ${body.length} bytes`);
          return reply(400, { message: 'Content-Range bytes start-end/* matching the body required' });
        }
        entry.chunks.push({ start: Number(m[1]), data: body });
        return reply(204);
      }
      if (req.method === 'POST') {
        record.step = 'commit';
        if (faults.commit) return reply(faults.commit, { message: 'injected commit fault' });
        const size = (parseJson(body) as { size?: unknown } | undefined)?.size;
        if (typeof size !== 'number') {
          violation(record, 'size is required');
          return reply(400, { message: 'size is required' });
        }
        const data = assemble(entry.chunks, size);
        if (!data) return reply(400, { message: `uploaded chunks do not cover ${size} bytes` });
        commit(entry, data);
        return reply(204);
      }
    }
    violation(record, 'no such route');
    return reply(404, { message: `no route for ${req.method} ${resource}` });
  }

  /** The archive, whole or the `Range` (or `x-ms-range`) asked for; HEAD: its properties. */
  function serveBytes(req: IncomingMessage, entry: CacheEntryRecord, record: RecordedRequest, res: ServerResponse) {
    const bytes = faults.corruptArchive ? Buffer.alloc(entry.data.length, 0x5a) : entry.data;
    const headers: Record<string, string> = {
      'Content-Type': 'application/octet-stream',
      'Accept-Ranges': 'bytes',
      'Last-Modified': new Date(entry.createdAt).toUTCString(),
    };
    // Get Blob's headers; the Azure SDK refuses a download without the ETag.
    if (protocol === 'v2') Object.assign(headers, { ETag: etagOf(entry.data), 'x-ms-blob-type': 'BlockBlob', 'x-ms-version': AZURE_VERSION });
    const asked = req.headers['x-ms-range'] ?? req.headers.range;
    const m = typeof asked === 'string' ? /^bytes=(\d+)-(\d*)$/.exec(asked) : null;
    let status = 200;
    let part = bytes;
    if (m) {
      const start = Number(m[1]);
      const end = Math.min(m[2] ? Number(m[2]) : bytes.length - 1, bytes.length - 1);
      if (start > end) {
        record.status = 416;
        res.writeHead(416, { 'Content-Range': `bytes */${bytes.length}` });
        res.end();
        return;
      }
      status = 206;
      part = bytes.subarray(start, end + 1);
      headers['Content-Range'] = `bytes ${start}-${end}/${bytes.length}`;
    }
    headers['Content-Length'] = String(part.length);
    record.status = status;
    res.writeHead(status, headers);
    res.end(req.method === 'HEAD' ? undefined : part);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  // v1: the runner's ACTIONS_CACHE_URL has a tenant path; v2: ACTIONS_RESULTS_URL is an origin.
  base = protocol === 'v1' ? `${origin}/tenant-0/` : `${origin}/`;

  return {
    protocol,
    url: base,
    token,
    env:
      protocol === 'v1'
        ? {
            ACTIONS_CACHE_URL: base,
            ACTIONS_RUNTIME_TOKEN: token,
            ACTIONS_CACHE_SERVICE_V2: undefined,
            ACTIONS_RESULTS_URL: undefined,
            ACTIONS_CACHE_MODE: undefined,
            GITHUB_SERVER_URL: undefined,
          }
        : // A hosted runner: the v2 flag and the results service, no legacy cache URL.
          {
            ACTIONS_CACHE_SERVICE_V2: 'True',
            ACTIONS_RESULTS_URL: base,
            ACTIONS_RUNTIME_TOKEN: token,
            ACTIONS_CACHE_URL: undefined,
            ACTIONS_CACHE_MODE: undefined,
            GITHUB_SERVER_URL: undefined,
            // The Azure SDK's proxy policy reads HTTP_PROXY; @actions/http-client never proxies 127.0.0.1.
            ...(azureHost ? { HTTP_PROXY: origin, HTTPS_PROXY: undefined, ALL_PROXY: undefined, NO_PROXY: undefined } : {}),
          },
    entries,
    requests,
    violations,
    faults,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The request body of each twirp method, as CacheServiceClientJSON writes it (proto field names, no defaults). */
const TWIRP_FIELDS: Record<string, string[]> = {
  GetCacheEntryDownloadURL: ['metadata', 'key', 'restore_keys', 'version'],
  CreateCacheEntry: ['metadata', 'key', 'version'],
  FinalizeCacheEntryUpload: ['metadata', 'key', 'size_bytes', 'version'],
};

function checkTwirpBody(method: string, body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body is not a JSON object';
  const fields = TWIRP_FIELDS[method] ?? [];
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).filter((k) => !fields.includes(k));
  if (unknown.length > 0) return `unknown fields: ${unknown.join(', ')}`;
  if (typeof b['key'] !== 'string' || b['key'] === '') return 'key is required';
  if (b['key'].length > 512 || b['key'].includes(',')) return 'key is longer than 512 characters or holds a comma';
  if (typeof b['version'] !== 'string' || !/^[0-9a-f]{64}$/.test(b['version'])) return 'version must be the 64 hex digits of a sha256';
  const restore = b['restore_keys'];
  if (restore !== undefined && (!Array.isArray(restore) || restore.length > 9 || !restore.every((k) => typeof k === 'string' && k !== ''))) {
    return 'restore_keys must be at most 9 non-empty strings';
  }
  // int64 in proto JSON: a decimal string (a number is accepted too).
  const size = b['size_bytes'];
  if (method === 'FinalizeCacheEntryUpload' && !(typeof size === 'string' ? /^\d+$/.test(size) : Number.isSafeInteger(size)))
    return 'size_bytes must be an int64';
  return undefined;
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]));
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
