/**
 * A fake of the Cloudflare Security Center insights endpoint: a real node:http server
 * on 127.0.0.1 (port 0) that answers the published shape, for tests and benchmarks
 * that drive the real client.
 *
 *   const cf = await startCloudflareFake({ insights: makeInsights(1500) });
 *   // settings: api-base-url = cf.url, account-id = FAKE_ACCOUNT_ID, api-token = FAKE_TOKEN
 *   cf.failOn(2, { kind: 'status429', retryAfter: '3' }); // the 2nd request overall
 *   cf.failNext('reset', 'html502');                      // the next two requests
 *   ... cf.requests ...                                   // what the client sent
 *   await cf.close();
 *
 * Routes: `GET {url}/accounts/{id}/security-center/insights` and `.../zones/{id}/...`.
 * - Envelope `{success, errors:[{code,message}], messages, result}`,
 *   `result = {count, issues, page, per_page}`; `count` is the total of matching insights.
 * - `page` from 1 (default 1); `per_page` default 25 when absent, clamped to
 *   `maxPerPage` (default 1000); the clamped value is echoed. A page past the end is empty.
 *   `omit` / `setOmit()` leave `count`, `page` or `per_page` out (all optional when published).
 * - Filters, repeated per value: `severity` (case-insensitive), `severity~neq`,
 *   `issue_type`, `issue_type~neq`, `issue_class`, `issue_class~neq`, `subject`,
 *   `subject~neq`, `dismissed=true|false` (absent: both). `ignoreFilters` turns them
 *   off, to prove the client filters again.
 * - The published contract (test/contract/cloudflare-insights.schema.json, see
 *   ./contract.ts): a request outside it (a parameter it does not define, a value
 *   outside an enum such as `severity=high`, `per_page=0`) gets HTTP 400 with Cloudflare's
 *   error envelope; every JSON answer is checked before it is sent, and one outside the
 *   contract becomes a 500 naming the problem (listed in `violations`). Insight values
 *   the API is known to send beyond its published enums (High, new types) and nulls are
 *   let through (contract.ts, isToleratedDeviation).
 * - Auth: `Authorization: Bearer <token>` or `X-Auth-Email` + `X-Auth-Key`; anything
 *   else gets HTTP 403 with code 10000. An id not in `accounts`/`zones` gets HTTP 400
 *   with code 7003. Other paths get 404 with code 7000.
 *
 * Faults (by kind; a string is shorthand for `{ kind }`), looked up in this order for
 * each request: `failOn(k, …)` (k = 1-based number of the request, counting all
 * requests since the start or the last `reset()`), then the `failNext(…)` queue, then `failAlways(…)`:
 * - `status500`: 500 with a JSON envelope; `html502`: 502 with an HTML page;
 * - `status429`: 429 with `Retry-After: retryAfter` (default "1"; `null` for none);
 * - `reset`: the socket is destroyed without an answer; `timeout`: never answers;
 * - `truncatedJson`: 200 whose JSON body is cut in half (consistent Content-Length);
 * - `successFalse200`: 200 with `success:false`;
 * - `auth`: 403 code 10000; `unknownAccount`: 400 code 7003; `forbidden`: 403 with
 *   another code (`message` overrides Cloudflare's text);
 * - `countChanges`: the normal page, but `count` is one more;
 * - `repeatIds`: the page starts one insight early (repeats the last id of the
 *   previous page, so one insight is never seen), as when an insight is added mid-fetch;
 * - `custom`: answers `status`, `body` (string, or JSON-encoded) and `headers` as given.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Insight } from '../../src/insights/types.js';
import { contract, describeErrors, isToleratedDeviation } from './contract.js';

export const FAKE_TOKEN = 'cf-fake-token-6f1d2c3b4a5e';
export const FAKE_EMAIL = 'secops@example.com';
export const FAKE_KEY = 'cf-fake-global-key-9a8b7c6d5e4f';
export const FAKE_ACCOUNT_ID = '0123456789abcdef0123456789abcdef';
export const FAKE_ZONE_ID = 'fedcba9876543210fedcba9876543210';

export type FaultKind =
  | 'status500'
  | 'html502'
  | 'status429'
  | 'reset'
  | 'timeout'
  | 'truncatedJson'
  | 'successFalse200'
  | 'auth'
  | 'unknownAccount'
  | 'forbidden'
  | 'countChanges'
  | 'repeatIds'
  | 'custom';

export interface Fault {
  kind: FaultKind;
  /** status429: the Retry-After header value; null sends none. Default "1". */
  retryAfter?: string | number | null;
  /** forbidden / successFalse200 / status500: Cloudflare's message. */
  message?: string;
  /** custom */
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}
export type FaultSpec = FaultKind | Fault;

