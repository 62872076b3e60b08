import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Insight } from '../../src/insights/types.js';
import { classInWords } from '../../src/insights/class-words.js';
import { parseMarker } from '../../src/github/marker.js';
import {
  dashboardUrl,
  dismissedComment,
  groupBody,
  groupTitle,
  issueBody,
  issueLabels,
  issueTitle,
  labelColor,
  mergeLabels,
  resolvedComment,
  severityChangeComment,
} from '../../src/github/render.js';
import { codeSpan, fencedBlock, inlineText, proseText, tableCellText, ZWSP } from '../../src/github/sanitize.js';

const scope = { kind: 'accounts' as const, id: '0123456789abcdef0123456789abcdef' };

function insight(over: Partial<Insight> = {}): Insight {
  return {
    id: 'a1b2c3d4',
    dismissed: false,
    issue_class: 'dangling_dns_record',
    issue_type: 'exposed_infrastructure',
    severity: 'High',
    subject: 'dev.example.com',
    payload: { dns_record_type: 'CNAME', target: 'gone.herokuapp.com' },
    resolve_link: 'https://dash.cloudflare.com/0123456789abcdef0123456789abcdef/example.com/dns',
    resolve_text: 'Delete the DNS record or point it to a resource you control.',
    since: '2024-05-01T10:00:00Z',
    timestamp: '2024-06-01T10:00:00Z',
    status: 'active',
    ...over,
  };
}

const body = (i: Insight, fp = 'fp0001') => issueBody(i, { fingerprint: fp, scope });

// --- A small model of how GitHub reads a body, to find the text that is "live" -------

interface Fence {
  fence: string;
  content: string[];
}

/** The fenced blocks of a body (CommonMark: closed by a backtick run at least as long). */
function fences(markdown: string): Fence[] {
  const out: Fence[] = [];
  let open: Fence | null = null;
  for (const line of markdown.split('\n')) {
    if (!open) {
      const m = /^ {0,3}(`{3,})[^`]*$/.exec(line);
      if (m) open = { fence: m[1]!, content: [] };
    } else if (new RegExp(`^ {0,3}\`{${open.fence.length},}\\s*$`).test(line)) {
      out.push(open);
      open = null;
    } else {
      open.content.push(line);
    }
  }
  if (open) out.push(open);
  return out;
}

/**
 * The text GitHub would interpret (mentions, references, autolinks, HTML): the body
 * without its last line (the marker), fenced blocks, code spans and backslash escapes.
 */
