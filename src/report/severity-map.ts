import { canonicalSeverity } from '../insights/severity.js';
import type { Severity } from '../insights/types.js';
import { str } from './text.js';

/** GitHub code scanning ranks security alerts by this score: >= 9 critical, 7 high, 4 medium, else low. */
export const SECURITY_SEVERITY: Record<Severity, string> = {
  Critical: '9.5',
  High: '7.5',
  Moderate: '5.0',
  Low: '2.0',
};

export type SarifLevel = 'error' | 'warning' | 'note';

export const SARIF_LEVEL: Record<Severity, SarifLevel> = {
  Critical: 'error',
  High: 'error',
  Moderate: 'warning',
  Low: 'note',
};

/** OCSF severity_id: 0 Unknown, 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical, 99 Other. */
export const OCSF_SEVERITY: Record<Severity, { id: number; name: string }> = {
  Low: { id: 2, name: 'Low' },
  Moderate: { id: 3, name: 'Medium' },
  High: { id: 4, name: 'High' },
  Critical: { id: 5, name: 'Critical' },
};

export function severityOf(insight: { severity?: unknown }): Severity | undefined {
  return canonicalSeverity(str(insight.severity));
}
