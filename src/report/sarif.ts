/**
 * SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`): one rule
 * per issue class, one result per insight. Code scanning needs a location on every
 * result, so each insight gets a synthetic artifact path under `cloudflare/<scope>/`
 * (no such file exists; the alert still shows, with the path naming the finding).
 * `partialFingerprints` carries the insight id, so an alert keeps its identity across
 * uploads whatever else changes.
 *
 * GitHub's limits ("SARIF support for code scanning"): 25,000 results and 25,000 rules a
 * run, 20 runs a file, 20 tags a rule, 10 MB gzipped. A larger inventory is capped at
 * 25,000 results, open alerts first and the most severe first, and the run says what it
 * left out. Not split into more runs: GitHub rejects two runs of one tool and category
 * in one upload, and alerts would move between categories from one upload to the next.
 */
import type * as Sarif from 'sarif';
import { SettingsError } from '../errors.js';
import { scopeKey, type Insight } from '../insights/types.js';
import { VERSION } from '../version.js';
import { sortInsights } from './order.js';
import { SARIF_LEVEL, SECURITY_SEVERITY, severityOf } from './severity-map.js';
import { classInWords } from '../insights/class-words.js';
import { escapeJsonText, singleLine, str, stripControls } from './text.js';
import type { ReportContext } from './types.js';
import { isResolved } from '../insights/status.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** The tool's information page in SARIF; the lead may point it at the project's repository. */
export const SARIF_INFORMATION_URI = 'https://developers.cloudflare.com/security-center/security-insights/';
export const SARIF_FINGERPRINT_KEY = 'cfInsightId/v1';
/** Results GitHub code scanning accepts in one run. */
export const SARIF_MAX_RESULTS = 25_000;

/**
 * `runs[].automationDetails.id` for a code scanning category. GitHub reads the id as
 * `category/run-id` (the category is everything before the last `/`), so the category is
 * written with a trailing `/`: a category, no run id.
 */
export function sarifAutomationId(category: string): string {
  const trimmed = category.trim();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a URI with control characters is refused.
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(trimmed) || trimmed.replace(/\/+$/, '') === '') {
    throw new SettingsError(
      'sarif-category',
      `Invalid --sarif-category ${JSON.stringify(category)}: use a non-empty single-line name such as cloudflare-insights or security/cloudflare.`,
    );
  }
  return trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

/** The line to warn with when an inventory is too large for one code scanning run, else null. */
export function sarifCapWarning(total: number, maxResults = SARIF_MAX_RESULTS): string | null {
  if (total <= maxResults) return null;
  const n = (x: number) => x.toLocaleString('en-US');
  return `SARIF: ${n(total)} insights, but GitHub code scanning accepts ${n(maxResults)} results a run: the ${n(total - maxResults)} least severe were left out (open alerts and the most severe kept). Narrow the filters (--severity, --issue-type) to see the rest.`;
}

/** Open alerts first, then report order (most severe first), at most `max`; kept in report order. */
function capResults(ordered: readonly Insight[], max: number): Insight[] {
  if (ordered.length <= max) return [...ordered];
  const open = ordered.filter(isOpenAlert);
  const kept = new Set([...open, ...ordered.filter((i) => !isOpenAlert(i))].slice(0, max));
  return ordered.filter((i) => kept.has(i));
}

function isSuppressed(insight: Insight): boolean {
  return insight.dismissed === true;
}

/** A result code scanning shows as an open alert: neither dismissed nor resolved. */
function isOpenAlert(insight: Insight): boolean {
  return !isSuppressed(insight) && !isResolved(insight);
}

function text(value: unknown): string {
  return stripControls(str(value), true).trim();
}

function uriSegment(value: unknown): string {
  return encodeURIComponent(singleLine(value) || 'unknown');
}

/** `cloudflare/accounts/<id>/<issue_type>/<subject>`: what the alert shows as its file. */
export function artifactUri(insight: Insight, ctx: ReportContext): string {
  const scope = ctx.scope ? scopeKey(ctx.scope).split('/').map(uriSegment).join('/') : 'unknown-scope';
  return `cloudflare/${scope}/${uriSegment(insight.issue_type)}/${uriSegment(insight.subject)}`;
}

