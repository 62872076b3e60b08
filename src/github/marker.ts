import type { IssueMarker } from './types.js';

/**
 * The hidden marker that ties an issue to its insight (DESIGN.md, "State"):
 * `<!-- cf-insights:v1 id=<id> fp=<fp> -->`, always the last line of a body we write.
 *
 * Values are restricted to a safe set and anything else is percent-encoded, so no value
 * can end the comment, add a field or break the line. Only the last non-empty line of a
 * body is read: every other line may hold text that came from the API.
 */
const SAFE = /^[A-Za-z0-9._:~-]$/;
const VALUE = '[A-Za-z0-9._:~%-]+';
const MARKER_LINE = new RegExp(`^<!-- cf-insights:v1 id=(${VALUE}) fp=(${VALUE}) -->$`);

/** The marker id of a class group (`group-by: class`). */
export function classMarkerId(issueClass: string): string {
  return `class:${issueClass}`;
}

export function encodeMarkerValue(value: string): string {
  let out = '';
  for (const ch of value) {
    out += SAFE.test(ch)
      ? ch
      : Array.from(new TextEncoder().encode(ch), (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
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

export function renderMarker(marker: IssueMarker): string {
  if (marker.id === '' || marker.fp === '') throw new Error('renderMarker: id and fp must not be empty');
  return `<!-- cf-insights:v1 id=${encodeMarkerValue(marker.id)} fp=${encodeMarkerValue(marker.fp)} -->`;
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
  const id = decodeMarkerValue(match[1]!);
  const fp = decodeMarkerValue(match[2]!);
  if (id === null || fp === null || id === '' || fp === '') return null;
  // Only canonical encodings count, so one marker has exactly one spelling.
  if (encodeMarkerValue(id) !== match[1] || encodeMarkerValue(fp) !== match[2]) return null;
  return { id, fp };
}
