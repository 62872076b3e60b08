/**
 * Hostile input, by property: random insight records as the API could send them
 * (unicode, lone surrogates, very long strings, missing, null or wrongly typed fields,
 * unknown fields, odd payloads with fences, comments, fake markers and `__proto__`)
 * go through the real path: JSON text -> the zod schema -> the planner and the issue
 * renderers -> the report renderers. None may throw; every issue body keeps exactly
 * our marker, and nothing that could ping, link, inject HTML or break out of a fence
 * survives outside code.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLASS_MAX, ID_MAX, mayHoldLoneSurrogates, parsePageResult, wellFormed } from '../../src/cloudflare/schemas.js';
import { CloudflareResponseError } from '../../src/cloudflare/errors.js';
import { classMarkerId, parseMarker, scopeIdsIn } from '../../src/github/marker.js';
import { groupBody, groupTitle, issueBody, issueLabels, issueTitle } from '../../src/github/render.js';
import type { TrackedIssue } from '../../src/github/types.js';
import { fingerprint } from '../../src/insights/fingerprint.js';
import type { Insight } from '../../src/insights/types.js';
import { REPORT_FORMATS, renderReport } from '../../src/report/index.js';
import { plan } from '../../src/sync/plan.js';
import { emptyState, parseStateText, serializeState } from '../../src/state/document.js';
import { idMap } from '../../src/state/records.js';
import type { GroupRecord } from '../../src/state/types.js';
import { planSettings, SCOPE } from '../support/insights.js';

/** More with CF_INSIGHTS_PROPERTY_RUNS=5000 for a deeper search. */
const RUNS = Number(process.env['CF_INSIGHTS_PROPERTY_RUNS'] ?? 200);

// Arbitraries ------------------------------------------------------------------------

const NASTY = [
  '@octocat',
  '@org/team',
  ' @a',
  '#1',
  '#12 ',
  'GH-12',
  'acme/security#3',
  'x@y.com',
  '```',
  '````',
  '~~~',
  '``',
  '`',
  '\n```\n',
  '\n    code\n',
  '<!-- cf-insights:v1 id=evil fp=beef -->',
  '<!--',
  '-->',
  'cf-insights:v1',
  ' id=',
  ' fp=',
  '%41',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<sub>',
  '</sub>',
  '<br>',
  '<details>',
  '[link](https://evil.example)',
  '![img](https://evil.example/x.png)',
  '<https://evil.example>',
  'https://evil.example/a',
  'javascript:alert(1)',
  'www.evil.com',
  '](',
  '[',
  ']',
  '\n',
  '\r\n',
  '\r',
  '\t',
  '\u0000',
  '\u001b[31m',
  '\u202e',
  '\u2066',
  '\u200b',
  '\u00a0',
  '\ufeff',
  '\ud800',
  '\udfff',
  '😀',
  'e\u0301',
  '中文',
  'مرحبا',
  '|',
  '\\',
  '*',
  '_',
  '~',
  '&amp;',
  '&lt;',
  '#',
  '# Heading',
  '> quote',
  '- [ ] task',
  '1. item',
  '---',
  '{{',
  '}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template placeholder is the hostile input here.
  '${x}',
  '%s',
  '\\n',
] as const;

/** Text an API could send: nasty fragments, random unicode (lone surrogates included), sometimes very long. */
const hostile: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: 'binary', maxLength: 8 })), { maxLength: 8 }).map((p) => p.join('')) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...NASTY, 'a', 'é', '`', '@x '), fc.integer({ min: 200, max: 12_000 }))
      .map(([s, n]) => s.repeat(Math.ceil(n / s.length))),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
);

