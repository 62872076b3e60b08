/**
 * zod schemas of what the insights endpoint returns. Loose on purpose: unknown fields
 * are kept, severities and types are plain strings (a new one is reported, not
 * rejected); strict where a wrong shape would make the inventory wrong (ids, counts).
 */
import { z } from 'zod';
import type { Logger } from '../log.js';
import { canonicalSeverity } from '../insights/severity.js';
import { ISSUE_TYPES, PUBLISHED_SEVERITIES, SEVERITIES, type Insight } from '../insights/types.js';
import { CloudflareResponseError } from './errors.js';

/** Longest insight id accepted (Cloudflare's are 36-character uuids). */
export const ID_MAX = 256;

/** Longest issue class kept (Cloudflare's are short snake_case names); longer ones are cut. */
export const CLASS_MAX = 256;

/** At most `max` UTF-16 units, never splitting a surrogate pair. */
function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

/**
 * Text with lone surrogates (a JSON escape like `\ud800` can carry one; UTF-8 cannot)
 * replaced by U+FFFD. An id must survive the round trip through an issue's marker, and
 * every renderer may then assume well-formed text.
 */
export function wellFormed(text: string): string {
  return LONE_SURROGATE.test(text) ? text.replace(LONE_SURROGATES, '\ufffd') : text;
}

