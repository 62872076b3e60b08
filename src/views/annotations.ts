import { classInWords } from '../insights/class-words.js';
import { canonicalSeverity } from '../insights/severity.js';
import { isActive } from '../insights/status.js';
import type { SyncResult } from '../sync/engine.js';

export interface Annotation {
  level: 'error' | 'warning';
  text: string;
}

/** The run page's annotations: one per new active Critical (an error) or High (a warning) insight. */
export function newInsightAnnotations(result: SyncResult): Annotation[] {
  const fresh = new Set(result.newIds);
  // By insight id: with group-by class an issue's key is its class, and it speaks for each member.
  const filed = new Map<string, number>();
  for (const i of result.issues) if (i.issue !== null) for (const id of i.insightIds) filed.set(id, i.issue);
  const out: Annotation[] = [];
  for (const insight of result.insights) {
    if (!fresh.has(String(insight.id)) || insight.dismissed === true || !isActive(insight)) continue;
    const issue = filed.get(String(insight.id));
    // @actions/core escapes line breaks and % in annotation text; the class is shown in words.
    const text = `New ${String(insight.severity)} insight: ${classInWords(String(insight.issue_class))} on ${String(insight.subject)}${issue ? ` (issue #${issue})` : ''}`;
    // Any spelling the API sends (`critical`, `HIGH`) counts as its level.
    const severity = canonicalSeverity(String(insight.severity ?? ''));
    if (severity === 'Critical') out.push({ level: 'error', text });
    else if (severity === 'High') out.push({ level: 'warning', text });
  }
  return out;
}