export interface RecordedRequest {
  method: string;
  /** The request target as sent, query included (e.g. to check that `~` stays literal). */
  url: string;
  path: string;
  /** Every query parameter with all its values, in order. */
  query: Record<string, string[]>;
  headers: IncomingHttpHeaders;
  /** The client's port: the same port on consecutive requests means a kept-alive connection. */
  remotePort: number | undefined;
  /** The fault served, if any. */
  fault?: FaultKind;
}

export interface CloudflareFakeOptions {
  insights?: Insight[];
  token?: string;
  email?: string;
  key?: string;
  /** Known account ids (default [FAKE_ACCOUNT_ID]). */
  accounts?: string[];
  /** Known zone ids (default [FAKE_ZONE_ID]). */
  zones?: string[];
  /** The server's page size cap (default 1000). */
  maxPerPage?: number;
  /** Serve every insight whatever the filters (default false). */
  ignoreFilters?: boolean;
  /** Leave these optional fields out of `result` (the published schema marks them optional). */
  omit?: ResultField[];
}

export type ResultField = 'count' | 'page' | 'per_page';

export interface CloudflareFake {
  /** Base URL, like http://127.0.0.1:PORT/client/v4 (no trailing slash). */
  readonly url: string;
  /** Log of every request received, in order. */
  readonly requests: RecordedRequest[];
  /**
   * Responses the fake was about to send outside the published contract (a mistake of
   * the fake or of a test's inventory); each was replaced by a 500 naming it.
   */
  readonly violations: string[];
  /** Replaces the inventory; with `scope` ("accounts/<id>" or "zones/<id>") only for that scope. */
  setInsights(list: Insight[], scope?: string): void;
  /** The k-th request (1-based, counting every request since the start or the last reset()) gets `fault`. */
  failOn(k: number, fault: FaultSpec): void;
  /** The next requests get these faults, one each, in order. */
  failNext(...faults: FaultSpec[]): void;
  /** Every request without another fault gets this one; null stops it. */
  failAlways(fault: FaultSpec | null): void;
  setIgnoreFilters(ignore: boolean): void;
  setMaxPerPage(max: number): void;
  /** Leaves these optional fields out of every `result` from now on. */
  setOmit(fields: ResultField[]): void;
  /** Forgets the request log, the request numbering and every pending fault (not the inventory). */
  reset(): void;
  close(): Promise<void>;
}

const ROUTE = /^\/client\/v4\/(accounts|zones)\/([^/]+)\/security-center\/insights\/?$/;

function toFault(spec: FaultSpec): Fault {
  return typeof spec === 'string' ? { kind: spec } : spec;
}

function envelope(result: unknown, errors: { code: number; message: string }[] = []) {
  return { success: errors.length === 0, errors, messages: [], result };
}

function failure(code: number, message: string) {
  return { success: false, errors: [{ code, message }], messages: [], result: null };
}

const HTML_502 = `<!DOCTYPE html>
<html><head><title>api.cloudflare.com | 502: Bad gateway</title></head>
<body><div id="cf-error-details"><h1>Bad gateway</h1><span>Error code 502</span>
<p>The web server reported a bad gateway error.</p></div></body></html>
`;

