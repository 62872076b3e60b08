import type { IssueMarker } from './types.js';

/**
 * The hidden marker that ties an issue to its insight (docs/architecture.md, "The state document"), always the
 * last line of a body we write:
 * - `<!-- cf-insights:v2 scope=accounts/<id> id=<id> fp=<fp> -->` (or `zones/<id>`): what
 *   cf-insights writes; the scope says which account or zone the issue belongs to, so two
 *   scopes that file into one repository never take each other's issues;
 * - `<!-- cf-insights:v1 id=<id> fp=<fp> -->`: written before; still read, and replaced by
 *   a v2 marker the next time the issue is edited anyway.
 *
 * Values are restricted to a safe set and anything else is percent-encoded, so no value
 * can end the comment, add a field or break the line. Only the last non-empty line of a
 * body is read: every other line may hold text that came from the API.
 */
const SAFE = /^[A-Za-z0-9._:~-]$/;
const VALUE = '[A-Za-z0-9._:~%-]+';
const MARKER_LINE = new RegExp(`^<!-- cf-insights:(?:v1|v2 scope=(accounts|zones)/(${VALUE})) id=(${VALUE}) fp=(${VALUE}) -->$`);

/** The marker id of a class group (`group-by: class`). */
export function classMarkerId(issueClass: string): string {
  return `class:${issueClass}`;
}

export function encodeMarkerValue(value: string): string {
  let out = '';
  for (const ch of value) {
    out += SAFE.test(ch) ? ch : Array.from(new TextEncoder().encode(ch), (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  return out;
}

function decodeMarkerValue(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/** A v2 marker when it names its scope (`accounts/<id>` or `zones/<id>`), else a v1 marker. */
export function renderMarker(marker: IssueMarker): string {
  if (marker.id === '' || marker.fp === '') throw new Error('renderMarker: id and fp must not be empty');
  const tail = `id=${encodeMarkerValue(marker.id)} fp=${encodeMarkerValue(marker.fp)} -->`;
  if (marker.scope === undefined) return `<!-- cf-insights:v1 ${tail}`;
  const [kind, id] = splitScope(marker.scope);
  return `<!-- cf-insights:v2 scope=${kind}/${encodeMarkerValue(id)} ${tail}`;
}

function splitScope(scope: string): ['accounts' | 'zones', string] {
  const slash = scope.indexOf('/');
  const kind = scope.slice(0, slash);
  const id = scope.slice(slash + 1);
  if ((kind !== 'accounts' && kind !== 'zones') || id === '') throw new Error(`renderMarker: invalid scope ${JSON.stringify(scope)}`);
  return [kind, id];
}

/** Scope keys as GitHub bodies may spell them: the ids are hex, compared in lower case. */
export function sameScope(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * Whether an issue may belong to the run of `scope` (`accounts/<id>`): a v2 marker must
 * name that scope; with a v1 marker or none (a person edited it away), the body must name
 * this scope if it names any (a v1 body names its scope in its table: `accounts/<id>`),
 * else it must not name only other account or zone ids.
 */
export function mayBelongTo(issue: { marker: IssueMarker | null; scopeIds: readonly string[]; scopeKeys?: readonly string[] }, scope: string): boolean {
  if (issue.marker?.scope !== undefined) return sameScope(issue.marker.scope, scope);
  if (issue.scopeKeys && issue.scopeKeys.length > 0) return issue.scopeKeys.some((key) => sameScope(key, scope));
  const id = scope.slice(scope.indexOf('/') + 1).toLowerCase();
  return issue.scopeIds.length === 0 || issue.scopeIds.includes(id);
}

/** The `Scope` row of the table of a body we wrote (../github/render.ts), not an id elsewhere (a payload names zones). */
const SCOPE_KEY = /^\| Scope \| `(accounts|zones)\/([0-9a-f]{32})` \|$/gim;

/** The scopes (`accounts/<id>`, `zones/<id>`, lower case) a body's table names: a v1 body names its own there. */
export function scopeKeysIn(body: string | null | undefined): string[] {
  const keys = new Set<string>();
  for (const [, kind, id] of (body ?? '').matchAll(SCOPE_KEY)) keys.add(`${kind!.toLowerCase()}/${id!.toLowerCase()}`);
  return [...keys];
}

const SCOPE_ID = /(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])/gi;

/**
 * The distinct 32-hex-digit ids (Cloudflare account and zone ids) a body names, lower
 * case: before closing an issue it holds no record of, the planner checks that the issue
 * names its scope (another account may file under the same labels).
 */
export function scopeIdsIn(body: string | null | undefined): string[] {
  const ids = new Set<string>();
  // A match is a slice that keeps the whole body alive in V8; the ids are copied out.
  for (const [match] of (body ?? '').matchAll(SCOPE_ID)) ids.add([...match.toLowerCase()].join(''));
  return [...ids];
}

/** Our marker when it is the exact last non-empty line of `body`, else null. */
export function parseMarker(body: string | null | undefined): IssueMarker | null {
  // The last line of the body once its trailing whitespace (blank lines included) is gone:
  // read from the end, as a listing does this for every issue.
  const text = body?.trimEnd();
  if (!text) return null;
  const last = text.slice(Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r')) + 1);
  const match = MARKER_LINE.exec(last);
  if (!match) return null;
  const [, kind, rawScopeId, rawId, rawFp] = match as unknown as [string, string | undefined, string | undefined, string, string];
  const id = decodeMarkerValue(rawId);
  const fp = decodeMarkerValue(rawFp);
  const scopeId = rawScopeId === undefined ? undefined : decodeMarkerValue(rawScopeId);
  if (id === null || fp === null || id === '' || fp === '' || scopeId === null || scopeId === '') return null;
  // Only canonical encodings count, so one marker has exactly one spelling.
  if (encodeMarkerValue(id) !== rawId || encodeMarkerValue(fp) !== rawFp) return null;
  if (scopeId !== undefined && encodeMarkerValue(scopeId) !== rawScopeId) return null;
  return scopeId === undefined ? { id, fp } : { scope: `${kind}/${scopeId}`, id, fp };
}
