/**
 * zod schemas of what the insights endpoint returns. Loose on purpose: unknown fields
 * are kept, severities and types are plain strings (a new one is reported, not
 * rejected); strict where a wrong shape would make the inventory wrong (ids, counts).
 */
import { z } from 'zod';
import type { Logger } from '../log.js';
import { ISSUE_TYPES, SEVERITIES, type Insight } from '../insights/types.js';
import { CloudflareResponseError } from './errors.js';

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

export const pageResultSchema = z.looseObject({
  count: z.number().int().nonnegative(),
  page: z.number().int().positive(),
  per_page: z.number().int().positive(),
  issues: z
    .array(insightSchema)
    .nullish()
    .transform((v) => v ?? []),
});

export interface PageResult {
  count: number;
  page: number;
  per_page: number;
  issues: Insight[];
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

/** The `result` of a successful page. */
export function parsePageResult(result: unknown, page: number): PageResult {
  const parsed = pageResultSchema.safeParse(result);
  if (!parsed.success) throw malformed(page, parsed.error, 'result');
  return parsed.data as PageResult;
}

/**
 * Reports, once per value, severities and issue types this version does not know.
 * The records are kept as they are; the report helps notice an API change.
 */
export function vocabularyWatcher(log: Logger): (insights: readonly Insight[]) => void {
  const known = new Set<string>([...SEVERITIES, ...ISSUE_TYPES].map((v) => v.toLowerCase()));
  const reported = new Set<string>();
  const check = (kind: 'severity' | 'issue type', value: string) => {
    const key = `${kind}:${value}`;
    if (known.has(value.toLowerCase()) || reported.has(key)) return;
    reported.add(key);
    log.debug(`Cloudflare returned a ${kind} this version does not know: ${JSON.stringify(value)}; the insight is kept as is.`);
  };
  return (insights) => {
    for (const i of insights) {
      check('severity', i.severity);
      check('issue type', i.issue_type);
    }
  };
}
