import { classInWords } from '../github/render.js';
import { titleText } from '../github/sanitize.js';
import { isAtLeast, compareSeverityDesc } from '../insights/severity.js';
import { isActive } from '../insights/status.js';
import type { Insight, Severity } from '../insights/types.js';
import { idMap, own } from '../state/records.js';
import type { InsightRecord } from '../state/types.js';

export interface ThresholdInput {
  insights: readonly Insight[];
  failOn: Severity | 'none';
  scope: 'open' | 'new';
  /** Records after the run: their state says whether a person triaged the insight. */
  records: Readonly<Record<string, InsightRecord>>;
  /** Insights first seen in this run. */
  newIds: ReadonlySet<string>;
}

export interface ThresholdResult {
  breached: boolean;
  /** The insights that breach it, most severe first. */
  breaching: Insight[];
  /** The issue of each breaching insight that has one (its class issue with group-by class), by insight id. */
  issues: Readonly<Record<string, number>>;
}

const UNTRIAGED = new Set(['open', 'pending']);

/**
 * An insight breaches the threshold when it is at or above `fail-on-severity` and
 * nobody has triaged it: scope `open`, its issue is open or not yet filed; scope
 * `new`, it was first seen in this run. Dismissed in Cloudflare counts as triaged;
 * `status: resolved` is not active.
 */
export function evaluateThreshold(input: ThresholdInput): ThresholdResult {
  if (input.failOn === 'none') return { breached: false, breaching: [], issues: idMap<number>() };
  const threshold = input.failOn;
  const breaching = input.insights
    .filter((i) => i.dismissed !== true && isActive(i) && isAtLeast(String(i.severity), threshold))
    .filter((i) => {
      const id = String(i.id);
      const state = own(input.records, id)?.state ?? 'pending';
      if (!UNTRIAGED.has(state)) return false;
      return input.scope === 'open' || input.newIds.has(id);
    })
    .sort((a, b) => compareSeverityDesc(String(a.severity), String(b.severity)) || String(a.subject).localeCompare(String(b.subject)));
  // Keyed by API ids: no prototype, so an id like `__proto__` or `constructor` is just a key.
  const issues = idMap<number>();
  for (const i of breaching) {
    const issue = own(input.records, String(i.id))?.issue;
    if (typeof issue === 'number') issues[String(i.id)] = issue;
  }
  return { breached: breaching.length > 0, breaching, issues };
}

/** `MySQL port exposed: 198.51.100.17`: an insight in words, as plain one-line text. */
export function insightInWords(insight: Insight): string {
  return `${classInWords(String(insight.issue_class))}: ${titleText(String(insight.subject), 100)}`;
}

/** `2 insights are at High or above and untriaged: [Critical] #12 MySQL port exposed: 198.51.100.17; ... and 2 more` */
export function describeBreach(result: ThresholdResult, failOn: Severity, limit = 10): string {
  const shown = result.breaching.slice(0, limit).map((i) => {
    const issue = result.issues[String(i.id)];
    const severity = titleText(String(i.severity), 20);
    return issue === undefined ? `[${severity}] ${insightInWords(i)} (no issue yet)` : `[${severity}] #${issue} ${insightInWords(i)}`;
  });
  const more = result.breaching.length - shown.length;
  const n = result.breaching.length;
  return `${n} insight${n === 1 ? ' is' : 's are'} at ${failOn} or above and untriaged: ${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
}
