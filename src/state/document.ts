import { z } from 'zod';
import { monthOf } from '../budget/dates.js';
import { errorMessage } from '../errors.js';
import { idMap } from './records.js';
import { RECORD_STATES, STATE_VERSION, type StateDocument } from './types.js';

/**
 * The state document on disk and in the cache: validated when read, migrated from older
 * versions, never used when it is newer, broken or for another scope (the run then
 * starts as a first run and the GitHub issues keep it from opening duplicates).
 *
 * Version history:
 * - 1: no `groups`, `lastInventorySize` or `github`;
 * - 2: adds them (defaults: {}, null, null).
 *
 * The issue numbers and record states belong to the repository named in `github.repository`
 * (the state is written for one repository). A document without it (version 1, or only
 * reports so far) names none, so its issue numbers belong to no repository: see
 * forRepository().
 */

const recordSchema = z.object({
  fingerprint: z.string(),
  severity: z.string(),
  issueType: z.string(),
  issueClass: z.string(),
  subject: z.string(),
  issue: z.number().int().positive().nullable(),
  state: z.enum(RECORD_STATES),
  firstSeen: z.string(),
  lastSeen: z.string(),
});

const groupSchema = z.object({
  issue: z.number().int().positive().nullable(),
  fingerprint: z.string(),
  state: z.enum(RECORD_STATES),
  severity: z.string(),
});

const quotaSchema = z.object({
  month: z.string().regex(/^\d{4}-\d{2}$/, 'expected YYYY-MM'),
  used: z.number().int().nonnegative(),
});

const v1Schema = z.object({
  version: z.literal(1),
  scope: z.string().min(1),
  filters: z.string(),
  updatedAt: z.string(),
  lastCompleteAt: z.string().nullable(),
  insights: z.record(z.string(), recordSchema),
  quota: quotaSchema,
});

const v2Schema = v1Schema.extend({
  version: z.literal(STATE_VERSION),
  groups: z.record(z.string(), groupSchema),
  lastInventorySize: z.number().int().nonnegative().nullable(),
  github: z.object({ repository: z.string(), listedAt: z.string() }).nullable(),
});

export interface ExpectedState {
  /** The scope of this run (`accounts/<id>` or `zones/<id>`): a document for another one is not used. */
  scope: string;
  /** The filter signature of this run; a different one is still used, and reported in `filtersChanged`. */
  filters?: string;
  /** Where the document came from (a path, a cache key), named in warnings. */
  source?: string;
}

export interface ReadStateResult {
  state: StateDocument | null;
  /** Why the saved document was not used; the run goes on as a first run. */
  warning?: string;
  /** The version the document had when it was migrated. */
  migratedFrom?: number;
  /** Set when the document was written with other filters (for the debug log). */
  filtersChanged?: { saved: string; current: string };
}

export function emptyState(init: { scope: string; filters: string; now: Date }): StateDocument {
  return {
    version: STATE_VERSION,
    scope: init.scope,
    filters: init.filters,
    updatedAt: init.now.toISOString(),
    lastCompleteAt: null,
    insights: {},
    groups: {},
    quota: { month: monthOf(init.now), used: 0 },
    lastInventorySize: null,
    github: null,
  };
}

/** Validates (and migrates) a parsed document; anything unusable gives state null and a warning. */
export function readState(json: unknown, expected: ExpectedState): ReadStateResult {
  const ignore = (why: string): ReadStateResult => ({
    state: null,
    warning: `Ignoring saved state${expected.source ? ` (${expected.source})` : ''}: ${why}; this run starts as a first run.`,
  });

  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return ignore('it is not a cf-insights state document');
  }
  const version = (json as { version?: unknown }).version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return ignore(`it has no valid version (found ${describe(version)})`);
  }
  if (version > STATE_VERSION) {
    return ignore(`it was written by a newer cf-insights (version ${version}, this one reads up to ${STATE_VERSION}); upgrade cf-insights to use it`);
  }

  let state: StateDocument;
  let migratedFrom: number | undefined;
  if (version === STATE_VERSION) {
    const parsed = v2Schema.safeParse(json);
    if (!parsed.success) return ignore(`it does not match the expected format (${firstIssue(parsed.error)})`);
    state = parsed.data;
  } else {
    const parsed = v1Schema.safeParse(json);
    if (!parsed.success) return ignore(`it does not match the version 1 format (${firstIssue(parsed.error)})`);
    state = migrateV1(parsed.data);
    migratedFrom = 1;
  }

  // zod builds records as plain objects, where an id `__proto__` would be lost: the
  // maps are rebuilt without a prototype, that entry included (validated as the others).
  const raw = json as { insights?: unknown; groups?: unknown };
  const insights = ownEntries(raw.insights, state.insights, recordSchema);
  const groups = ownEntries(raw.groups, state.groups, groupSchema);
  if (typeof insights === 'string' || typeof groups === 'string') {
    return ignore(`it does not match the expected format (${typeof insights === 'string' ? insights : groups})`);
  }
  state = { ...state, insights, groups };

  if (state.scope !== expected.scope) {
    return ignore(`it belongs to ${state.scope}, not ${expected.scope}`);
  }
  const result: ReadStateResult = { state };
  if (migratedFrom !== undefined) result.migratedFrom = migratedFrom;
  if (expected.filters !== undefined && expected.filters !== state.filters) {
    result.filtersChanged = { saved: state.filters, current: expected.filters };
  }
  return result;
}

