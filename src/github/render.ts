/**
 * What an issue of ours says: title, body, labels and comments, rendered from an insight.
 * Pure functions; every value that came from the API goes through ./sanitize.ts, and the
 * body always ends with our marker (./marker.ts).
 */
import { classInWords } from '../insights/class-words.js';
import { ageText, dateText } from '../insights/dates.js';
import { canonicalSeverity, severityRank } from '../insights/severity.js';
import { scopeKey, type Insight, type Scope } from '../insights/types.js';
import { classMarkerId, renderMarker } from './marker.js';
import { codeSpan, ellipsis, fencedBlock, inlineText, proseText, stripControl, tableCellText, titleText } from './sanitize.js';

export const TITLE_MAX = 256;
const SUBJECT_IN_TITLE_MAX = 100;
const PAYLOAD_MAX = 20_000;
const RESOLVE_TEXT_MAX = 2_000;
/** GitHub rejects bodies over 65,536 characters; group bodies stop listing well before. */
const GROUP_BODY_BUDGET = 55_000;

/** `High` for any spelling of a known severity, else the raw value made safe. */
function severityWord(severity: string): string {
  return canonicalSeverity(severity) ?? (ellipsis(stripControl(severity).replace(/\s+/g, ' ').trim(), 20) || 'Unknown');
}

function fitTitle(prefix: string, tail: string): string {
  return ellipsis(`${prefix}${tail}`, TITLE_MAX);
}

/** `[<Severity>] <class in words>: <subject>`, at most 256 characters. */
export function issueTitle(insight: Insight): string {
  const prefix = `[${titleText(severityWord(insight.severity), 20)}] ${titleText(classInWords(insight.issue_class), 100)}: `;
  return fitTitle(prefix, titleText(insight.subject, SUBJECT_IN_TITLE_MAX));
}

/**
 * `[<Severity>] <class in words>` for a class group: no count, which would rename the
 * issue whenever a subject comes or goes (the body counts them).
 */
export function groupTitle(issueClass: string, severity: string): string {
  return ellipsis(`[${titleText(severityWord(severity), 20)}] ${titleText(classInWords(issueClass), 200)}`, TITLE_MAX);
}

function optional(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.trim() === '' ? null : text;
}

function codeCell(value: unknown, max = 200): string {
  const text = optional(value);
  return text === null ? '—' : codeSpan(text, { max, inTable: true });
}

