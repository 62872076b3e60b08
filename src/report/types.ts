import type { Insight, Scope } from '../insights/types.js';

export const REPORT_FORMATS = ['table', 'json', 'ndjson', 'csv', 'markdown', 'sarif', 'ocsf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** What a renderer may know besides the insights. Everything is optional: a renderer is pure. */
export interface ReportContext {
  scope?: Scope;
  /** When the inventory was fetched (ISO 8601). */
  fetchedAt?: string;
  /** False when the inventory is known to be partial. */
  complete?: boolean;
  /** ANSI colour in the table; the CLI decides (a TTY and no NO_COLOR). */
  color?: boolean;
  toolVersion?: string;
  /** SARIF: the code scanning category, written as `runs[].automationDetails.id`. */
  sarifCategory?: string;
  /** Terminal width for the table; 120 when absent. */
  width?: number;
}

export type Renderer = (insights: readonly Insight[], ctx: ReportContext) => string;