/** Whether a JSON value holds a lone surrogate in any string or key. */
function hasLoneSurrogate(value: unknown): boolean {
  if (typeof value === 'string') return LONE_SURROGATE.test(value);
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(hasLoneSurrogate);
  for (const key in value) {
    if (LONE_SURROGATE.test(key) || hasLoneSurrogate((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

/** wellFormed() over every string and key of a JSON value; the value itself when nothing changes. */
export function wellFormedDeep(value: unknown): unknown {
  if (!hasLoneSurrogate(value)) return value;
  if (typeof value === 'string') return wellFormed(value);
  if (Array.isArray(value)) return value.map(wellFormedDeep);
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    // defineProperty: a `__proto__` member stays a member.
    Object.defineProperty(copy, wellFormed(k), { value: wellFormedDeep(v), enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

const TEXT_FIELDS = [
  'id',
  'issue_class',
  'issue_type',
  'severity',
  'subject',
  'resolve_link',
  'resolve_text',
  'since',
  'timestamp',
  'status',
  'user_classification',
] as const;

/**
 * An insight as the rest of cf-insights may assume it: every text well-formed (see
 * wellFormed) and the class within CLASS_MAX. The insight itself when nothing changes.
 */
export function normalizeInsight<T extends Insight>(insight: T): T {
  let out = insight;
  const set = (key: string, value: unknown) => {
    if (out === insight) out = { ...insight };
    // defineProperty: an unknown field named `__proto__` stays a field.
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  };
  for (const key of TEXT_FIELDS) {
    const value = insight[key];
    if (typeof value === 'string' && LONE_SURROGATE.test(value)) set(key, wellFormed(value));
  }
  if (insight.payload !== undefined) {
    const payload = wellFormedDeep(insight.payload);
    if (payload !== insight.payload) set('payload', payload);
  }
  // The class names a group issue (its marker id with group-by class): a bound keeps it within GitHub's limits.
  if (out.issue_class.length > CLASS_MAX) set('issue_class', cutText(out.issue_class, CLASS_MAX));
  return out;
}

/** Whether JSON text may decode to a lone surrogate: only a `\\uD800`-`\\uDFFF` escape can make one. */
export function mayHoldLoneSurrogates(jsonText: string): boolean {
  return /\\u[dD][89a-fA-F]/.test(jsonText);
}

const optionalText = z.string().nullish();
/** Absent or null reads as empty text: the spec marks every field optional. */
const text = z
  .string()
  .nullish()
  .transform((v) => v ?? '');

export const insightSchema = z.looseObject({
  id: z.string().min(1, 'must be a non-empty string'),
  dismissed: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
  issue_class: text,
  issue_type: text,
  severity: text,
  subject: text,
  payload: z.unknown().optional(),
  resolve_link: optionalText,
  resolve_text: optionalText,
  since: optionalText,
  timestamp: optionalText,
  status: optionalText,
  user_classification: optionalText,
});

const insightListSchema = z.array(insightSchema);

export const errorEntrySchema = z.looseObject({
  code: z.coerce.number(),
  message: z.coerce.string(),
});

export const envelopeSchema = z.looseObject({
  success: z.boolean(),
  errors: z
    .array(errorEntrySchema)
    .nullish()
    .transform((v) => v ?? []),
  messages: z.array(z.unknown()).nullish(),
  result: z.unknown().optional(),
});
export type Envelope = z.output<typeof envelopeSchema>;

/** Absent or null reads as absent: the published schema marks count, page and per_page optional. */
const optionalCount = (min: number) =>
  z
    .number()
    .int()
    .min(min)
    .nullish()
    .transform((v) => v ?? undefined);

export const pageResultSchema = z.looseObject({
  count: optionalCount(0),
  page: optionalCount(1),
  per_page: optionalCount(1),
  issues: z
    .array(z.unknown())
    .nullish()
    .transform((v) => v ?? []),
});

export interface PageResult {
  /** The total across pages, when the API says it. */
  count?: number;
  page?: number;
  /** The page size the API used, when it echoes it. */
  per_page?: number;
  issues: Insight[];
  /** Records on the page, the skipped ones included: a page is short when this is below per_page. */
  received: number;
  /** Records without an id: they cannot be tracked, so they are skipped. */
  skipped: number;
}

/** `result.issues[3].id` from a zod path. */
export function formatPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(body)';
}

function malformed(page: number, error: z.ZodError, prefix: string): CloudflareResponseError {
  const issues = error.issues;
  const first = issues[0]!;
  const where = formatPath(prefix, first.path);
  return new CloudflareResponseError(
    `The Cloudflare API returned an unexpected body on page ${page}: field ${where}: ${first.message}. This tool may need an update; please report it.`,
    {
      page,
      details: issues.slice(0, 10).map((i) => `${formatPath(prefix, i.path)}: ${i.message}`),
    },
  );
}

/** The envelope of any answer; `result` is checked separately. */
export function parseEnvelope(body: unknown, page: number): Envelope {
  const parsed = envelopeSchema.safeParse(body);
  if (!parsed.success) throw malformed(page, parsed.error, '');
  return parsed.data;
}

export interface PageOptions {
  /**
   * False when the page's text cannot hold a lone surrogate (mayHoldLoneSurrogates):
   * the walk over every string is then skipped, for speed.
   */
  surrogates?: boolean;
}

/**
 * The `result` of a successful page, every insight normalized (normalizeInsight). Ids
 * are uuids; one longer than ID_MAX would not fit an issue marker, so the page is refused.
 * A record without an id (absent, null or empty) cannot be tracked: it is skipped and counted.
 */
export function parsePageResult(result: unknown, page: number, options: PageOptions = {}): PageResult {
  const parsed = pageResultSchema.safeParse(result);
  if (!parsed.success) throw malformed(page, parsed.error, 'result');
  const { issues: records, ...rest } = parsed.data;
  // Records without an id are skipped first; the rest are checked in one array parse
  // (one parse per record cost 4x the CPU at 100k insights).
  const kept: unknown[] = [];
  const at: number[] = [];
  let skipped = 0;
  for (let n = 0; n < records.length; n++) {
    const record = records[n];
    const id = record !== null && typeof record === 'object' ? (record as { id?: unknown }).id : undefined;
    if ((id === undefined || id === null || id === '') && record !== null && typeof record === 'object' && !Array.isArray(record)) {
      skipped += 1;
      continue;
    }
    kept.push(record);
    at.push(n);
  }
  const all = insightListSchema.safeParse(kept);
  if (!all.success) {
    // Name the record by its place in the page, as Cloudflare sent it.
    const issues = all.error.issues.map((i) => (typeof i.path[0] === 'number' ? { ...i, path: [at[i.path[0]] ?? i.path[0], ...i.path.slice(1)] } : i));
    throw malformed(page, new z.ZodError(issues), 'result.issues');
  }
  const issues: Insight[] = [];
  for (let k = 0; k < all.data.length; k++) {
    const insight = all.data[k] as Insight;
    if (insight.id.length > ID_MAX) {
      const n = at[k]!;
      throw new CloudflareResponseError(
        `The Cloudflare API returned an unexpected body on page ${page}: field result.issues[${n}].id: longer than ${ID_MAX} characters. This tool may need an update; please report it.`,
        { page, details: [`result.issues[${n}].id: ${insight.id.length} characters`] },
      );
    }
    issues.push(options.surrogates !== false || insight.issue_class.length > CLASS_MAX ? normalizeInsight(insight) : insight);
  }
  const out: PageResult = { issues, received: records.length, skipped };
  if (rest.count !== undefined) out.count = rest.count;
  if (rest.page !== undefined) out.page = rest.page;
  if (rest.per_page !== undefined) out.per_page = rest.per_page;
  return out;
}

export interface VocabularyWatcher {
  /** Looks at the insights of one page. */
  see(insights: readonly Insight[]): void;
  /** Ends one fetch: one warning for the unknown severities seen in it, if any. */
  flush(): void;
}

/**
 * Notices severities and issue types this version does not know. The records are kept
 * as they are. An unknown severity gets one warning per fetch (it changes what
 * fail-on-severity does: it counts as Critical there); an unknown issue type, and a
 * known severity in another spelling or outside the published enum (`High`, `low`),
 * one debug line per value.
 */
export function vocabularyWatcher(log: Logger): VocabularyWatcher {
  const knownSeverities = new Set<string>(SEVERITIES.map((v) => v.toLowerCase()));
  const knownTypes = new Set<string>(ISSUE_TYPES);
  const published = new Set<string>(PUBLISHED_SEVERITIES);
  const reported = new Set<string>();
  let unknown = new Map<string, number>();
  const debugOnce = (key: string, message: string) => {
    if (reported.has(key)) return;
    reported.add(key);
    log.debug(message);
  };
  return {
    see(insights) {
      for (const i of insights) {
        const severity = i.severity;
        if (!knownSeverities.has(severity.trim().toLowerCase())) unknown.set(severity, (unknown.get(severity) ?? 0) + 1);
        else if (!published.has(severity))
          debugOnce(
            `severity:${severity}`,
            `Cloudflare returned the severity ${JSON.stringify(severity)}, outside its published enum (${PUBLISHED_SEVERITIES.join(', ')}); read as ${canonicalSeverity(severity)}.`,
          );
        if (!knownTypes.has(i.issue_type.toLowerCase()))
          debugOnce(
            `type:${i.issue_type}`,
            `Cloudflare returned an issue type this version does not know: ${JSON.stringify(i.issue_type)}; the insight is kept as is.`,
          );
      }
    },
    flush() {
      if (unknown.size === 0) return;
      const total = [...unknown.values()].reduce((a, b) => a + b, 0);
      const values = [...unknown.keys()]
        .slice(0, 5)
        .map((v) => JSON.stringify(v))
        .join(', ');
      log.warning(
        `Cloudflare returned ${total} insight${total === 1 ? '' : 's'} with a severity this version does not know (${values}${unknown.size > 5 ? ', ...' : ''}): kept, listed after Low, and counted as Critical for fail-on-severity so that none passes the threshold unnoticed.`,
      );
      unknown = new Map();
    },
  };
}
