import type { Insight } from '../insights/types.js';
import { renderCsv } from './csv.js';
import { renderJson } from './inventory-file.js';
import { renderMarkdown } from './markdown.js';
import { renderNdjson } from './ndjson.js';
import { renderOcsf } from './ocsf.js';
import { renderSarif } from './sarif.js';
import { renderTable } from './table.js';
import { REPORT_FORMATS, type ReportContext, type ReportFormat, type Renderer } from './types.js';

export { REPORT_FORMATS, type ReportContext, type ReportFormat, type Renderer } from './types.js';
export { severityCounts, formatSeverityCounts, sortInsights, compareInsights, type SeverityCounts } from './order.js';
export { parseInventoryFile, toInventoryFile, type InventoryFileContents, type InventoryFileDocument } from './inventory-file.js';

export const RENDERERS: Record<ReportFormat, Renderer> = {
  table: renderTable,
  json: renderJson,
  ndjson: renderNdjson,
  csv: renderCsv,
  markdown: renderMarkdown,
  sarif: renderSarif,
  ocsf: renderOcsf,
};

export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

/** The report in `format`, as the text to write (ends with a newline unless empty). */
export function renderReport(format: ReportFormat, insights: readonly Insight[], ctx: ReportContext = {}): string {
  return RENDERERS[format](insights, ctx);
}