function matches(insight: Insight, query: Record<string, string[]>): boolean {
  const inList = (param: string, value: string, fold = false) => {
    const wanted = query[param];
    if (!wanted || wanted.length === 0) return true;
    const v = fold ? value.toLowerCase() : value;
    return wanted.some((w) => (fold ? w.toLowerCase() : w) === v);
  };
  const notIn = (param: string, value: string, fold = false) => {
    const unwanted = query[param];
    if (!unwanted || unwanted.length === 0) return true;
    const v = fold ? value.toLowerCase() : value;
    return !unwanted.some((w) => (fold ? w.toLowerCase() : w) === v);
  };
  const sev = String(insight.severity ?? '');
  const type = String(insight.issue_type ?? '');
  const cls = String(insight.issue_class ?? '');
  const subject = String(insight.subject ?? '');
  if (!inList('severity', sev, true) || !notIn('severity~neq', sev, true)) return false;
  if (!inList('issue_type', type) || !notIn('issue_type~neq', type)) return false;
  if (!inList('issue_class', cls) || !notIn('issue_class~neq', cls)) return false;
  if (!inList('subject', subject) || !notIn('subject~neq', subject)) return false;
  const dismissed = query['dismissed']?.[0];
  if (dismissed === 'true' && insight.dismissed !== true) return false;
  if (dismissed === 'false' && insight.dismissed === true) return false;
  return true;
}

function positiveInt(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n >= 1 ? n : undefined;
}

