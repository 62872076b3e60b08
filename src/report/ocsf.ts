/**
 * OCSF 1.3.0 Detection Finding records (class 2004, category 2 Findings), one JSON
 * object per line, for security data lakes and SIEMs. Fields without an OCSF home go
 * to `unmapped`, so nothing the API said is lost.
 */
import { scopeKey, type Insight } from '../insights/types.js';
import { VERSION } from '../version.js';
import { sortInsights } from './order.js';
import { OCSF_SEVERITY, severityOf } from './severity-map.js';
import { classWords, epochMs, escapeJsonText, singleLine, str } from './text.js';
import type { ReportContext } from './types.js';

export const OCSF_VERSION = '1.3.0';
export const OCSF_CLASS_UID = 2004;
export const OCSF_CATEGORY_UID = 2;

/** What OCSF 1.3.0 requires of a Detection Finding (base event, finding, and their objects). */
export const OCSF_REQUIRED_FIELDS = [
  { path: 'activity_id', type: 'integer' },
  { path: 'category_uid', type: 'integer' },
  { path: 'class_uid', type: 'integer' },
  { path: 'type_uid', type: 'integer' },
  { path: 'severity_id', type: 'integer' },
  { path: 'time', type: 'integer' },
  { path: 'finding_info', type: 'object' },
  { path: 'finding_info.uid', type: 'string' },
  { path: 'finding_info.title', type: 'string' },
  { path: 'metadata', type: 'object' },
  { path: 'metadata.version', type: 'string' },
  { path: 'metadata.product', type: 'object' },
  { path: 'metadata.product.vendor_name', type: 'string' },
] as const;

const ACTIVITY = { create: { id: 1, name: 'Create' }, close: { id: 3, name: 'Close' } } as const;
/** Finding status_id: 1 New, 2 In Progress, 3 Suppressed, 4 Resolved. */
const STATUS = { new: { id: 1, name: 'New' }, suppressed: { id: 3, name: 'Suppressed' }, resolved: { id: 4, name: 'Resolved' } } as const;

// Insight fields that have an OCSF home; the rest goes to `unmapped`.
const MAPPED = new Set(['id', 'severity', 'issue_type', 'subject', 'since', 'timestamp', 'resolve_link', 'resolve_text']);

// Values go out as the API gave them (the JSON escaping keeps them inert): a data lake
// wants the data, not our idea of what is printable.
const text = str;

export type OcsfDetectionFinding = Record<string, unknown> & {
  activity_id: number;
  category_uid: number;
  class_uid: number;
  type_uid: number;
  severity_id: number;
  time: number;
  finding_info: Record<string, unknown> & { uid: string; title: string };
  metadata: Record<string, unknown> & { version: string; product: { name: string; vendor_name: string; version: string } };
};

export function toOcsf(insight: Insight, ctx: ReportContext): OcsfDetectionFinding {
  const severity = severityOf(insight);
  const rawSeverity = str(insight.severity).trim();
  const severityId = severity ? OCSF_SEVERITY[severity].id : rawSeverity ? 99 : 0;
  const severityName = severity ? OCSF_SEVERITY[severity].name : rawSeverity || 'Unknown';

  const resolved = singleLine(insight.status).toLowerCase() === 'resolved';
  const activity = resolved ? ACTIVITY.close : ACTIVITY.create;
  const status = resolved ? STATUS.resolved : insight.dismissed === true ? STATUS.suppressed : STATUS.new;

  const subject = text(insight.subject);
  const words = classWords(insight.issue_class) || 'Security insight';
  const title = subject ? `${words}: ${subject}` : words;
  const resolveText = text(insight.resolve_text);
  const resolveLink = text(insight.resolve_link);
  const issueType = text(insight.issue_type);
  const firstSeen = epochMs(insight.since);
  const lastSeen = epochMs(insight.timestamp);
  const time = lastSeen ?? epochMs(ctx.fetchedAt) ?? firstSeen ?? 0;

  const findingInfo: OcsfDetectionFinding['finding_info'] = {
    uid: str(insight.id),
    title,
    desc: resolveText || title,
    types: issueType ? [issueType] : [],
    analytic: { uid: text(insight.issue_class), name: words, type_id: 1, type: 'Rule' },
  };
  if (firstSeen !== undefined) findingInfo['first_seen_time'] = firstSeen;
  if (lastSeen !== undefined) findingInfo['last_seen_time'] = lastSeen;
  if (resolveLink) findingInfo['src_url'] = resolveLink;

  const unmapped: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(insight)) {
    if (!MAPPED.has(key) && value !== undefined) unmapped[key] = value;
  }
  if (ctx.scope) unmapped['scope'] = scopeKey(ctx.scope);

  const record: OcsfDetectionFinding = {
    activity_id: activity.id,
    activity_name: activity.name,
    category_uid: OCSF_CATEGORY_UID,
    category_name: 'Findings',
    class_uid: OCSF_CLASS_UID,
    class_name: 'Detection Finding',
    type_uid: OCSF_CLASS_UID * 100 + activity.id,
    type_name: `Detection Finding: ${activity.name}`,
    severity_id: severityId,
    severity: severityName,
    status_id: status.id,
    status: status.name,
    time,
    message: title,
    metadata: {
      version: OCSF_VERSION,
      product: { name: 'cf-insights', vendor_name: 'cf-insights', version: ctx.toolVersion ?? VERSION },
      log_provider: 'Cloudflare Security Center',
      ...(ctx.scope?.kind === 'accounts' ? { tenant_uid: ctx.scope.id } : {}),
    },
    finding_info: findingInfo,
    resources: [{ name: subject, type: issueType }],
    cloud: {
      provider: 'Cloudflare',
      ...(ctx.scope?.kind === 'accounts' ? { account: { uid: ctx.scope.id } } : {}),
    },
    unmapped,
  };
  if (insight.status !== undefined && insight.status !== null) record['status_detail'] = text(insight.status);
  if (resolveText) record['remediation'] = { desc: resolveText, ...(resolveLink ? { references: [resolveLink] } : {}) };
  return record;
}

/** NDJSON: one Detection Finding per line, in report order. */
export function renderOcsf(insights: readonly Insight[], ctx: ReportContext): string {
  return sortInsights(insights)
    .map((insight) => escapeJsonText(JSON.stringify(toOcsf(insight, ctx))) + '\n')
    .join('');
}
