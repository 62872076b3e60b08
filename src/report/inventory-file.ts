/**
 * The `json` report format is also the saved inventory that `--from-file` reads back:
 * `{tool, version, scope, fetchedAt, complete, count, insights}`. Reading also accepts
 * a raw Cloudflare API response (one page, as `curl` saves it) and a plain array.
 */
import { z } from 'zod';
import { insightSchema, normalizeInsight } from '../cloudflare/schemas.js';
import { SettingsError } from '../errors.js';
import { scopeKey, type Insight, type Scope } from '../insights/types.js';
import { sortInsights } from './order.js';
import { escapeJsonText, singleLine } from './text.js';
import type { ReportContext } from './types.js';

export const INVENTORY_FILE_TOOL = 'cf-insights';
export const INVENTORY_FILE_VERSION = 1;

export interface InventoryFileDocument {
  tool: typeof INVENTORY_FILE_TOOL;
  version: typeof INVENTORY_FILE_VERSION;
  scope: string | null;
  fetchedAt: string | null;
  complete: boolean;
  count: number;
  insights: Insight[];
}

export function toInventoryFile(insights: readonly Insight[], ctx: ReportContext): InventoryFileDocument {
  return {
    tool: INVENTORY_FILE_TOOL,
    version: INVENTORY_FILE_VERSION,
    scope: ctx.scope ? scopeKey(ctx.scope) : null,
    fetchedAt: ctx.fetchedAt ?? null,
    complete: ctx.complete ?? true,
    count: insights.length,
    insights: sortInsights(insights),
  };
}

/** The `json` format: the inventory file, pretty-printed, raw insights unchanged. */
export function renderJson(insights: readonly Insight[], ctx: ReportContext): string {
  return `${escapeJsonText(JSON.stringify(toInventoryFile(insights, ctx), null, 2))}\n`;
}

/** What `--from-file` gets back: the same fields as a fetched inventory, minus the request count. */
export interface InventoryFileContents {
  /** Present only in files written by cf-insights. */
  scope?: Scope;
  insights: Insight[];
  fetchedAt?: string;
  /** A raw API page whose `count` exceeds its issues is incomplete; arrays count as complete. */
  complete: boolean;
  count: number;
  shape: 'inventory' | 'api-response' | 'array';
}

const SCOPE_PATTERN = /^(accounts|zones)\/([0-9a-f]{32})$/i;

const inventoryFileSchema = z.looseObject({
  tool: z.literal(INVENTORY_FILE_TOOL).optional(),
  version: z.number().int().optional(),
  scope: z.string().regex(SCOPE_PATTERN, 'must be accounts/<32 hex> or zones/<32 hex>').nullable().optional(),
  fetchedAt: z
    .string()
    .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date')
    .nullable()
    .optional(),
  complete: z.boolean().optional(),
  count: z.number().int().nonnegative().optional(),
  insights: z.array(z.unknown()),
});

const apiResponseSchema = z.looseObject({
  success: z.boolean().optional(),
  result: z.looseObject({
    count: z.number().int().nonnegative().optional(),
    issues: z.array(z.unknown()),
  }),
});

const ACCEPTED = 'give a file written by "cf-insights report --format json", a Cloudflare API response, or a JSON array of insights';

function fail(source: string, what: string): never {
  throw new SettingsError('from-file', `Cannot read inventory file ${source}: ${what}; ${ACCEPTED}.`);
}

function describeIssue(error: z.ZodError, prefix: string): string {
  const issue = error.issues[0];
  if (!issue) return `${prefix}: invalid`;
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  return `${prefix}${path}: ${singleLine(issue.message)}`;
}

function parseInsights(items: readonly unknown[], source: string, at: string): Insight[] {
  const seen = new Map<string, number>();
  return items.map((item, index) => {
    // One insight: the API's own schema (`id` required, unknown fields kept).
    const parsed = insightSchema.safeParse(item);
    if (!parsed.success) fail(source, describeIssue(parsed.error, `${at}[${index}]`));
    // The same cleaning as a fetched page: well-formed text, a bounded class.
    const insight = normalizeInsight(parsed.data as Insight);
    const previous = seen.get(insight.id);
    if (previous !== undefined) {
      fail(source, `${at}[${index}].id: "${singleLine(insight.id)}" repeats ${at}[${previous}].id`);
    }
    seen.set(insight.id, index);
    return insight;
  });
}

function parseScope(text: string): Scope {
  const match = SCOPE_PATTERN.exec(text)!;
  return { kind: match[1]!.toLowerCase() as Scope['kind'], id: match[2]!.toLowerCase() };
}

/**
 * Reads an inventory from the text of `source` (used in messages only). Throws a
 * SettingsError (`from-file`) whose one line names the file and the failing field.
 */
export function parseInventoryFile(text: string, source: string): InventoryFileContents {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    fail(source, `not valid JSON (${singleLine(error instanceof Error ? error.message : error)})`);
  }

  if (Array.isArray(data)) {
    const insights = parseInsights(data, source, '');
    return { insights, complete: true, count: insights.length, shape: 'array' };
  }
  if (data === null || typeof data !== 'object') fail(source, `expected a JSON object or array, found ${data === null ? 'null' : typeof data}`);
  const object = data as Record<string, unknown>;

  if ('insights' in object || object.tool === INVENTORY_FILE_TOOL) {
    const parsed = inventoryFileSchema.safeParse(object);
    if (!parsed.success) fail(source, describeIssue(parsed.error, ''));
    const file = parsed.data;
    if (file.version !== undefined && file.version > INVENTORY_FILE_VERSION) {
      fail(source, `version ${file.version} was written by a newer cf-insights (this one reads version ${INVENTORY_FILE_VERSION})`);
    }
    const insights = parseInsights(file.insights, source, 'insights');
    return {
      ...(file.scope ? { scope: parseScope(file.scope) } : {}),
      insights,
      ...(file.fetchedAt ? { fetchedAt: file.fetchedAt } : {}),
      complete: file.complete ?? true,
      count: insights.length,
      shape: 'inventory',
    };
  }

  if ('result' in object || 'success' in object) {
    if (object.success === false) {
      const errors = Array.isArray(object.errors) ? (object.errors as { code?: unknown; message?: unknown }[]) : [];
      const first = errors[0];
      const detail = first !== null && typeof first === 'object' ? `: ${singleLine(first.code)} ${singleLine(first.message)}`.trimEnd() : '';
      fail(source, `it is a failed API response (success: false${detail})`);
    }
    const parsed = apiResponseSchema.safeParse(object);
    if (!parsed.success) fail(source, describeIssue(parsed.error, ''));
    const response = parsed.data;
    const insights = parseInsights(response.result.issues, source, 'result.issues');
    const announced = response.result.count ?? insights.length;
    return { insights, complete: insights.length >= announced, count: insights.length, shape: 'api-response' };
  }

  fail(source, 'no "insights" array, no API "result" and not an array');
}