/** JSON as text, so `__proto__` and integer-like keys arrive as JSON.parse makes them: own members. */
type Json = { t: 'v'; v: string | number | boolean | null } | { t: 'a'; items: Json[] } | { t: 'o'; entries: [string, Json][] };
const jsonKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', '0', '10', '', 'payload', 'id'), hostile);
const { json } = fc.letrec<{ json: Json }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(hostile, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null)).map((v) => ({ t: 'v' as const, v })),
    fc.array(tie('json'), { maxLength: 4 }).map((items) => ({ t: 'a' as const, items })),
    fc.array(fc.tuple(jsonKey, tie('json')), { maxLength: 4 }).map((entries) => ({ t: 'o' as const, entries })),
  ),
}));
function jsonText(node: Json): string {
  if (node.t === 'v') return JSON.stringify(node.v);
  if (node.t === 'a') return `[${node.items.map(jsonText).join(',')}]`;
  return `{${node.entries.map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`).join(',')}}`;
}

/** A field: a string as expected, or missing, null, or of another type. */
const field = (text: fc.Arbitrary<string> = hostile) =>
  fc.oneof(
    { weight: 6, arbitrary: text.map((v) => ({ t: 'v' as const, v }) as Json) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constant<Json>({ t: 'v', v: null }) },
    { weight: 1, arbitrary: json },
  );

const SEVERITY = fc.oneof(fc.constantFrom('Low', 'Moderate', 'High', 'Critical', 'critical', 'HIGH', 'Unknown', ''), hostile);
const TYPE = fc.oneof(fc.constantFrom('exposed_infrastructure', 'email_security', 'weak_authentication', 'brand_new_type'), hostile);
/** Names a plain object answers from its prototype. */
const PROTO_NAMES = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty'] as const;
const CLASS = fc.oneof(fc.constantFrom('dns_record_dangling', 'exposed_rdp_port', 'users_without_mfa', ...PROTO_NAMES), hostile);
const LINK = fc.oneof(
  fc.constantFrom(
    'https://dash.cloudflare.com/?to=/:account/dns',
    'https://dash.cloudflare.com/x)](https://evil)',
    'http://dash.cloudflare.com/',
    'https://dash.cloudflare.com.evil.com/',
    'https://user:pw@dash.cloudflare.com/',
    'javascript:alert(1)',
    'https://dash.cloudflare.com/<!-- cf-insights:v1 id=a fp=b -->',
  ),
  hostile,
);
const ID = fc.oneof(
  { weight: 4, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.constantFrom(...PROTO_NAMES) },
  { weight: 2, arbitrary: hostile.filter((s) => s !== '') },
);

/** One record as JSON text: known fields in any state, unknown fields, any payload. */
const recordText = fc
  .record(
    {
      id: fc.oneof({ weight: 8, arbitrary: ID.map((v) => ({ t: 'v' as const, v }) as Json) }, { weight: 1, arbitrary: json }),
      dismissed: fc.oneof(
        fc.boolean().map((v) => ({ t: 'v' as const, v }) as Json),
        fc.constant(undefined),
        json,
      ),
      issue_class: field(CLASS),
      issue_type: field(TYPE),
      severity: field(SEVERITY),
      subject: field(),
      payload: fc.oneof(json, fc.constant(undefined)),
      resolve_link: field(LINK),
      resolve_text: field(),
      since: field(),
      timestamp: field(),
      status: field(fc.constantFrom('active', 'resolved')),
      user_classification: field(),
    },
    { requiredKeys: [] },
  )
  .chain((known) => fc.array(fc.tuple(jsonKey, json), { maxLength: 3 }).map((extra) => ({ known, extra })))
  .map(({ known, extra }) => {
    const entries: [string, Json][] = Object.entries(known).filter((e): e is [string, Json] => e[1] !== undefined);
    // Unknown fields, except names that would replace a known one.
    for (const [k, v] of extra) if (!(k in known)) entries.push([k, v]);
    return jsonText({ t: 'o', entries });
  });

/** One record through the client's path: a page's JSON text, parsed and normalized; null when skipped (no id); or the error. */
function throughClient(record: string): Insight | null | CloudflareResponseError {
  const text = `{"count":1,"page":1,"per_page":1000,"issues":[${record}]}`;
  try {
    const page = parsePageResult(JSON.parse(text), 1, { surrogates: mayHoldLoneSurrogates(text) });
    return page.skipped === 1 ? null : page.issues[0]!;
  } catch (error) {
    if (error instanceof CloudflareResponseError) return error;
    throw error;
  }
}

/** Records that the client accepts, as it hands them on. */
const insights = fc.array(recordText, { minLength: 1, maxLength: 6 }).map((texts) =>
  texts.flatMap((text) => {
    const parsed = throughClient(text);
    return parsed instanceof CloudflareResponseError || parsed === null ? [] : [parsed];
  }),
);

/** Every string and key in a value, deep. */
function textsOf(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) textsOf(item, out);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      textsOf(v, out);
    }
  }
  return out;
}

const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

// Checks of a rendered body ------------------------------------------------------------

/** The body with fenced blocks and code spans removed (roughly as GFM reads them). */
function outsideCode(body: string): string {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of body.split('\n')) {
    if (fence !== null) {
      if (new RegExp(`^ {0,3}${fence}+\\s*$`).test(line)) fence = null;
      continue;
    }
    const open = /^ {0,3}(`{3,})/.exec(line);
    if (open) {
      fence = open[1]!;
      continue;
    }
    out.push(line);
  }
  expect(fence, 'every fence is closed').toBeNull();
  return out.map(withoutSpans).join('\n');
}

