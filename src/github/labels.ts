/**
 * Every label cf-insights adds or removes, in one place. It owns exactly these names
 * (GitHub compares label names without case): `severity:<level>` for its four levels,
 * `type:<issue type>` for the documented issue types, and `dismissed-in-cloudflare`;
 * the configured labels it adds but never removes. Any other label on an issue, even
 * `severity:sev2` or `type:triage`, is a person's and stays.
 */
import { canonicalSeverity } from '../insights/severity.js';
import { ISSUE_TYPES, SEVERITIES, type Insight } from '../insights/types.js';

const SEVERITY_PREFIX = 'severity:';
const TYPE_PREFIX = 'type:';

/**
 * On an issue cf-insights closed because the insight was dismissed in Cloudflare: it
 * tells that close from a person's "not planned" (a triage) when the state is lost, so
 * the issue still reopens if the dismissal is undone.
 */
export const DISMISSED_LABEL = 'dismissed-in-cloudflare';

export const SEVERITY_LABELS: readonly string[] = SEVERITIES.map((s) => SEVERITY_PREFIX + s.toLowerCase());
export const TYPE_LABELS: readonly string[] = ISSUE_TYPES.map((t) => TYPE_PREFIX + t);
const OWN = new Set([...SEVERITY_LABELS, ...TYPE_LABELS, DISMISSED_LABEL]);

/** `severity:high` for any spelling of a known level; null for any other severity (no label). */
export function severityLabel(severity: string): string | null {
  const level = canonicalSeverity(severity);
  return level ? SEVERITY_PREFIX + level.toLowerCase() : null;
}

/** `type:email_security` for a documented issue type; null for any other (no label). */
export function typeLabel(issueType: string): string | null {
  const label = TYPE_PREFIX + issueType.trim().toLowerCase();
  return OWN.has(label) ? label : null;
}

/** A label cf-insights may remove: one of its severity, type or dismissed labels. */
export function isOwnLabel(name: string): boolean {
  return OWN.has(name.toLowerCase());
}

/** The level of the issue's own severity label, or the type of its own type label; a person's look-alike is not read. */
export function ownLabelValue(labels: readonly string[], kind: 'severity' | 'type'): string | null {
  const prefix = kind === 'severity' ? SEVERITY_PREFIX : TYPE_PREFIX;
  const label = labels.find((l) => isOwnLabel(l) && l.toLowerCase().startsWith(prefix));
  return label ? label.slice(prefix.length).toLowerCase() : null;
}

function dedupe(labels: Iterable<string | null>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const label of labels) {
    if (label === null) continue;
    const key = label.toLowerCase();
    if (label.trim() === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(label);
  }
  return out;
}

/** The configured labels, `severity:<level>` and `type:<issue_type>` (each only when it is one of ours). */
export function issueLabels(insight: Pick<Insight, 'severity' | 'issue_type'>, configured: string[]): string[] {
  return dedupe([...configured, severityLabel(String(insight.severity)), typeLabel(String(insight.issue_type))]);
}

/**
 * The labels to write on an existing issue: ours as `desired`, and every label of
 * `current` kept except our own ones that no longer apply.
 */
export function mergeLabels(current: string[], desired: string[]): string[] {
  return dedupe([...desired, ...current.filter((label) => !isOwnLabel(label))]);
}

const SEVERITY_COLORS: Record<string, string> = {
  'severity:critical': 'b60205',
  'severity:high': 'd93f0b',
  'severity:moderate': 'fbca04',
  'severity:low': '0e8a16',
};

export function labelColor(name: string): string {
  return SEVERITY_COLORS[name.toLowerCase()] ?? 'ededed';
}

export function labelDescription(name: string): string {
  const lower = name.toLowerCase();
  if (isOwnLabel(lower) && lower.startsWith(SEVERITY_PREFIX)) return `Cloudflare insight severity: ${lower.slice(SEVERITY_PREFIX.length)}`;
  if (isOwnLabel(lower) && lower.startsWith(TYPE_PREFIX)) return `Cloudflare insight type: ${lower.slice(TYPE_PREFIX.length)}`;
  if (lower === DISMISSED_LABEL) return 'Closed by cf-insights: dismissed in Cloudflare Security Center';
  return 'Cloudflare Security Center insight (cf-insights)';
}