function ruleFor(issueClass: string, members: readonly Insight[]): Sarif.ReportingDescriptor {
  // members are in report order: the first is the most severe, and gives the texts.
  const first = members[0]!;
  const severity = severityOf(first);
  const words = classInWords(issueClass, issueClass);
  let resolve: string | undefined;
  for (const member of members) {
    resolve = text(member.resolve_text) || undefined;
    if (resolve) break;
  }
  const types = [...new Set(members.map((m) => singleLine(m.issue_type)).filter(Boolean))].sort();
  const properties: Sarif.PropertyBag = { tags: ['security', ...types] };
  if (severity) properties['security-severity'] = SECURITY_SEVERITY[severity];
  const help = resolve ?? `Review the ${words} insight in Cloudflare Security Center.`;
  return {
    id: issueClass,
    name: words,
    shortDescription: { text: words },
    fullDescription: { text: resolve ?? words },
    help: { text: help, markdown: help.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`) },
    defaultConfiguration: { level: severity ? SARIF_LEVEL[severity] : 'warning' },
    properties,
  };
}

function messageFor(insight: Insight, ruleName: string): string {
  const severity = severityOf(insight) ?? (singleLine(insight.severity) || 'Unknown severity');
  const parts = [`${severity}: ${ruleName} on ${singleLine(insight.subject) || 'an unnamed subject'}.`];
  const resolve = singleLine(insight.resolve_text);
  if (resolve) parts.push(resolve);
  const link = singleLine(insight.resolve_link);
  if (link) parts.push(`Resolve in the Cloudflare dashboard: ${link}`);
  return parts.join(' ');
}

export function toSarif(insights: readonly Insight[], ctx: ReportContext, limits: { maxResults?: number } = {}): Sarif.Log {
  const maxResults = limits.maxResults ?? SARIF_MAX_RESULTS;
  const all = sortInsights(insights);
  const ordered = capResults(all, maxResults);
  const omitted = all.length - ordered.length;
  const ruleIds = ordered.map((insight) => singleLine(insight.issue_class) || 'unclassified');
  const byClass = new Map<string, Insight[]>();
  for (const [i, insight] of ordered.entries()) {
    const key = ruleIds[i]!;
    const members = byClass.get(key);
    if (members) members.push(insight);
    else byClass.set(key, [insight]);
  }
  const classes = [...byClass.keys()].sort();
  const rules = classes.map((c) => ruleFor(c, byClass.get(c)!));
  const ruleIndex = new Map(classes.map((c, i) => [c, i]));

  const results: Sarif.Result[] = ordered.map((insight, i) => {
    const ruleId = ruleIds[i]!;
    const index = ruleIndex.get(ruleId)!;
    const severity = severityOf(insight);
    const properties: Sarif.PropertyBag = {
      subject: text(insight.subject),
      severity: text(insight.severity),
      issue_type: text(insight.issue_type),
      since: text(insight.since),
    };
    const link = text(insight.resolve_link);
    if (link) properties['resolve_link'] = link;
    const result: Sarif.Result = {
      ruleId,
      ruleIndex: index,
      level: severity ? SARIF_LEVEL[severity] : 'warning',
      message: { text: messageFor(insight, rules[index]!.name!) },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: artifactUri(insight, ctx) },
            region: { startLine: 1 },
          },
          logicalLocations: [{ name: text(insight.subject), kind: 'resource' }],
        },
      ],
      partialFingerprints: { [SARIF_FINGERPRINT_KEY]: str(insight.id) },
      properties,
    };
    if (isResolved(insight)) {
      // Resolved in Cloudflare: SARIF's "the rule was evaluated and no problem was found"
      // (§3.27.9 kind pass; §3.27.10: level none when kind is not fail), so no open alert.
      result.kind = 'pass';
      result.level = 'none';
    }
    if (isSuppressed(insight)) {
      result.suppressions = [{ kind: 'external', status: 'accepted', justification: 'Dismissed in Cloudflare Security Center.' }];
    }
    return result;
  });

  const run: Sarif.Run = {
    tool: {
      driver: {
        name: 'cf-insights',
        version: ctx.toolVersion ?? VERSION,
        informationUri: SARIF_INFORMATION_URI,
        rules,
      },
    },
    ...(ctx.sarifCategory !== undefined ? { automationDetails: { id: sarifAutomationId(ctx.sarifCategory) } } : {}),
    results,
    properties: {
      scope: ctx.scope ? scopeKey(ctx.scope) : null,
      fetchedAt: ctx.fetchedAt ?? null,
      complete: ctx.complete ?? true,
      ...(omitted > 0 ? { omittedResults: omitted } : {}),
    },
  };
  const warning = sarifCapWarning(all.length, maxResults);
  if (warning) {
    run.invocations = [{ executionSuccessful: true, toolExecutionNotifications: [{ level: 'warning', message: { text: warning } }] }];
  }
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
}

export function renderSarif(insights: readonly Insight[], ctx: ReportContext): string {
  return `${escapeJsonText(JSON.stringify(toSarif(insights, ctx), null, 2))}\n`;
}
