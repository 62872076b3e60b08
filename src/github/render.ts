/**
 * What an issue of ours says: title, body, labels and comments, rendered from an insight.
 * Pure functions; every value that came from the API goes through ./sanitize.ts, and the
 * body always ends with our marker (./marker.ts).
 */
import { classInWords } from '../insights/class-words.js';
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

/** `[<Severity>] <class in words>: <n> subjects` for a class group. */
export function groupTitle(issueClass: string, severity: string, count: number): string {
  const prefix = `[${titleText(severityWord(severity), 20)}] ${titleText(classInWords(issueClass), 150)}: `;
  return fitTitle(prefix, `${count} ${count === 1 ? 'subject' : 'subjects'}`);
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
}

export function issueBody(insight: Insight, options: IssueBodyOptions): string {
  const severity = severityWord(insight.severity);
  const rows: [string, string][] = [
    ['Subject', codeCell(insight.subject, 1_000)],
    ['Type', codeCell(insight.issue_type)],
    ['Class', codeCell(insight.issue_class)],
    ['Severity', tableCellText(severity, 20)],
    ['Dismissed', insight.dismissed ? 'yes' : 'no'],
    ['Status', codeCell(insight.status)],
  ];
  if (optional(insight.user_classification) !== null) rows.push(['Classification', codeCell(insight.user_classification)]);
  rows.push(
    ['Since', codeCell(insight.since, 64)],
    ['Last scan', codeCell(insight.timestamp, 64)],
    ['Scope', codeSpan(scopeKey(options.scope), { inTable: true })],
    ['Insight id', codeCell(insight.id)],
  );

  const parts: string[] = [
    `Cloudflare Security Center reports a **${inlineText(severity, 20)}** insight: **${inlineText(classInWords(insight.issue_class), 150)}**.`,
    ['| Field | Value |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n'),
    '### How to resolve',
  ];
  const resolveText = optional(insight.resolve_text);
  parts.push(resolveText === null ? '_Cloudflare gives no resolution text for this insight._' : proseText(resolveText, RESOLVE_TEXT_MAX));

  const link = dashboardUrl(insight.resolve_link);
  const rawLink = optional(insight.resolve_link);
  if (link !== null) {
    parts.push(`[Open this insight in the Cloudflare dashboard](<${link}>)`);
  } else if (rawLink !== null) {
    parts.push(`Resolve link (not a Cloudflare dashboard address, so not linked): ${codeSpan(rawLink, { max: 500 })}`);
  }

  parts.push('### Payload', fencedBlock(payloadJson(insight.payload), 'json', PAYLOAD_MAX));
  parts.push(footer(), renderMarker({ scope: scopeKey(options.scope), id: insight.id, fp: options.fingerprint }));
  return parts.join('\n\n');
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

function memberLine(member: GroupMember): string {
  const box = member.resolved ? '[x]' : '[ ]';
  const details = member.resolved
    ? 'resolved'
    : member.insight
      ? inlineText(severityWord(member.insight.severity), 20)
      : 'open';
  return `- ${box} ${codeSpan(member.subject, { max: 200 })} · ${details} · ${codeSpan(member.id, { max: 100 })}`;
}

/**
 * One issue for a whole `issue_class` (`group-by: class`): a checklist of the affected
 * subjects, ticked when resolved; open ones first, most severe first.
 */
export function groupBody(issueClass: string, members: GroupMember[], options: { fingerprint: string; scope?: Scope }): string {
  const sorted = [...members].sort(memberOrder);
  const open = sorted.filter((m) => !m.resolved).length;
  const words = inlineText(classInWords(issueClass), 150);
  const parts: string[] = [
    `Cloudflare Security Center reports the insight class **${words}** (${codeSpan(issueClass)}) ` +
      `on ${members.length} ${members.length === 1 ? 'subject' : 'subjects'}, ${open} still open. ` +
      'A ticked box is resolved.' +
      (options.scope ? ` Scope: ${codeSpan(scopeKey(options.scope))}.` : ''),
  ];
  const lines: string[] = [];
  let size = parts[0]!.length;
  for (const member of sorted) {
    const line = memberLine(member);
    if (size + line.length + 1 > GROUP_BODY_BUDGET) break;
    lines.push(line);
    size += line.length + 1;
  }
  parts.push(lines.length > 0 ? lines.join('\n') : '_No subjects._');
  if (lines.length < sorted.length) {
    parts.push(
      `_…and ${sorted.length - lines.length} more not listed: GitHub limits an issue body to 65,536 characters._`,
    );
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
