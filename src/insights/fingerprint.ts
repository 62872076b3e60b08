import { createHash } from 'node:crypto';
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
  const picked: Record<string, unknown> = {};
  for (const field of FINGERPRINT_FIELDS) picked[field] = insight[field] ?? null;
  return createHash('sha256').update(canonicalJson(picked)).digest('hex').slice(0, FINGERPRINT_LENGTH);
}

/** JSON with object keys sorted recursively; undefined object members are dropped as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + canonicalJson(value[i]);
    return `${out}]`;
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    let out = '{';
    let first = true;
    for (const key of keys) {
      const member = record[key];
      if (member === undefined || typeof member === 'function') continue;
      out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(member)}`;
      first = false;
    }
    return `${out}}`;
  }
  // Strings, finite numbers and booleans as JSON writes them; NaN/Infinity become null.
  return JSON.stringify(value) ?? 'null';
}
