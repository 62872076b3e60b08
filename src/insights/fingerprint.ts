import { hash } from 'node:crypto';
import type { Insight } from './types.js';

/**
 * The fields a reader of the issue cares about. `timestamp` (last scan, changes on every
 * scan), `since` (first detection, never changes what the issue says) and `id` (the
 * identity, not the content) are deliberately left out.
 */
export const FINGERPRINT_FIELDS = [
  'severity',
  'dismissed',
  'issue_class',
  'issue_type',
  'subject',
  'payload',
  'resolve_text',
  'resolve_link',
  'status',
  'user_classification',
] as const satisfies readonly (keyof Insight)[];

/** Length of a fingerprint in hex characters (64 bits of sha256). */
export const FINGERPRINT_LENGTH = 16;

/**
 * A stable hash of what a reader of the issue sees: the same insight serialised with
 * its keys in another order, or scanned again later, has the same fingerprint.
 * A missing field and a null one hash the same (the issue shows nothing for either).
 */
export function fingerprint(insight: Insight): string {
  // Insights are not mutated once fetched, and one run asks for the same one's
  // fingerprint several times (diff, plan, records): hash each object once.
  const known = memo.get(insight);
  if (known !== undefined) return known;
  const fp = shortHash(fingerprintText(insight));
  memo.set(insight, fp);
  return fp;
}

const memo = new WeakMap<Insight, string>();

/** The same hash over canonicalJson() of any value: the fingerprint of a class issue's members. */
export function contentHash(value: unknown): string {
  return shortHash(canonicalJson(value));
}

/**
 * The first FINGERPRINT_LENGTH hex digits of sha256. A slice keeps the 64-digit digest
 * alive behind it (~8 MB at 100k), but the Buffer a copy needs cost ~45 ms per 100k.
 */
function shortHash(text: string): string {
  return hash('sha256', text, 'hex').slice(0, FINGERPRINT_LENGTH);
}

/**
 * canonicalJson() of the cared-for fields (missing ones as null). Computed as
 * JSON.stringify() of a copy with every object's keys inserted in sorted order, which is
 * faster than writing it out by hand (this runs for every insight of every run);
 * canonicalJson() itself where that cannot work (integer-like keys, toJSON).
 */
function fingerprintText(insight: Insight): string {
  const picked: Record<(typeof FINGERPRINT_FIELDS)[number], unknown> = {
    dismissed: insight.dismissed ?? null,
    issue_class: insight.issue_class ?? null,
    issue_type: insight.issue_type ?? null,
    payload: insight.payload ?? null,
    resolve_link: insight.resolve_link ?? null,
    resolve_text: insight.resolve_text ?? null,
    severity: insight.severity ?? null,
    status: insight.status ?? null,
    subject: insight.subject ?? null,
    user_classification: insight.user_classification ?? null,
  };
  const sorted = withSortedKeys(picked);
  return sorted === UNSORTABLE ? canonicalJson(picked) : JSON.stringify(sorted);
}

const UNSORTABLE = Symbol('unsortable');
const ARRAY_INDEX = /^(?:0|[1-9]\d{0,9})$/;

/**
 * The value with every object's keys in sorted order (the value itself when they already
 * are), or UNSORTABLE when insertion order cannot decide JSON.stringify's order: integer-like
 * keys always come first, and toJSON() replaces the object.
 */
function withSortedKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = withSortedKeys(value[i]);
      if (item === UNSORTABLE) return UNSORTABLE;
      if (item !== value[i]) {
        copy ??= value.slice();
        copy[i] = item;
      }
    }
    return copy ?? value;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return UNSORTABLE;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let changed = false;
  for (let i = 1; i < keys.length; i++) {
    if (!(keys[i - 1]! < keys[i]!)) {
      changed = true;
      keys.sort();
      if (keys.some((k) => ARRAY_INDEX.test(k))) return UNSORTABLE;
      break;
    }
  }
  const members = new Array<unknown>(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const member = record[keys[i]!];
    const sorted = withSortedKeys(member);
    if (sorted === UNSORTABLE) return UNSORTABLE;
    if (sorted !== member) changed = true;
    members[i] = sorted;
  }
  if (!changed) return value;
  const copy: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    // Assigning `__proto__` would set the prototype rather than add a member.
    if (keys[i] === '__proto__') return UNSORTABLE;
    copy[keys[i]!] = members[i];
  }
  return copy;
}

/** JSON with object keys sorted recursively; members JSON.stringify drops (undefined, functions, symbols) are dropped. */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      // As JSON writes numbers; NaN and Infinity become null.
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + canonicalJson(value[i]);
        return `${out}]`;
      }
      return canonicalObject(value as Record<string, unknown>);
    default:
      // undefined, functions, symbols: null inside arrays and at the top, as JSON writes them.
      return 'null';
  }
}

function canonicalObject(record: Record<string, unknown>): string {
  const keys = Object.keys(record);
  if (keys.length > 1) keys.sort();
  let out = '{';
  for (const key of keys) {
    const member = record[key];
    const kind = typeof member;
    if (kind === 'undefined' || kind === 'function' || kind === 'symbol') continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `${out}}`;
}