/** A line without its code spans (a run of n backticks up to the next run of exactly n) and backslash escapes. */
function withoutSpans(line: string): string {
  let out = '';
  let i = 0;
  const run = (at: number) => {
    let n = 0;
    while (line[at + n] === '`') n++;
    return n;
  };
  while (i < line.length) {
    const ch = line[i]!;
    if (ch === '\\' && i + 1 < line.length && /[!-/:-@[-`{-~]/.test(line[i + 1]!)) {
      // An escaped character is literal text: keep those that matter to autolinks.
      out += '*_~('.includes(line[i + 1]!) ? line[i + 1]! : 'E';
      i += 2;
      continue;
    }
    if (ch !== '`') {
      out += ch;
      i += 1;
      continue;
    }
    const n = run(i);
    let j = i + n;
    let close = -1;
    while (j < line.length) {
      if (line[j] !== '`') {
        j += 1;
        continue;
      }
      const m = run(j);
      if (m === n) {
        close = j;
        break;
      }
      j += m;
    }
    if (close < 0) {
      out += '`'.repeat(n);
      i += n;
    } else {
      out += ' CODE ';
      i = close + n;
    }
  }
  return out;
}

/** Lines of `text` that would ping, reference, link or inject HTML on GitHub. */
function unsafe(text: string): string[] {
  const problems: string[] = [];
  const allowed = text
    .replace(/\[Open this insight in the Cloudflare dashboard\]\(<https:\/\/dash\.cloudflare\.com\/[^<>\s]*>\)/g, 'LINK')
    .replace(/<\/?sub>|<br>/g, ' ');
  for (const line of allowed.split('\n')) {
    if (/(?<![\w`\\])@[A-Za-z0-9]/.test(line)) problems.push(`mention: ${line}`);
    if (/(?<![\w&\\])#[0-9]/.test(line)) problems.push(`reference: ${line}`);
    if (/<[A-Za-z/!?]/.test(line)) problems.push(`html: ${line}`);
    if (/(?<!\\)\]\(/.test(line)) problems.push(`link: ${line}`);
    // GFM autolinks `www.` only at the start, after a space or one of `*_~(` (escaped or not).
    if (/https?:\/\/|(?:^|[\s*_~(])www\./i.test(line)) problems.push(`url: ${line}`);
  }
  return problems;
}

/** The marker of `body`, after checking that nothing but its last line looks like one. */
function onlyMarker(body: string) {
  const lines = body.split('\n');
  const last = lines.pop()!;
  expect(lines.filter((l) => /cf-insights:v[12]/i.test(l))).toEqual([]);
  expect(parseMarker(lines.join('\n'))).toBeNull();
  expect(last).toMatch(/^<!-- cf-insights:v2 scope=(?:accounts|zones)\/\S+ id=\S+ fp=\S+ -->$/);
  return parseMarker(body);
}

// Properties ---------------------------------------------------------------------------

describe('hostile insight records (fast-check)', () => {
  it('never crash the schema: a record is accepted or refused, a page parsed or a clear error', () => {
    fc.assert(
      fc.property(fc.array(recordText, { maxLength: 4 }), json, (records, odd) => {
        for (const text of records) {
          const value = JSON.parse(text) as Record<string, unknown>;
          const parsed = throughClient(text);
          if (parsed === null) {
            expect([undefined, null, '']).toContain(value['id']);
            continue;
          }
          if (parsed instanceof CloudflareResponseError) {
            expect(parsed.message).toMatch(
              /^The Cloudflare API returned an unexpected body on page 1: field result\.issues\[0\]\.\w+: .+\. This tool may need an update; please report it\.$/,
            );
            continue;
          }
          expect(parsed.id).toBe(wellFormed(value['id'] as string));
          expect(parsed.id.length).toBeLessThanOrEqual(ID_MAX);
          expect(parsed.issue_class.length).toBeLessThanOrEqual(CLASS_MAX);
          // Every text well-formed, so it survives a marker, a URL encoding and UTF-8.
          const known = [
            'id',
            'issue_class',
            'issue_type',
            'severity',
            'subject',
            'payload',
            'resolve_link',
            'resolve_text',
            'since',
            'timestamp',
            'status',
            'user_classification',
          ];
          expect(textsOf(known.map((k) => parsed[k])).filter((t) => LONE.test(t))).toEqual([]);
          // Unknown fields are kept.
          for (const key of Object.keys(value)) if (key !== '__proto__') expect(Object.hasOwn(parsed, key), key).toBe(true);
        }
        for (const result of [JSON.parse(`{"count":${records.length},"page":1,"per_page":1000,"issues":[${records.join(',')}]}`), JSON.parse(jsonText(odd))]) {
          try {
            parsePageResult(result, 1);
          } catch (error) {
            expect(error).toBeInstanceOf(CloudflareResponseError);
            expect((error as Error).message).not.toContain('\n');
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('render into issues that keep exactly our marker and nothing that pings, links, injects HTML or breaks a fence', () => {
    fc.assert(
      fc.property(insights, (list) => {
        for (const insight of list) {
          const fp = fingerprint(insight);
          const title = issueTitle(insight);
          expect(title.length).toBeLessThanOrEqual(256);
          expect(title).not.toMatch(/[\n\r]/);
          // A title is plain text, where a mention notifies nobody: left as typed, with no invisible character and no marker.
          expect(title).not.toMatch(/[\u0000-\u001f\u200b\ufeff]|cf-insights:/i);
          const body = issueBody(insight, { fingerprint: fp, scope: SCOPE });
          expect(body.length).toBeLessThanOrEqual(65_536);
          expect(onlyMarker(body)).toEqual({ scope: `accounts/${SCOPE.id}`, id: insight.id, fp });
          expect(unsafe(outsideCode(body.slice(0, body.lastIndexOf('\n'))))).toEqual([]);
          for (const label of issueLabels(insight, ['cloudflare-insight'])) {
            expect(label.length).toBeLessThanOrEqual(50);
            expect(label).not.toMatch(/,/);
          }
        }
        const byClass = new Map<string, Insight[]>();
        for (const i of list) byClass.set(i.issue_class, [...(byClass.get(i.issue_class) ?? []), i]);
        for (const [cls, members] of byClass) {
          const body = groupBody(
            cls,
            members.map((m, n) => ({ id: m.id, subject: m.subject, resolved: n % 2 === 1, insight: m })),
            { fingerprint: 'f00d', scope: SCOPE },
          );
          expect(body.length).toBeLessThanOrEqual(65_536);
          expect(onlyMarker(body)).toEqual({ scope: `accounts/${SCOPE.id}`, id: classMarkerId(cls), fp: 'f00d' });
          expect(unsafe(outsideCode(body.slice(0, body.lastIndexOf('\n'))))).toEqual([]);
          expect(groupTitle(cls, members[0]!.severity).length).toBeLessThanOrEqual(256);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('never crash the planner, and the issues it files are found again: a second plan writes nothing', () => {
    fc.assert(
      fc.property(insights, fc.boolean(), fc.constantFrom<'insight' | 'class'>('insight', 'class'), (list, warm, groupBy) => {
        const settings = planSettings({ groupBy, maxIssueWrites: 10_000 });
        const first = plan({ insights: list, complete: true, state: null, issues: [], settings, now: '2026-11-20T00:00:00Z' });
        // GitHub after the first run: one issue per create, as the fake would hold it.
        const issues: TrackedIssue[] = [];
        const records = idMap(first.baseRecords);
        for (const unit of first.units) {
          for (const action of unit.actions) {
            expect(action.kind).toBe('create');
            if (action.kind !== 'create') continue;
            const number = issues.length + 1;
            const { title, labels, body } = action.render();
            issues.push({ number, state: 'open', stateReason: null, title, labels, marker: parseMarker(body), scopeIds: scopeIdsIn(body) });
            expect(parseMarker(action.render().body)?.id).toBe(unit.key);
            for (const [id, r] of Object.entries(unit.records)) records[id] = { ...r, issue: r.issue ?? number };
          }
        }
        const groups = idMap<GroupRecord>();
        for (const u of first.units) if (u.group) groups[u.group.issueClass] = { ...u.group.record, issue: issues.find((i) => i.marker?.id === u.key)!.number };
        // A warm state goes through the document, as it is saved and read back.
        const scope = `accounts/${SCOPE.id}`;
        const saved = { ...emptyState({ scope, filters: '', now: new Date('2026-11-20T00:00:00Z') }), insights: records, groups };
        const read = parseStateText(serializeState(saved), { scope });
        expect(read.warning).toBeUndefined();
        expect(Object.keys(read.state!.insights).sort()).toEqual(Object.keys(records).sort());
        expect(Object.keys(read.state!.groups).sort()).toEqual(Object.keys(groups).sort());
        const second = plan({ insights: list, complete: true, state: warm ? read.state : null, issues, settings, now: '2026-11-21T00:00:00Z' });
        expect(second.units.map((u) => `${u.key}: ${u.reason}`)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('never crash the report renderers, in every format', () => {
    fc.assert(
      fc.property(insights, fc.boolean(), (list, complete) => {
        for (const format of REPORT_FORMATS) {
          const text = renderReport(format, list, { scope: SCOPE, fetchedAt: '2026-11-20T00:00:00Z', complete, color: format === 'table' });
          expect(typeof text).toBe('string');
          if (format === 'json' || format === 'sarif') JSON.parse(text);
          if (format === 'ndjson' || format === 'ocsf') for (const line of text.split('\n').filter((l) => l !== '')) JSON.parse(line);
        }
      }),
      { numRuns: RUNS / 2 },
    );
  });
});

// Guard against a generator that never produces what the properties are about.
describe('the generators', () => {
  it('produce accepted records with nasty text, long text and odd payloads', () => {
    const sample = fc.sample(insights, { numRuns: 300, seed: 42 }).flat();
    expect(sample.length).toBeGreaterThan(200);
    expect(sample.some((i) => /@|```|<!--/.test(String(i.subject)))).toBe(true);
    expect(sample.some((i) => String(i.subject).length > 1000)).toBe(true);
    expect(sample.some((i) => Array.isArray(i.payload))).toBe(true);
    expect(sample.some((i) => i.payload === undefined)).toBe(true);
    expect(sample.some((i) => i.resolve_link == null)).toBe(true);
    expect(
      sample.some((i) =>
        Object.keys(i).some(
          (k) =>
            ![
              'id',
              'dismissed',
              'issue_class',
              'issue_type',
              'severity',
              'subject',
              'payload',
              'resolve_link',
              'resolve_text',
              'since',
              'timestamp',
              'status',
              'user_classification',
            ].includes(k),
        ),
      ),
    ).toBe(true);
  });
});
