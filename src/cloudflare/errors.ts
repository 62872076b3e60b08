/**
 * The ways a Cloudflare request can fail, each mapped to one line of troubleshooting
 * (what failed, why, what to do) plus debug details. Remote failures exit 3, an
 * exhausted request budget exits 4 (src/errors.ts).
 *
 * `classifyResponse` is pure: it turns a non-successful HTTP exchange into one of
 * these errors. Nothing here ever sees the credentials; Cloudflare's own messages are
 * passed through the caller's `redact` anyway, in case a proxy echoes a header.
 */
import { RemoteError } from '../errors.js';
import type { Scope } from '../insights/types.js';

export interface CloudflareErrorInit {
  status?: number;
  codes?: number[];
  page?: number;
  /** Whether another attempt may succeed (429, 5xx, network, timeout). */
  retryable?: boolean;
  /** Milliseconds the server asked us to wait (Retry-After). */
  retryAfterMs?: number;
  /** True when the request provably never left the machine (DNS, refused, TLS handshake): it is not charged. */
  neverSent?: boolean;
  details?: string[];
  cause?: unknown;
}

export class CloudflareError extends RemoteError {
  readonly status?: number;
  readonly codes: number[];
  readonly page?: number;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly neverSent: boolean;
  /** Attempts made for the request that failed; set when the client gives up. */
  attempts = 1;

  constructor(message: string, init: CloudflareErrorInit = {}) {
    super(message, init.details ?? [], { cause: init.cause });
    this.status = init.status;
    this.codes = init.codes ?? [];
    this.page = init.page;
    this.retryable = init.retryable ?? false;
    this.retryAfterMs = init.retryAfterMs;
    this.neverSent = init.neverSent ?? false;
  }

  /** Records how many attempts were spent; the one line says so when it was more than one. */
  finalize(attempts: number): this {
    this.attempts = attempts;
    this.details.push(`attempts: ${attempts}`);
    if (attempts > 1) this.message = `${this.message.replace(/\.$/, '')} (gave up after ${attempts} attempts).`;
    return this;
  }
}

/** Codes 10000/9109/6003 or HTTP 401: the token or key is wrong, expired or under-privileged. */
export class CloudflareAuthError extends CloudflareError {}
/** Code 7003: the account or zone id cannot be routed. */
export class CloudflareScopeError extends CloudflareError {}
/** Any other 403: the endpoint is not available to these credentials or this plan. */
export class CloudflareAccessError extends CloudflareError {}
/** HTTP 429: monthly quota or request rate. */
export class CloudflareRateLimitError extends CloudflareError {}
/** HTTP 5xx, or an HTML page where JSON was expected. */
export class CloudflareServerError extends CloudflareError {}
/** DNS, connection refused or reset, TLS. */
export class CloudflareNetworkError extends CloudflareError {}
/** No answer within the request timeout. */
export class CloudflareTimeoutError extends CloudflareError {}
/** A body that is not the documented shape, `success:false` on a 200, or another 4xx. */
export class CloudflareResponseError extends CloudflareError {}

export const AUTH_CODES: readonly number[] = [10000, 9109, 6003, 6103, 6111];
export const UNROUTABLE_CODE = 7003;

export interface CloudflareErrorEntry {
  code: number;
  message: string;
}

export interface ResponseFacts {
  status: number;
  /** The Content-Type header, if any. */
  contentType?: string;
  /** Cloudflare's `errors` when the body was a JSON envelope. */
  errors?: CloudflareErrorEntry[];
  /** The raw body, used only to tell an HTML page apart and for a short debug excerpt. */
  bodyText?: string;
  retryAfterMs?: number;
  /** `cf-ray`, worth quoting to Cloudflare support. */
  ray?: string;
  scope: Scope;
  page: number;
  authKind: 'token' | 'key';
  redact: (text: string) => string;
}

export function isHtml(contentType: string | undefined, bodyText: string | undefined): boolean {
  if (contentType && /text\/html/i.test(contentType)) return true;
  return !!bodyText && /^\s*(<!doctype html|<html)/i.test(bodyText);
}