export async function startCloudflareFake(opts: CloudflareFakeOptions = {}): Promise<CloudflareFake> {
  const token = opts.token ?? FAKE_TOKEN;
  const email = opts.email ?? FAKE_EMAIL;
  const key = opts.key ?? FAKE_KEY;
  const accounts = new Set(opts.accounts ?? [FAKE_ACCOUNT_ID]);
  const zones = new Set(opts.zones ?? [FAKE_ZONE_ID]);
  let maxPerPage = opts.maxPerPage ?? 1000;
  let ignoreFilters = opts.ignoreFilters ?? false;
  let omit = new Set<ResultField>(opts.omit ?? []);
  let inventory: Insight[] = opts.insights ?? [];
  const perScope = new Map<string, Insight[]>();
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  const byNumber = new Map<number, Fault>();
  const queue: Fault[] = [];
  let always: Fault | null = null;
  let received = 0;
  const sockets = new Set<Socket>();

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    if (typeof body !== 'string') {
      // Every JSON answer of our own is held to the contract (custom faults, sent as text, are the test's).
      const ok = status < 300 && (body as { success?: unknown }).success === true;
      const check = ok ? contract.listResponse : contract.errorResponse;
      if (!check(body)) {
        const wrong = (check.errors ?? []).filter((e) => !ok || !isToleratedDeviation(e));
        if (wrong.length > 0) {
          const what = describeErrors(wrong).slice(0, 3).join('; ');
          violations.push(what);
          body = failure(10001, `cloudflare fake: response outside the published contract: ${what}`);
          status = 500;
        }
      }
    }
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, {
      'content-type': typeof body === 'string' ? 'text/plain' : 'application/json',
      'content-length': Buffer.byteLength(text),
      'cf-ray': `8f00fake${String(received).padStart(8, '0')}-LHR`,
      ...headers,
    });
    res.end(text);
  };

  const pickFault = (n: number): Fault | undefined => {
    const exact = byNumber.get(n);
    if (exact) {
      byNumber.delete(n);
      return exact;
    }
    return queue.shift() ?? always ?? undefined;
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    received += 1;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query: Record<string, string[]> = {};
    for (const [k, v] of url.searchParams) {
      query[k] ??= [];
      query[k].push(v);
    }
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      path: url.pathname,
      query,
      headers: req.headers,
      remotePort: req.socket.remotePort,
    };
    requests.push(record);
    const fault = pickFault(received);
    if (fault) record.fault = fault.kind;

    // Faults that do not depend on the request.
    switch (fault?.kind) {
      case 'reset':
        req.socket.destroy();
        return;
      case 'timeout':
        return; // never answer; close() destroys the socket
      case 'status500':
        return send(res, 500, failure(10001, fault.message ?? 'Internal Server Error'));
      case 'html502':
        return send(res, 502, HTML_502, { 'content-type': 'text/html; charset=UTF-8' });
      case 'status429': {
        const ra = fault.retryAfter === undefined ? '1' : fault.retryAfter;
        return send(res, 429, failure(971, 'Please wait and consider throttling your request speed'), ra === null ? {} : { 'retry-after': String(ra) });
      }
      case 'successFalse200':
        return send(res, 200, failure(1002, fault.message ?? 'Security Center is temporarily unable to list insights'));
      case 'auth':
        return send(res, 403, failure(10000, 'Authentication error'));
      case 'forbidden':
        return send(res, 403, failure(1003, fault.message ?? 'Security Center is not available for this account plan'));
      case 'custom': {
        const body = typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body ?? {});
        return send(res, fault.status ?? 200, body, { 'content-type': 'application/json', ...fault.headers });
      }
      default:
        break;
    }

    const route = ROUTE.exec(url.pathname);
    if (!route || req.method !== 'GET') {
      return send(res, 404, failure(7000, 'No route for that URI'));
    }
    const kind = route[1] as 'accounts' | 'zones';
    const id = decodeURIComponent(route[2]!);

    const authz = header(req.headers['authorization']);
    const okToken = authz === `Bearer ${token}`;
    const okKey = header(req.headers['x-auth-email']) === email && header(req.headers['x-auth-key']) === key;
    if (!okToken && !okKey) {
      return send(res, 403, failure(10000, 'Authentication error'));
    }
    const known = kind === 'accounts' ? accounts.has(id) : zones.has(id);
    if (!known || fault?.kind === 'unknownAccount') {
      return send(res, 400, failure(7003, `Could not route to /${kind}/${id}/security-center/insights, perhaps your object identifier is invalid?`));
    }

    if (!contract.request({ method: record.method, path: url.pathname, query })) {
      // As the API answers a parameter outside its definition: 400 with its error envelope.
      // (The code is not published; 1004 is the fake's choice.)
      const problems = describeErrors(contract.request.errors);
      return send(res, 400, {
        success: false,
        errors: problems.map((message) => ({ code: 1004, message: `Invalid query: ${message}` })),
        messages: [],
        result: null,
      });
    }

    const list = perScope.get(`${kind}/${id}`) ?? inventory;
    const matching = ignoreFilters ? list : list.filter((i) => matches(i, query));
    const perPage = Math.min(positiveInt(query['per_page']?.[0]) ?? 25, maxPerPage);
    const page = positiveInt(query['page']?.[0]) ?? 1;
    const start = (page - 1) * perPage;
    const end = Math.min(start + perPage, matching.length);
    // repeatIds: the same number of items, one position early (the last one is never served).
    const shift = fault?.kind === 'repeatIds' && start > 0 ? 1 : 0;
    const issues = matching.slice(start - shift, end - shift);
    const count = matching.length + (fault?.kind === 'countChanges' ? 1 : 0);
    const result: Record<string, unknown> = { count, issues, page, per_page: perPage };
    for (const field of omit) delete result[field];
    const body = envelope(result);

    if (fault?.kind === 'truncatedJson') {
      const text = JSON.stringify(body);
      return send(res, 200, text.slice(0, Math.floor(text.length / 2)), { 'content-type': 'application/json' });
    }
    return send(res, 200, body);
  };

  const server = createServer(handle);
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/client/v4`,
    requests,
    violations,
    setInsights(list, scope) {
      if (scope) perScope.set(scope, list);
      else inventory = list;
    },
    failOn(k, fault) {
      byNumber.set(k, toFault(fault));
    },
    failNext(...faults) {
      queue.push(...faults.map(toFault));
    },
    failAlways(fault) {
      always = fault === null ? null : toFault(fault);
    },
    setIgnoreFilters(ignore) {
      ignoreFilters = ignore;
    },
    setMaxPerPage(max) {
      maxPerPage = max;
    },
    setOmit(fields) {
      omit = new Set(fields);
    },
    reset() {
      requests.length = 0;
      violations.length = 0;
      received = 0;
      byNumber.clear();
      queue.length = 0;
      always = null;
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

// ---------------------------------------------------------------------------------
// Realistic insights

interface InsightClass {
  issue_class: string;
  issue_type: string;
  severity: string;
  subject: (n: number, r: () => number) => string;
  payload: (n: number, r: () => number) => Record<string, unknown>;
  resolve_text: string;
  resolve_path: string;
}

const pick = <T>(xs: readonly T[], r: () => number): T => xs[Math.floor(r() * xs.length)]!;
const domain = (n: number) => `example-${n % 97}.com`;
const host = (n: number, r: () => number) => `${pick(['app', 'api', 'legacy', 'staging', 'mail', 'vpn', 'cdn', 'old-shop'], r)}-${n}.${domain(n)}`;
const ip = (r: () => number) => `203.0.${Math.floor(r() * 256)}.${1 + Math.floor(r() * 254)}`;

export const INSIGHT_CLASSES: readonly InsightClass[] = [
  {
    issue_class: 'dns_record_dangling',
    issue_type: 'exposed_infrastructure',
    severity: 'Moderate',
    subject: host,
    payload: (n, r) => ({ record_type: 'CNAME', content: `${pick(['app', 'site', 'shop'], r)}-${n}.herokuapp.com`, detection_method: 'nxdomain_target' }),
    resolve_text: 'Delete the DNS record or point it at a resource you control, so that nobody can take over the name.',
    resolve_path: 'dns/records',
  },
  {
    issue_class: 'dns_record_unproxied',
    issue_type: 'exposed_infrastructure',
    severity: 'Low',
    subject: host,
    payload: (_n, r) => ({ record_type: pick(['A', 'AAAA', 'CNAME'], r), proxied: false, content: ip(r) }),
    resolve_text: 'Proxy the record through Cloudflare to hide the origin IP address.',
    resolve_path: 'dns/records',
  },
  {
    issue_class: 'exposed_rdp_port',
    issue_type: 'exposed_infrastructure',
    severity: 'High',
    subject: (_n, r) => ip(r),
    payload: () => ({ port: 3389, protocol: 'tcp', service: 'rdp' }),
    resolve_text: 'Close port 3389 to the internet or put RDP behind Cloudflare Access.',
    resolve_path: 'security-center/infrastructure',
  },
  {
    issue_class: 'exposed_database_port',
    issue_type: 'exposed_infrastructure',
    severity: 'Critical',
    subject: (_n, r) => ip(r),
    payload: (_n, r) => {
      const [port, service] = pick(
        [
          [5432, 'postgresql'],
          [3306, 'mysql'],
          [27017, 'mongodb'],
          [6379, 'redis'],
        ] as const,
        r,
      );
      return { port, protocol: 'tcp', service };
    },
    resolve_text: 'Do not expose database ports to the internet; restrict them to private networks.',
    resolve_path: 'security-center/infrastructure',
  },
  {
    issue_class: 'email_dmarc_missing',
    issue_type: 'email_security',
    severity: 'Moderate',
    subject: (n) => domain(n),
    payload: () => ({ record_type: 'TXT', name: '_dmarc' }),
    resolve_text: 'Publish a DMARC record (for example v=DMARC1; p=quarantine) to stop spoofing of this domain.',
    resolve_path: 'email/dmarc-management',
  },
  {
    issue_class: 'email_spf_missing',
    issue_type: 'email_security',
    severity: 'Moderate',
    subject: (n) => domain(n),
    payload: () => ({ record_type: 'TXT', expected: 'v=spf1' }),
    resolve_text: 'Publish an SPF record listing the servers allowed to send mail for this domain.',
    resolve_path: 'dns/records',
  },
  {
    issue_class: 'users_without_mfa',
    issue_type: 'weak_authentication',
    severity: 'High',
    subject: (n) => `member-${n}@${domain(n)}`,
    payload: (n) => ({ user_email: `member-${n}@${domain(n)}`, two_factor_enabled: false }),
    resolve_text: 'Ask the member to enable two-factor authentication, or enforce it for the account.',
    resolve_path: 'members',
  },
  {
    issue_class: 'hsts_not_enabled',
    issue_type: 'insecure_configuration',
    severity: 'Low',
    subject: (n) => domain(n),
    payload: () => ({ setting: 'security_header', strict_transport_security: { enabled: false } }),
    resolve_text: 'Enable HTTP Strict Transport Security (HSTS) for the zone.',
    resolve_path: 'ssl-tls/edge-certificates',
  },
  {
    issue_class: 'min_tls_version_low',
    issue_type: 'insecure_configuration',
    severity: 'Moderate',
    subject: (n) => domain(n),
    payload: (_n, r) => ({ setting: 'min_tls_version', value: pick(['1.0', '1.1'], r) }),
    resolve_text: 'Raise the minimum TLS version to 1.2.',
    resolve_path: 'ssl-tls/edge-certificates',
  },
  {
    issue_class: 'always_use_https_disabled',
    issue_type: 'insecure_configuration',
    severity: 'Low',
    subject: (n) => domain(n),
    payload: () => ({ setting: 'always_use_https', value: 'off' }),
    resolve_text: 'Turn on Always Use HTTPS so visitors are redirected from HTTP.',
    resolve_path: 'ssl-tls/edge-certificates',
  },
  {
    issue_class: 'waf_managed_rules_not_deployed',
    issue_type: 'configuration_suggestion',
    severity: 'Low',
    subject: (n) => domain(n),
    payload: () => ({ ruleset: 'Cloudflare Managed Ruleset', deployed: false }),
    resolve_text: 'Deploy the Cloudflare Managed Ruleset in the WAF.',
    resolve_path: 'security/waf/managed-rules',
  },
  {
    issue_class: 'ssl_tls_mode_flexible',
    issue_type: 'compliance_violation',
    severity: 'High',
    subject: (n) => domain(n),
    payload: () => ({ setting: 'ssl', value: 'flexible', standard: 'PCI DSS 4.0' }),
    resolve_text: 'Set the SSL/TLS encryption mode to Full (strict) so traffic to the origin is encrypted.',
    resolve_path: 'ssl-tls',
  },
];

/** A small deterministic PRNG (mulberry32), so generated inventories are reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hex(r: () => number, length: number): string {
  let out = '';
  while (out.length < length)
    out += Math.floor(r() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return out.slice(0, length);
}

/**
 * `n` insights drawn from INSIGHT_CLASSES, deterministic for a seed, with unique
 * uuid-shaped ids (the index is in the last group). About 5% are dismissed.
 */
export function makeInsights(n: number, seed = 1): Insight[] {
  const r = prng(seed);
  const base = Date.UTC(2025, 0, 1);
  const out: Insight[] = [];
  for (let i = 0; i < n; i++) {
    const cls = INSIGHT_CLASSES[Math.floor(r() * INSIGHT_CLASSES.length)]!;
    const since = new Date(base + Math.floor(r() * 300) * 86_400_000);
    out.push({
      id: `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-a${hex(r, 3)}-${i.toString(16).padStart(12, '0')}`,
      dismissed: r() < 0.05,
      issue_class: cls.issue_class,
      issue_type: cls.issue_type,
      payload: cls.payload(i, r),
      resolve_link: `https://dash.cloudflare.com/?to=/:account/${cls.resolve_path}`,
      resolve_text: cls.resolve_text,
      severity: cls.severity,
      since: since.toISOString(),
      subject: cls.subject(i, r),
      timestamp: new Date(Date.UTC(2025, 10, 1, 6)).toISOString(),
    });
  }
  return out;
}
