import type { Insight } from '../insights/types.js';
import { sortInsights } from './order.js';
import { str, stripControls } from './text.js';
import type { ReportContext } from './types.js';

export const CSV_COLUMNS = [
  'id',
  'severity',
  'issue_type',
  'issue_class',
  'subject',
  'dismissed',
  'status',
  'since',
  'timestamp',
  'resolve_link',
  'resolve_text',
] as const;

// A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One RFC 4180 field: a leading formula character is defused with a single quote, then
 * the field is quoted when it holds a comma, a quote or a line break.
 */
export function csvField(value: unknown): string {
  let text = stripControls(str(value), true);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180: a header, CRLF line endings, one row per insight in report order. */
export function renderCsv(insights: readonly Insight[], _ctx: ReportContext): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const insight of sortInsights(insights)) {
    lines.push(CSV_COLUMNS.map((column) => csvField(insight[column])).join(','));
  }
  return lines.map((line) => `${line}\r\n`).join('');
}