/** `owner/name` as GitHub compares it: case does not matter. */
function sameRepository(a: string | null | undefined, b: string): boolean {
  return a != null && a.toLowerCase() === b.toLowerCase();
}

/**
 * The state as far as it holds for `repository`. A state written for another repository
 * (or for none it names) keeps what Cloudflare showed of each insight, and loses what a
 * repository showed: no issue number, no group, every record `pending`. The run then
 * starts like one with a lost state there (a full listing, issues adopted by their
 * marker, the missing ones opened), and never writes to an issue number of another
 * repository. `setAside` says the records were set aside; `from` names their repository, when the state does.
 */
export function forRepository(doc: StateDocument, repository: string): { state: StateDocument; setAside: boolean; from: string | null } {
  const written = doc.github?.repository ?? null;
  if (sameRepository(written, repository)) return { state: doc, setAside: false, from: written };
  const insights = idMap(doc.insights);
  let held = Object.keys(doc.groups).length > 0;
  for (const [id, record] of Object.entries(insights)) {
    if (record.issue === null && (record.state === 'pending' || record.state === 'out-of-scope')) continue;
    held = true;
    insights[id] = { ...record, issue: null, state: 'pending' };
  }
  if (!held) return { state: doc, setAside: false, from: written };
  return { state: { ...doc, insights, groups: idMap<StateDocument['groups'][string]>() }, setAside: true, from: written };
}

/** Compact JSON: the cache stores it compressed, the file store as is. */
export function serializeState(doc: StateDocument): string {
  return JSON.stringify(doc);
}

/** readState() over text; unreadable JSON is a warning like any other unusable document. */
export function parseStateText(text: string, expected: ExpectedState): ReadStateResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const why = errorMessage(error);
    return {
      state: null,
      warning: `Ignoring saved state${expected.source ? ` (${expected.source})` : ''}: it is not valid JSON (${why}); this run starts as a first run.`,
    };
  }
  return readState(json, expected);
}

/** `parsed` as an idMap, plus the `__proto__` entry of `raw` that zod cannot keep; a string when that entry is invalid. */
function ownEntries<T>(raw: unknown, parsed: Record<string, T>, schema: z.ZodType<T>): Record<string, T> | string {
  const out = idMap(parsed);
  if (raw !== null && typeof raw === 'object' && Object.hasOwn(raw, '__proto__')) {
    // biome-ignore lint/suspicious/noProto: the state may hold an insight whose id is `__proto__`: read it as data.
    const entry = schema.safeParse((raw as Record<string, unknown>)['__proto__']);
    if (!entry.success) return `__proto__: ${firstIssue(entry.error)}`;
    // biome-ignore lint/suspicious/noProto: `out` is an idMap (no prototype): this sets an own entry.
    out['__proto__'] = entry.data;
  }
  return out;
}

function migrateV1(doc: z.infer<typeof v1Schema>): StateDocument {
  return { ...doc, version: STATE_VERSION, groups: {}, lastInventorySize: null, github: null };
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'document';
  const more = error.issues.length > 1 ? ` and ${error.issues.length - 1} more` : '';
  return `${where}: ${issue.message}${more}`;
}

function describe(value: unknown): string {
  if (value === undefined) return 'none';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