function liveText(markdown: string): string {
  const lines = markdown.split('\n');
  lines.pop();
  const kept: string[] = [];
  let fence: string | null = null;
  for (const line of lines) {
    if (fence === null) {
      const m = /^ {0,3}(`{3,})[^`]*$/.exec(line);
      if (m) fence = m[1]!;
      else kept.push(line);
    } else if (new RegExp(`^ {0,3}\`{${fence.length},}\\s*$`).test(line)) {
      fence = null;
    }
  }
  const text = kept.join('\n');
  let out = '';
  for (let i = 0; i < text.length; ) {
    const ch = text[i]!;
    if (ch === '\\' && /[!-/:-@[-`{-~]/.test(text[i + 1] ?? '')) {
      out += ' ';
      i += 2;
      continue;
    }
    if (ch === '`') {
      let n = 0;
      while (text[i + n] === '`') n++;
      let j = i + n;
      let close = -1;
      while (j < text.length) {
        if (text[j] === '`') {
          let m = 0;
          while (text[j + m] === '`') m++;
          if (m === n) {
            close = j;
            break;
          }
          j += m;
        } else j++;
      }
      if (close >= 0) {
        out += ' CODE ';
        i = close + n;
        continue;
      }
      out += text.slice(i, i + n);
      i += n;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

/** Our own markup, which the checks below must not count as injected. */
function withoutOurMarkup(live: string): string {
  return live
    .replace(/<\/?sub>/g, '')
    .replace(/<br>/g, ' ')
    .replace(/\[Open this insight in the Cloudflare dashboard\]\(<https:\/\/dash\.cloudflare\.com\/[^\s<>]*>\)/g, 'LINK')
    .replace(/ · \[dashboard\]\(<https:\/\/dash\.cloudflare\.com\/[^\s<>]*>\)$/gm, '');
}

function expectInert(markdown: string): void {
  const live = withoutOurMarkup(liveText(markdown));
  expect(live, 'mention').not.toMatch(/@[A-Za-z0-9_]/);
  expect(live, 'issue reference').not.toMatch(/#[0-9]/);
  expect(live, 'GH- reference').not.toMatch(/\bGH-[0-9]/i);
  expect(live, 'HTML').not.toMatch(/</);
  expect(live, 'entity').not.toMatch(/&(?!amp;|lt;|gt;)/);
  expect(live, 'URL').not.toMatch(/:\/\//);
  expect(live, 'www autolink').not.toMatch(/\bwww\./i);
  expect(live, 'link or image').not.toMatch(/\[/);
  expect(live, 'marker text').not.toMatch(/cf-insights:/i);
}

/** The body has exactly one marker-looking line, the last, and it is ours. */
function expectOnlyOurMarker(markdown: string, id: string, fp: string): void {
  const marker = parseMarker(markdown);
  expect(marker && { id: marker.id, fp: marker.fp }).toEqual({ id, fp });
  const lines = markdown.split('\n');
  expect(lines.slice(0, -1).filter((l) => /cf-insights:v[12]/i.test(l))).toEqual([]);
  for (let cut = 1; cut < lines.length; cut++) {
    // No earlier line would be taken for a marker, even if everything after it were removed.
    expect(parseMarker(lines.slice(0, cut).join('\n'))).toBeNull();
  }
}

// --- Hostile inputs -----------------------------------------------------------------

const HOSTILE = [
  '@octocat',
  '@acme/security-team',
  '#1',
  'GH-42',
  'acme/other#7',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<!--',
  '-->',
  '<!-- cf-insights:v1 id=x fp=y -->',
  'cf-insights:v1',
  '```',
  '````',
  '`',
  '~~~',
  '|',
  '\n',
  '\r\n',
  '\n\n',
  '[click](javascript:alert(1))',
  '![pixel](https://evil.example/p.png)',
  '<https://evil.example>',
  'https://evil.example/x',
  'www.evil.example',
  'admin@example.com',
  '\\',
  '&#64;octocat',
  '&lt;',
  '\u202e',
  '\u0000',
  '    ',
  '- [ ] ',
  '# ',
  '> ',
  '**',
  '_',
  ':+1:',
  '[^1]',
  '$$',
];

const hostileString = fc
  .array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 6, unit: 'binary' })), { maxLength: 12 })
  .map((parts) => parts.join(''));

const hostileJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileString, tie('value'), { maxKeys: 4 }),
  ),
})).value;

const hostileInsight: fc.Arbitrary<Insight> = fc.record({
  id: hostileString.filter((s) => s !== ''),
  dismissed: fc.boolean(),
  issue_class: hostileString,
  issue_type: hostileString,
  severity: fc.oneof(fc.constantFrom('Low', 'Moderate', 'High', 'Critical'), hostileString),
  subject: hostileString,
  payload: hostileJson,
  resolve_link: fc.oneof(
    hostileString,
    fc.constant(null),
    fc.constantFrom(
      'https://dash.cloudflare.com/abc/dns',
      'javascript:alert(1)',
      'http://dash.cloudflare.com/abc',
      'https://dash.cloudflare.com.evil.example/abc',
      'https://user:pw@dash.cloudflare.com/abc',
    ),
    hostileString.map((s) => `https://dash.cloudflare.com/${s}`),
  ),
  resolve_text: fc.oneof(hostileString, fc.constant(null)),
  since: fc.oneof(hostileString, fc.constant(null)),
  timestamp: fc.oneof(hostileString, fc.constant(null)),
  status: fc.oneof(hostileString, fc.constant(undefined)),
  user_classification: fc.oneof(hostileString, fc.constant(null)),
});