/** Cloudflare's message cut to one short line, secrets removed. */
export function shortText(text: string, redact: (t: string) => string, max = 200): string {
  const one = redact(text).replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 3)}...` : one;
}

function formatEntries(errors: CloudflareErrorEntry[], redact: (t: string) => string): string {
  return errors.map((e) => `${e.code}: ${shortText(String(e.message), redact)}`).join('; ');
}

export function scopeSetting(scope: Scope): 'account-id' | 'zone-id' {
  return scope.kind === 'accounts' ? 'account-id' : 'zone-id';
}

function scopeNoun(scope: Scope): string {
  return `${scope.kind === 'accounts' ? 'account' : 'zone'} ${scope.id}`;
}

/**
 * The typed error for an HTTP answer that is not a usable page: a non-2xx status, or
 * a 2xx whose envelope says `success:false`.
 */
export function classifyResponse(f: ResponseFacts): CloudflareError {
  const errors = f.errors ?? [];
  const codes = errors.map((e) => e.code);
  const html = isHtml(f.contentType, f.bodyText);
  const theirs = errors.length > 0 ? formatEntries(errors, f.redact) : '';
  const details = [
    `HTTP ${f.status}`,
    `page: ${f.page}`,
    ...(codes.length ? [`codes: ${codes.join(', ')}`] : []),
    ...(f.ray ? [`cf-ray: ${f.ray}`] : []),
    ...(f.contentType ? [`content-type: ${f.contentType}`] : []),
    ...(theirs ? [`cloudflare: ${theirs}`] : []),
    ...(f.bodyText && !html && !theirs ? [`body: ${shortText(f.bodyText, f.redact)}`] : []),
  ];
  const base = { status: f.status, codes, page: f.page, details, retryAfterMs: f.retryAfterMs };
  const httpAndCodes = `HTTP ${f.status}${codes.length ? `, code ${codes.join(', ')}` : ''}`;

  if (f.status === 401 || codes.some((c) => AUTH_CODES.includes(c))) {
    const what =
      f.authKind === 'token'
        ? 'the API token is invalid, expired, or lacks Account:Read / Security Center:Read permissions'
        : 'the API key or email is invalid, or the user lacks access to Security Center';
    const fix =
      f.authKind === 'token'
        ? 'create a token with Account:Read and Security Center:Read and set api-token (CLOUDFLARE_API_TOKEN)'
        : 'check api-email and api-key (CLOUDFLARE_EMAIL, CLOUDFLARE_API_KEY), or use an API token instead';
    return new CloudflareAuthError(`Cloudflare rejected the credentials: ${what} (${httpAndCodes}); ${fix}.`, base);
  }
  if (codes.includes(UNROUTABLE_CODE)) {
    return new CloudflareScopeError(
      `Cloudflare cannot route ${scopeNoun(f.scope)} (code 7003): the id is wrong or not visible to these credentials; check ${scopeSetting(f.scope)}.`,
      base,
    );
  }
  if (f.status === 429) {
    const wait = f.retryAfterMs !== undefined ? `, retry after ${Math.ceil(f.retryAfterMs / 1000)} s` : '';
    return new CloudflareRateLimitError(
      `Cloudflare rate limit reached (HTTP 429${wait}): the Security Center endpoint allows 100 requests a month on Free, Pro and Business plans and 2,500 on Enterprise; lower the schedule (cron) or narrow the filters.`,
      { ...base, retryable: true },
    );
  }
  if (f.status === 403) {
    return new CloudflareAccessError(
      `Security Center insights are not available for ${scopeNoun(f.scope)} with these credentials or this plan (Cloudflare: ${theirs || `HTTP ${f.status}`}).`,
      base,
    );
  }
  if (f.status >= 500 || html) {
    const what = html ? `returned an HTML page (HTTP ${f.status})` : `failed (HTTP ${f.status}${theirs ? `: ${theirs}` : ''})`;
    return new CloudflareServerError(`The Cloudflare API ${what} on page ${f.page}; Cloudflare or a proxy in between is failing, try again later.`, {
      ...base,
      // An HTML page on a 2xx is not a transient server state; do not burn the budget on it.
      retryable: f.status >= 500,
    });
  }
  const what = f.status >= 200 && f.status < 300 ? `reported a failure (success:false, HTTP ${f.status})` : `rejected the request (HTTP ${f.status})`;
  return new CloudflareResponseError(`The Cloudflare API ${what} on page ${f.page}${theirs ? `: ${theirs}` : ''}.`, base);
}

export interface TransportFacts {
  error: unknown;
  timedOut: boolean;
  timeoutMs: number;
  host: string;
  page: number;
  redact: (text: string) => string;
}

const NETWORK_WORDS: Record<string, string> = {
  ECONNRESET: 'the connection was reset',
  ECONNREFUSED: 'the connection was refused',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved (DNS)',
  ETIMEDOUT: 'the connection timed out',
  EPIPE: 'the connection was closed',
  UND_ERR_SOCKET: 'the connection was closed before the answer was complete',
  UND_ERR_CLOSED: 'the connection was closed',
};

/** Host name resolution failed: a configuration or network problem, not a transient one. */
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);

/**
 * Failures that happen while connecting, before undici writes the request: nothing
 * reached Cloudflare. A TLS failure can only happen in the handshake, i.e. before the
 * request is written (undici never writes on an unverified connection).
 */
const NEVER_SENT_CODES = new Set([...DNS_CODES, 'ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH']);
function isTlsHandshakeFailure(code: string): boolean {
  return (
    code.startsWith('ERR_TLS_') ||
    code.startsWith('ERR_SSL_') ||
    /^(UNABLE_TO_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH|ERR_CERT_)/.test(code)
  );
}

function errorCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_ABORTED' && code !== 'ABORT_ERR') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The typed error for a request that got no (complete) HTTP answer. */
export function classifyTransport(f: TransportFacts): CloudflareError {
  const code = errorCode(f.error);
  const raw = f.error instanceof Error ? f.error.message : String(f.error);
  const details = [`page: ${f.page}`, `error: ${shortText(raw, f.redact)}`, ...(code ? [`code: ${code}`] : [])];
  const timedOut = f.timedOut || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
  if (timedOut) {
    return new CloudflareTimeoutError(
      `The Cloudflare API at ${f.host} did not answer page ${f.page} within ${Math.round(f.timeoutMs / 100) / 10} s; try again later or check the network and proxy.`,
      { page: f.page, retryable: true, details, cause: f.error },
    );
  }
  const neverSent = !!code && (NEVER_SENT_CODES.has(code) || isTlsHandshakeFailure(code));
  if (code && DNS_CODES.has(code)) {
    return new CloudflareNetworkError(
      `Could not reach the Cloudflare API at ${f.host} (page ${f.page}): ${NETWORK_WORDS[code] ?? 'the host name does not resolve'}. This is a configuration or network problem (check api-base-url, DNS and the network or proxy), so it is not retried; no request was charged.`,
      { page: f.page, retryable: false, neverSent, details, cause: f.error },
    );
  }
  const why = (code && NETWORK_WORDS[code]) ?? (code ? `network error ${code}` : 'network error');
  return new CloudflareNetworkError(`Could not reach the Cloudflare API at ${f.host} (page ${f.page}): ${why}; check the network, proxy and api-base-url.`, {
    page: f.page,
    retryable: true,
    neverSent,
    details,
    cause: f.error,
  });
}
