/**
 * OCSF 1.3.0 Detection Finding records (class 2004, category 2 Findings), one JSON
 * object per line, for security data lakes and SIEMs. Fields without an OCSF home go
 * to `unmapped`, so nothing the API said is lost. test/contract/ holds the class's schema
 * as transcribed from ocsf/ocsf-schema 1.3.0, and the tests hold every record to it.
 */
import { isIP } from 'node:net';
import { scopeKey, type Insight } from '../insights/types.js';
import { VERSION } from '../version.js';
import { sortInsights } from './order.js';
import { OCSF_SEVERITY, severityOf } from './severity-map.js';
import { classInWords } from '../insights/class-words.js';
import { epochMs, escapeJsonText, singleLine, str } from './text.js';
import type { ReportContext } from './types.js';

export const OCSF_VERSION = '1.3.0';
export const OCSF_CLASS_UID = 2004;
export const OCSF_CATEGORY_UID = 2;

/** Attributes from OCSF profiles need the profile named in `metadata.profiles`: `cloud` is the Cloud profile's. */
export const OCSF_PROFILES = ['cloud'] as const;
/** The product that found the insight; cf-insights itself is named in `metadata.loggers`. */
export const OCSF_PRODUCT = { name: 'Cloudflare Security Center', vendor_name: 'Cloudflare' } as const;

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
  metadata: Record<string, unknown> & { version: string; profiles: string[]; product: { name: string; vendor_name: string } };
};

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9_*](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*$/i;

/**
 * What kind of Cloudflare resource an insight is about (`resources[].type`, "the resource
 * type as defined by the event source"), from the payload first, then the subject's shape:
 * a DNS record (the payload names a record id or type), a User (an e-mail), an IP address
 * (an exposed port), the Account (a list of its members), a Zone (a zone setting or a
 * record missing from the zone), else a Hostname. Nothing recognisable gives no type.
 */
export function resourceOf(insight: Insight): { type?: string; uid?: string } {
  const payload =
    insight.payload !== null && typeof insight.payload === 'object' && !Array.isArray(insight.payload) ? (insight.payload as Record<string, unknown>) : {};
  const subject = singleLine(insight.subject);
  const uid = (value: unknown) => (typeof value === 'string' && value !== '' ? { uid: value } : {});
  if (payload['record_id'] !== undefined || payload['record_type'] !== undefined) return { type: 'DNS record', ...uid(payload['record_id']) };
  if (payload['user_email'] !== undefined || EMAIL.test(subject)) return { type: 'User' };
  if (payload['ip'] !== undefined || isIP(subject) !== 0) return { type: 'IP address' };
  if (Array.isArray(payload['users'])) return { type: 'Account' };
  if (payload['zone_tag'] !== undefined) return { type: 'Zone', ...uid(payload['zone_tag']) };
  if (HOSTNAME.test(subject)) return { type: 'Hostname' };
  return {};
}

export function toOcsf(insight: Insight, ctx: ReportContext): OcsfDetectionFinding {
  const severity = severityOf(insight);
  const rawSeverity = str(insight.severity).trim();
  const severityId = severity ? OCSF_SEVERITY[severity].id : rawSeverity ? 99 : 0;
  const severityName = severity ? OCSF_SEVERITY[severity].name : rawSeverity || 'Unknown';

  const resolved = singleLine(insight.status).toLowerCase() === 'resolved';
  const activity = resolved ? ACTIVITY.close : ACTIVITY.create;
  const status = resolved ? STATUS.resolved : insight.dismissed === true ? STATUS.suppressed : STATUS.new;

  const subject = text(insight.subject);
  const words = classInWords(insight.issue_class, 'Security insight');
  const title = subject ? `${words}: ${subject}` : words;
  const resolveText = text(insight.resolve_text);
  const resolveLink = text(insight.resolve_link);
  const issueType = text(insight.issue_type);
  const firstSeen = epochMs(insight.since);
  const lastSeen = epochMs(insight.timestamp);
  const time = lastSeen ?? epochMs(ctx.fetchedAt) ?? firstSeen ?? 0;
  const toolVersion = ctx.toolVersion ?? VERSION;
  const resource = resourceOf(insight);

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
      profiles: [...OCSF_PROFILES],
      product: { ...OCSF_PRODUCT },
      loggers: [{ name: 'cf-insights', version: toolVersion, product: { name: 'cf-insights', vendor_name: 'cf-insights', version: toolVersion } }],
      ...(ctx.scope?.kind === 'accounts' ? { tenant_uid: ctx.scope.id } : {}),
    },
    finding_info: findingInfo,
    resources: resource.uid !== undefined || subject ? [{ ...(subject ? { name: subject } : {}), ...resource }] : [],
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
    .map((insight) => `${escapeJsonText(JSON.stringify(toOcsf(insight, ctx)))}\n`)
    .join('');
}