// --- Tests ---------------------------------------------------------------------------

describe('classInWords', () => {
  it.each([
    ['dangling_dns_record', 'Dangling DNS record'],
    ['always_use_https_disabled', 'Always use HTTPS disabled'],
    ['no-dmarc-record', 'No DMARC record'],
    ['spf_too_many_lookups', 'SPF too many lookups'],
    ['exposed_rdp_port', 'Exposed RDP port'],
    ['ssh_open_to_internet', 'SSH open to internet'],
    ['caa_record_missing', 'CAA record missing'],
    ['dnssec_disabled', 'DNSSEC disabled'],
    ['mfa_not_enforced', 'MFA not enforced'],
    ['waf_managed_rules_off', 'WAF managed rules off'],
    ['Weak TLS Version', 'Weak TLS version'],
    ['', 'Insight'],
    ['\u202eevil\u0007_class\ud800', 'Evil class'],
  ])('%s -> %s', (input, words) => {
    expect(classInWords(input)).toBe(words);
  });
});

describe('issueTitle', () => {
  it('reads [Severity] class in words: subject', () => {
    expect(issueTitle(insight())).toBe('[High] Dangling DNS record: dev.example.com');
    expect(issueTitle(insight({ severity: 'critical' }))).toBe('[Critical] Dangling DNS record: dev.example.com');
  });

  it('stays short and on one line for a 100k-character subject', () => {
    const title = issueTitle(insight({ subject: 'a'.repeat(100_000), issue_class: 'x_'.repeat(5000) }));
    expect(title.length).toBeLessThanOrEqual(256);
    expect(title).toMatch(/…$/);
    expect(issueTitle(insight({ subject: 'line one\nline two\r\n\tthree' }))).toBe('[High] Dangling DNS record: line one line two three');
  });

  it('is plain text: an address stays as typed, with no invisible character, and no marker', () => {
    // A title does not notify anyone on GitHub: nothing to neutralise but our marker text.
    expect(issueTitle(insight({ issue_class: 'admin_email_unverified', subject: 'ops-admin@example.com' }))).toBe(
      '[High] Admin email unverified: ops-admin@example.com',
    );
    const title = issueTitle(insight({ subject: '@octocat fixes #12\u200b <!-- cf-insights:v1 id=x fp=y -->' }));
    expect(title).toBe('[High] Dangling DNS record: @octocat fixes #12 <!-- cf-insights :v1 id=x fp=y -->');
    expect(title).not.toMatch(/[\u200b-\u200d\u2060\ufeff]/);
  });

  it('group title names the class, not a count that would change it every run', () => {
    expect(groupTitle('dangling_dns_record', 'moderate')).toBe('[Moderate] Dangling DNS record');
    expect(groupTitle('dangling_dns_record', 'Low')).toBe('[Low] Dangling DNS record');
  });
});

