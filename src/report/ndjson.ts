import type { Insight } from '../insights/types.js';
import { sortInsights } from './order.js';
import { escapeJsonText } from './text.js';
import type { ReportContext } from './types.js';

/** One raw insight per line, compact, in report order. */
export function renderNdjson(insights: readonly Insight[], _ctx: ReportContext): string {
  return sortInsights(insights)
    .map((insight) => `${escapeJsonText(JSON.stringify(insight))}\n`)
    .join('');
}