/** A URL we link on purpose: https on dash.cloudflare.com, no credentials. */
export function dashboardUrl(link: string | null | undefined): string | null {
  if (!link) return null;
  let url: URL;
  try {
    url = new URL(link.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.hostname !== 'dash.cloudflare.com' || url.port !== '') return null;
  if (url.username !== '' || url.password !== '') return null;
  // href never holds `<`, `>` or spaces; encode anything else that could confuse the
  // markdown link parser, and our marker text.
  return url.href
    .replace(/[^A-Za-z0-9\-._~:/?#@!$&'*+,;=%]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)
    .replace(/cf-insights:/gi, (m) => `${m.slice(0, -1)}%3A`);
}

function payloadJson(payload: unknown): string {
  if (payload === undefined) return 'null';
  try {
    return JSON.stringify(payload, null, 2) ?? 'null';
  } catch {
    return JSON.stringify(String(payload));
  }
}

export interface IssueBodyOptions {
  fingerprint: string;
  scope: Scope;
  /** ISO time of the run: ages are counted to it. */
  now?: string;
}

/** `2026-01-12 (45 days ago as of 2026-02-26)`: the body is not rewritten daily, so the age says when it was counted. */
function dateCell(value: unknown, now?: string): string {
  const date = dateText(value);
  if (date === null) return codeCell(value, 64);
  const age = ageText(value, now);
  if (age === null) return date;
  return age === 'today' ? `${date} (today)` : `${date} (${age} as of ${dateText(now)})`;
}

const HOSTNAME = /^(?=.{1,253}$)(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

function textField(payload: Record<string, unknown>, ...keys: string[]): string | null {
  for (const key of keys) {
    const value = payload[key];
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return null;
}

/** The zone, by name when the payload names it (or the subject is a host of it), with its tag. */
function zoneCell(insight: Insight): string | null {
  const payload =
    insight.payload !== null && typeof insight.payload === 'object' && !Array.isArray(insight.payload) ? (insight.payload as Record<string, unknown>) : {};
  const nested = payload['zone'] !== null && typeof payload['zone'] === 'object' ? (payload['zone'] as Record<string, unknown>) : {};
  const name = textField(payload, 'zone_name', 'zoneName') ?? textField(nested, 'name');
  const tag = textField(payload, 'zone_tag', 'zone_id', 'zoneTag') ?? textField(nested, 'id');
  if (name === null && tag === null) return null;
  const tagText = tag === null ? null : `zone tag ${codeSpan(tag, { max: 64, inTable: true })}`;
  const subject = typeof insight.subject === 'string' ? insight.subject.trim() : '';
  const named =
    name !== null ? codeSpan(name, { max: 253, inTable: true }) : HOSTNAME.test(subject) ? `the zone of ${codeSpan(subject, { inTable: true })}` : null;
  if (named === null) return tagText;
  return tagText === null ? named : `${named} (${tagText})`;
}

export function issueBody(insight: Insight, options: IssueBodyOptions): string {
  const severity = severityWord(insight.severity);
  const rows: [string, string][] = [['Subject', codeCell(insight.subject, 1_000)]];
  const zone = zoneCell(insight);
  if (zone !== null) rows.push(['Zone', zone]);
  rows.push(
    ['Type', codeCell(insight.issue_type)],
    ['Class', codeCell(insight.issue_class)],
    ['Severity', tableCellText(severity, 20)],
    ['Dismissed', insight.dismissed ? 'yes' : 'no'],
    ['Status', codeCell(insight.status)],
  );
  if (optional(insight.user_classification) !== null) rows.push(['Classification', codeCell(insight.user_classification)]);
  rows.push(
    ['First detected', dateCell(insight.since, options.now)],
    ['Last scan', dateCell(insight.timestamp)],
    ['Scope', codeSpan(scopeKey(options.scope), { inTable: true })],
    ['Insight id', codeCell(insight.id)],
  );

  const parts: string[] = [
    `Cloudflare Security Center reports a **${inlineText(severity, 20)}** insight: **${inlineText(classInWords(insight.issue_class), 150)}**` +
      (optional(insight.subject) === null ? '.' : ` on ${codeSpan(insight.subject, { max: 200 })}.`),
    ['| Field | Value |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n'),
    ...howToResolve(insight.resolve_text, insight.resolve_link),
  ];
  parts.push('### Payload', fencedBlock(payloadJson(insight.payload), 'json', PAYLOAD_MAX));
  parts.push(footer(), renderMarker({ scope: scopeKey(options.scope), id: insight.id, fp: options.fingerprint }));
  return parts.join('\n\n');
}

/** The resolve text and the dashboard link (or the link shown inert, when it is not one). */
function howToResolve(text: unknown, resolveLink: string | null | undefined): string[] {
  const resolveText = optional(text);
  const parts = [
    '### How to resolve',
    resolveText === null ? '_Cloudflare gives no resolution text for this insight._' : proseText(resolveText, RESOLVE_TEXT_MAX),
  ];
  const link = dashboardUrl(resolveLink);
  const rawLink = optional(resolveLink);
  if (link !== null) {
    parts.push(`[Open this insight in the Cloudflare dashboard](<${link}>)`);
  } else if (rawLink !== null) {
    parts.push(`Resolve link (not a Cloudflare dashboard address, so not linked): ${codeSpan(rawLink, { max: 500 })}`);
  }
  return parts;
}

function footer(): string {
  return (
    '<sub>Filed and kept up to date by cf-insights. It closes this issue when the insight is resolved; ' +
    'close it as not planned to mark the insight as triaged.</sub>'
  );
}

export interface GroupMember {
  id: string;
  subject: string;
  resolved: boolean;
  insight?: Insight;
}

function memberOrder(a: GroupMember, b: GroupMember): number {
  if (a.resolved !== b.resolved) return a.resolved ? 1 : -1;
  const bySeverity = severityRank(b.insight?.severity ?? '') - severityRank(a.insight?.severity ?? '');
  if (bySeverity !== 0) return bySeverity;
  if (a.subject !== b.subject) return a.subject < b.subject ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function memberLine(member: GroupMember, ownLink: boolean): string {
  const details = [codeSpan(member.subject, { max: 200 })];
  if (!member.resolved) details.push(member.insight ? inlineText(severityWord(member.insight.severity), 20) : 'open');
  const since = member.resolved ? null : dateText(member.insight?.since);
  if (since !== null) details.push(`first detected ${since}`);
  details.push(codeSpan(member.id, { max: 100 }));
  const link = ownLink && !member.resolved ? dashboardUrl(member.insight?.resolve_link) : null;
  if (link !== null) details.push(`[dashboard](<${link}>)`);
  return `- ${details.join(' · ')}`;
}

/**
 * One issue for a whole `issue_class` (`group-by: class`): what to do about the class,
 * then plain lists of the open and the resolved subjects (a checklist would invite
 * ticks that the next run overwrites); open ones most severe first.
 */
export function groupBody(issueClass: string, members: GroupMember[], options: { fingerprint: string; scope?: Scope }): string {
  const sorted = [...members].sort(memberOrder);
  const open = sorted.filter((m) => !m.resolved);
  const words = inlineText(classInWords(issueClass), 150);
  const n = members.length;
  const parts: string[] = [
    `Cloudflare Security Center reports the insight class **${words}** (${codeSpan(issueClass)}) ` +
      `on ${n} ${n === 1 ? 'subject' : 'subjects'}: ${open.length} open, ${n - open.length} resolved.` +
      (options.scope ? ` Scope: ${codeSpan(scopeKey(options.scope))}.` : ''),
  ];
  // The class's advice is the same for every subject; the most severe open one speaks for it.
  const guide = [...open, ...sorted].find((m) => m.insight && optional(m.insight.resolve_text) !== null)?.insight ?? open[0]?.insight;
  const links = new Set(open.map((m) => dashboardUrl(m.insight?.resolve_link)).filter((l) => l !== null));
  if (guide) parts.push(...howToResolve(guide.resolve_text, links.size === 1 ? [...links][0] : null));

  let size = parts.reduce((total, part) => total + part.length + 2, 0);
  let listed = 0;
  let full = false;
  for (const [heading, list] of [
    ['Open', open],
    ['Resolved', sorted.filter((m) => m.resolved)],
  ] as const) {
    const lines: string[] = [];
    for (const member of list) {
      const line = memberLine(member, links.size > 1);
      full ||= size + line.length + 1 > GROUP_BODY_BUDGET;
      if (full) break;
      lines.push(line);
      size += line.length + 1;
    }
    listed += lines.length;
    if (lines.length > 0) parts.push(`### ${heading} (${list.length})`, lines.join('\n'));
  }
  if (sorted.length === 0) parts.push('_No subjects._');
  if (listed < sorted.length) {
    parts.push(`_…and ${sorted.length - listed} more not listed: GitHub limits an issue body to 65,536 characters._`);
  }
  parts.push(footer(), renderMarker({ ...(options.scope && { scope: scopeKey(options.scope) }), id: classMarkerId(issueClass), fp: options.fingerprint }));
  return parts.join('\n\n');
}

function severityChange(from: string, to: string): 'raised' | 'lowered' | 'changed' {
  const delta = severityRank(to) - severityRank(from);
  return delta > 0 ? 'raised' : delta < 0 ? 'lowered' : 'changed';
}

export function severityChangeComment(from: string, to: string): string {
  const a = inlineText(severityWord(from), 20);
  const b = inlineText(severityWord(to), 20);
  return `Cloudflare Security Center ${severityChange(from, to)} the severity of this insight from **${a}** to **${b}**.`;
}

export function resolvedComment(subject?: { subject?: string } | null): string {
  const what = subject?.subject ? ` for ${codeSpan(subject.subject)}` : '';
  return (
    `Cloudflare Security Center no longer reports this insight${what} in a complete inventory, ` +
    'so this issue is closed as completed. If it comes back, cf-insights reopens it.'
  );
}

export function dismissedComment(subject?: { subject?: string } | null): string {
  const what = subject?.subject ? ` for ${codeSpan(subject.subject)}` : '';
  return `This insight${what} was dismissed in Cloudflare Security Center, so this issue is closed as not planned.`;
}

// The class in words is insights/class-words.ts's, and every label name is ./labels.ts's; re-exported for the callers of render.
export { classInWords } from '../insights/class-words.js';
export { DISMISSED_LABEL, issueLabels, labelColor, labelDescription, mergeLabels, severityLabel, typeLabel } from './labels.js';