describe('issueBody', () => {
  it('has the field table, resolve text, dashboard link, payload and the marker last', () => {
    const text = body(insight());
    expect(text).toContain('| Subject | `dev.example.com` |');
    expect(text).toContain('| Type | `exposed_infrastructure` |');
    expect(text).toContain('| Class | `dangling_dns_record` |');
    expect(text).toContain('| Severity | High |');
    expect(text).toContain('| Dismissed | no |');
    expect(text).toContain('| Status | `active` |');
    expect(text).toContain('| First detected | 2024-05-01 |');
    expect(text).toContain('| Last scan | 2024-06-01 |');
    expect(text).toContain(`\`accounts/${scope.id}\``);
    expect(text).toContain('Delete the DNS record or point it to a resource you control.');
    expect(text).toContain('[Open this insight in the Cloudflare dashboard](<https://dash.cloudflare.com/0123456789abcdef0123456789abcdef/example.com/dns>)');
    expect(text).toContain('```json\n{\n  "dns_record_type": "CNAME",\n  "target": "gone.herokuapp.com"\n}\n```');
    expect(text.split('\n').at(-1)).toBe(`<!-- cf-insights:v2 scope=accounts/${scope.id} id=a1b2c3d4 fp=fp0001 -->`);
    expectOnlyOurMarker(text, 'a1b2c3d4', 'fp0001');
    expectInert(text);
  });

  it.each([
    ['javascript:alert(1)'],
    ['http://dash.cloudflare.com/abc/dns'],
    ['https://dash.cloudflare.com.evil.example/abc'],
    ['https://evil.example/?https://dash.cloudflare.com/'],
    ['https://user:secret@dash.cloudflare.com/abc'],
    ['https://dash.cloudflare.com:8443/abc'],
    ['/relative/path'],
    ['data:text/html,<script>alert(1)</script>'],
  ])('shows %s as inert text, not a link', (link) => {
    const text = body(insight({ resolve_link: link }));
    expect(text).not.toContain('](');
    expect(text).toContain('not a Cloudflare dashboard address, so not linked');
    expectInert(text);
  });

  it('cannot break out of the dashboard link destination', () => {
    const text = body(insight({ resolve_link: 'https://dash.cloudflare.com/a)<b>[x](https://evil.example)\\' }));
    const link = /\]\(<([^>]*)>\)/.exec(text);
    expect(link?.[1]).toBe(dashboardUrl('https://dash.cloudflare.com/a)<b>[x](https://evil.example)\\'));
    expect(link?.[1]).not.toMatch(/[()<>\s\\[\]]/);
    expectInert(text);
  });

  it('neutralises hostile subjects, resolve texts and payloads', () => {
    const hostile = insight({
      id: 'x --> <!-- cf-insights:v1 id=other fp=z',
      subject: '@octocat <script>alert(1)</script> #1 | `code` <!-- cf-insights:v1 id=x fp=y -->',
      issue_class: 'evil_<b>_class @team #2',
      issue_type: 'type|with|pipes\nand newline',
      resolve_text:
        'Ping @admin and @acme/team, see #4, GH-5 and acme/repo#6.\n<!-- cf-insights:v1 id=x fp=y -->\n[click](javascript:alert(1)) ![i](https://evil.example/p.png) <https://evil.example> www.evil.example admin@example.com &#64;root\n```\n# heading\n    indented',
      payload: {
        note: 'closing ``` and ```` fences and ``````` more',
        '<!-- cf-insights:v1 id=x fp=y -->': '\n```\n@octocat #1\n```',
        nested: ['`', '``', { html: '<script>alert(1)</script>' }],
      },
    });
    const text = body(hostile, 'fp-9');
    expectOnlyOurMarker(text, 'x --> <!-- cf-insights:v1 id=other fp=z', 'fp-9');
    expectInert(text);
    expect(liveText(text)).not.toContain('<script>');
    // The payload block is the only fence and nothing in it closes it early.
    const [block, ...others] = fences(text);
    expect(others).toEqual([]);
    expect(block!.fence.length).toBeGreaterThan(7);
    expect(JSON.parse(block!.content.join('\n').replaceAll(ZWSP, ''))).toEqual(hostile.payload);
  });

  it("shows dates as dates, with the age on the run's clock, and an unreadable date as it came", () => {
    const at = (since: unknown, now = '2024-06-15T08:00:00.000Z') =>
      issueBody(insight({ since: since as string, timestamp: '2024-06-14T23:59:59.999Z' }), { fingerprint: 'f', scope, now });
    expect(at('2024-05-01T10:00:00.123Z')).toContain('| First detected | 2024-05-01 (45 days ago as of 2024-06-15) |');
    expect(at('2024-05-01T10:00:00.123Z')).toContain('| Last scan | 2024-06-14 |');
    expect(at('2024-06-14T09:00:00Z')).toContain('| First detected | 2024-06-14 (1 day ago as of 2024-06-15) |');
    expect(at('2024-06-15T07:00:00Z')).toContain('| First detected | 2024-06-15 (today) |');
    expect(at('2024-06-20T00:00:00Z')).toContain('| First detected | 2024-06-20 |');
    expect(at('last tuesday')).toContain('| First detected | `last tuesday` |');
    expect(at('2024-05-01T10:00:00Z')).not.toMatch(/T\d\d:\d\d/);
  });

  it('names the zone when the payload gives its name, and its tag', () => {
    const tag = '023e105f4ecef8ad9ca31a8372d0c353';
    expect(body(insight({ payload: { zone_name: 'example.com', zone_tag: tag } }))).toContain(`| Zone | \`example.com\` (zone tag \`${tag}\`) |`);
    expect(body(insight({ payload: { zone_tag: tag } }))).toContain(`| Zone | the zone of \`dev.example.com\` (zone tag \`${tag}\`) |`);
    expect(body(insight({ subject: '198.51.100.17', payload: { zone_tag: tag } }))).toContain(`| Zone | zone tag \`${tag}\` |`);
    expect(body(insight({ payload: { port: 3306 } }))).not.toContain('| Zone |');
  });

  it('puts mentions, references and addresses of prose in code spans, with no invisible character', () => {
    const text = body(insight({ resolve_text: 'Ask ops-admin@example.com or @acme/sec (see #4, GH-5 and https://x.example/a).' }));
    expect(text).toContain('Ask `ops-admin@example.com` or `@acme/sec` \\(see `#4`, `GH-5` and `https://x.example/a`\\).');
    expect(text).not.toContain(ZWSP);
    expectInert(text);
  });

  it('keeps backticks around a mention outside its code span, so no line opens a fence', () => {
    expect(proseText('````@octocat')).toBe('\\`\\`\\`\\``@octocat`');
    expect(proseText('see a@b`c`')).toBe('see `a@b`\\`c\\`');
  });

  it('cuts a 100k-character subject, resolve text and payload with visible notes', () => {
    const big = 'x'.repeat(100_000);
    const text = body(insight({ subject: big, resolve_text: big, payload: { blob: big }, issue_class: big }));
    expect(text.length).toBeLessThan(40_000);
    expect(text).toMatch(/_\(cut at 20,000 of 100,\d{3} characters\)_/);
    expect(text).toContain('_(cut: 100,000 characters in all)_');
    expect(text).toContain('…');
    expectOnlyOurMarker(text, 'a1b2c3d4', 'fp0001');
  });

  it('stays under GitHub body limit when every character needs escaping', () => {
    const worst = '&'.repeat(100_000);
    const text = body(insight({ subject: worst, resolve_text: worst, issue_class: worst, issue_type: worst, status: worst, payload: worst }));
    expect(text.length).toBeLessThan(65_536);
    expectInert(text);
  });

  it('shows missing fields as a dash and a missing resolve text plainly', () => {
    const text = body(insight({ resolve_text: null, resolve_link: null, since: null, timestamp: undefined, status: undefined, payload: undefined }));
    expect(text).toContain('| First detected | — |');
    expect(text).toContain('| Status | — |');
    expect(text).toContain('_Cloudflare gives no resolution text for this insight._');
    expect(text).not.toContain('not linked');
    expect(text).toContain('```json\nnull\n```');
  });

  it('is inert and carries only our marker for any hostile insight', () => {
    fc.assert(
      fc.property(
        hostileInsight,
        hostileString.filter((s) => s !== ''),
        (i, fp) => {
          const text = body(i, fp);
          expect(text.length).toBeLessThan(65_536);
          expectOnlyOurMarker(
            text,
            i.id.replace(/[\ud800-\udfff]/g, (c, at: number, s: string) => (isPaired(s, at) ? c : '\ufffd')),
            fp.replace(/[\ud800-\udfff]/g, (c, at: number, s: string) => (isPaired(s, at) ? c : '\ufffd')),
          );
          expectInert(text);
          const blocks = fences(text);
          expect(blocks).toHaveLength(1);
          const title = issueTitle(i);
          expect(title.length).toBeLessThanOrEqual(256);
          expect(title).not.toMatch(/[\r\n]/);
          expect(title).not.toMatch(/cf-insights:|[\u200b\u2060\ufeff]/i);
        },
      ),
      { numRuns: 300 },
    );
  });
});

function isPaired(s: string, at: number): boolean {
  const code = s.charCodeAt(at);
  if (code <= 0xdbff) {
    const next = s.charCodeAt(at + 1);
    return next >= 0xdc00 && next <= 0xdfff;
  }
  const prev = s.charCodeAt(at - 1);
  return prev >= 0xd800 && prev <= 0xdbff;
}

describe('groupBody', () => {
  const members = [
    { id: 'a', subject: 'b.example.com', resolved: false, insight: insight({ id: 'a', severity: 'Low' }) },
    { id: 'b', subject: 'a.example.com', resolved: true },
    { id: 'c', subject: 'c.example.com', resolved: false, insight: insight({ id: 'c', severity: 'Critical' }) },
  ];

  it('lists open subjects (most severe first), then resolved ones, in plain lists that nobody needs to tick', () => {
    const text = groupBody('dangling_dns_record', members, { fingerprint: 'g1', scope });
    expect(text).not.toMatch(/^- \[/m);
    const open = text.indexOf('### Open (2)');
    const resolved = text.indexOf('### Resolved (1)');
    expect(open).toBeGreaterThan(0);
    expect(resolved).toBeGreaterThan(open);
    expect(text.split('\n').filter((l) => l.startsWith('- '))).toEqual([
      '- `c.example.com` · Critical · first detected 2024-05-01 · `c`',
      '- `b.example.com` · Low · first detected 2024-05-01 · `a`',
      '- `a.example.com` · `b`',
    ]);
    expect(text).toContain('on 3 subjects: 2 open, 1 resolved');
    expectOnlyOurMarker(text, 'class:dangling_dns_record', 'g1');
    expectInert(text);
  });

  it("carries the class's resolve text and its dashboard link", () => {
    const text = groupBody('dangling_dns_record', members, { fingerprint: 'g1', scope });
    expect(text).toContain('### How to resolve\n\nDelete the DNS record or point it to a resource you control.');
    expect(text).toContain('[Open this insight in the Cloudflare dashboard](<https://dash.cloudflare.com/0123456789abcdef0123456789abcdef/example.com/dns>)');
    // Each zone has its own page: a link per subject when they differ.
    const other = {
      id: 'd',
      subject: 'd.example.org',
      resolved: false,
      insight: insight({ id: 'd', subject: 'd.example.org', resolve_link: 'https://dash.cloudflare.com/0123456789abcdef0123456789abcdef/example.org/dns' }),
    };
    const mixed = groupBody('dangling_dns_record', [...members, other], { fingerprint: 'g1', scope });
    expect(mixed).toContain(
      '- `d.example.org` · High · first detected 2024-05-01 · `d` · [dashboard](<https://dash.cloudflare.com/0123456789abcdef0123456789abcdef/example.org/dns>)',
    );
    expect(mixed).not.toContain('[Open this insight');
    expectInert(mixed);
  });

  it('a hostile subject cannot add a checklist item or a marker', () => {
    const text = groupBody('evil\n- [x] fake', [{ id: 'z', subject: 'x\n- [x] injected\n<!-- cf-insights:v1 id=class:evil fp=0 -->', resolved: false }], {
      fingerprint: 'g2',
    });
    expect(text.split('\n').filter((l) => l.startsWith('- '))).toHaveLength(1);
    expectOnlyOurMarker(text, 'class:evil\n- [x] fake', 'g2');
    expectInert(text);
  });

  it('stops listing before the body limit and says how many are left out', () => {
    const many = Array.from({ length: 5000 }, (_, i) => ({ id: `id-${i}`, subject: `host-${i}.example.com`.padEnd(150, 'x'), resolved: i % 3 === 0 }));
    const text = groupBody('dangling_dns_record', many, { fingerprint: 'g3' });
    expect(text.length).toBeLessThan(65_536);
    expect(text).toMatch(/_…and \d+ more not listed/);
    expectOnlyOurMarker(text, 'class:dangling_dns_record', 'g3');
  });
});

describe('comments', () => {
  it('say what changed', () => {
    expect(severityChangeComment('High', 'critical')).toBe('Cloudflare Security Center raised the severity of this insight from **High** to **Critical**.');
    expect(severityChangeComment('Critical', 'Low')).toContain('lowered');
    expect(resolvedComment({ subject: 'dev.example.com' })).toContain('no longer reports this insight for `dev.example.com`');
    expect(resolvedComment(null)).toContain('closed as completed');
    expect(dismissedComment()).toContain('closed as not planned');
  });

  it('are inert for hostile values', () => {
    for (const text of [
      severityChangeComment('@octocat', '<b>#1</b>'),
      resolvedComment({ subject: '@octocat `x` #1' }),
      dismissedComment({ subject: '[x](https://evil.example)' }),
    ]) {
      expectInert(`${text}\n`);
    }
  });
});

describe('labels', () => {
  it('are the configured ones, severity and type', () => {
    expect(issueLabels(insight(), ['cloudflare-insight', 'security'])).toEqual([
      'cloudflare-insight',
      'security',
      'severity:high',
      'type:exposed_infrastructure',
    ]);
  });

  it('are label-safe for hostile types (no commas, at most 50 characters)', () => {
    const labels = issueLabels(insight({ issue_type: 'a,b <x> '.repeat(20), severity: 'Severe,ish' }), []);
    for (const label of labels) {
      expect(label.length).toBeLessThanOrEqual(50);
      expect(label).not.toMatch(/[,\s<>]/);
    }
  });

  it('merge keeps labels a person added and drops our stale ones', () => {
    expect(mergeLabels(['cloudflare-insight', 'severity:high', 'type:x', 'needs-owner'], ['cloudflare-insight', 'severity:critical', 'type:x'])).toEqual([
      'cloudflare-insight',
      'severity:critical',
      'type:x',
      'needs-owner',
    ]);
  });

  it("merge removes only our exact labels: a person's look-alikes stay", () => {
    expect(
      mergeLabels(['severity:high', 'type:email_security', 'dismissed-in-cloudflare', 'severity:sev2', 'type:triage', 'Severity:Urgent'], ['severity:low']),
    ).toEqual(['severity:low', 'severity:sev2', 'type:triage', 'Severity:Urgent']);
  });

  it('are coloured by severity', () => {
    expect(labelColor('severity:critical')).toBe('b60205');
    expect(labelColor('severity:high')).toBe('d93f0b');
    expect(labelColor('severity:moderate')).toBe('fbca04');
    expect(labelColor('severity:low')).toBe('0e8a16');
    expect(labelColor('cloudflare-insight')).toMatch(/^[0-9a-f]{6}$/);
  });
});

describe('sanitize primitives', () => {
  it('codeSpan uses a longer backtick run than the content and escapes pipes in tables', () => {
    expect(codeSpan('a`b')).toBe('``a`b``');
    expect(codeSpan('`x`')).toBe('`` `x` ``');
    expect(codeSpan('a|b', { inTable: true })).toBe('`a\\|b`');
    expect(codeSpan('   ')).toBe('—');
  });

  it('tableCellText escapes pipes and turns newlines into <br>', () => {
    expect(tableCellText('a|b\nc')).toBe('a\\|b<br>c');
  });

  it('inlineText and proseText cut long text visibly', () => {
    expect(inlineText('y'.repeat(500), 10)).toBe(`${'y'.repeat(9)}…`);
    expect(proseText('z'.repeat(50), 10)).toContain('_(cut: 50 characters in all)_');
  });

  it('fencedBlock never splits a surrogate pair when cutting', () => {
    const text = fencedBlock('😀'.repeat(10), '', 5);
    expect(text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });
});
