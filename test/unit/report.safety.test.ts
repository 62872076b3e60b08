/** Untrusted API text in every human-facing format, the CSV injection guard, and colour. */
import { describe, expect, it } from 'vitest';
import type { Insight } from '../../src/insights/types.js';
import { csvField, renderCsv } from '../../src/report/csv.js';
import { renderReport } from '../../src/report/index.js';
import { renderMarkdown, resolveLinkCell } from '../../src/report/markdown.js';
import { renderTable } from '../../src/report/table.js';
import { stripControls } from '../../src/report/text.js';
import { REPORT_FORMATS } from '../../src/report/types.js';

const ACCOUNT = '8f3c2a91d47b4e0a9c6b15e2f0d83a7c';
const scope = { kind: 'accounts' as const, id: ACCOUNT };

const insight = (over: Partial<Insight>): Insight => ({
  id: 'id-1',
  dismissed: false,
  issue_class: 'a_record_unproxied',
  issue_type: 'exposed_infrastructure',
  severity: 'Moderate',
  subject: 'origin.example.com',
  payload: {},
  since: '2026-03-09T16:41:07.000Z',
  timestamp: '2026-05-04T05:58:11.000Z',
  resolve_link: `https://dash.cloudflare.com/${ACCOUNT}/example.com/dns/records`,
  resolve_text: 'Turn on the proxy.',
  ...over,
});

// Everything a terminal would act on: C0 (tab and newline aside), DEL, C1, bidi controls.
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

const HOSTILE = [
  'evil\u001b]0;pwned\u0007.example.com', // OSC: set the window title
  'x\u001b[2J\u001b[1;1Hcleared', // CSI: clear the screen
  'c1\u009b31mred', // 8-bit CSI
  'hyper\u001b]8;;https://evil.example\u001b\\link\u001b]8;;\u001b\\', // OSC 8 hyperlink
  'bidi\u202Etxt.exe', // right-to-left override
  'dcs\u001bPq#0;2;0;0;0\u001b\\end', // DCS (sixel)
  'bell\u0007\u0000nul\u007fdel',
  'multi\nline\r\ntext\tand\u2028more',
  '\u001b\u001b[31m[31mreassembled',
];

describe('terminal escapes in the table', () => {
  it.each(HOSTILE)('a subject like %j cannot reach the terminal as a control sequence', (subject) => {
    for (const color of [false, true]) {
      const out = renderTable([insight({ subject, issue_class: subject, issue_type: subject, since: subject, severity: subject })], { color });
      // With colour on, the only escapes are ours: SGR codes on the severity and the header.
      const withoutOurs = out.replace(/\u001b\[(?:0|1|31|33|36|1;31)m/g, '');
      expect(withoutOurs).not.toMatch(TERMINAL_UNSAFE);
      expect(out.split('\n').length).toBe(out.trimEnd().split('\n').length + 1);
    }
  });

  it('every line has one row: a multi-line subject does not add lines', () => {
    const out = renderTable([insight({ subject: 'a\nb\nc' }), insight({ id: 'id-2', subject: 'd' })], {});
    expect(out.trimEnd().split('\n')).toHaveLength(1 + 2 + 2);
    expect(out).toContain('a b c');
  });

  it('stripControls keeps ordinary text intact', () => {
    const text = 'héllo wörld — 例え.example.com 203.0.113.5 [x] (y) "z"';
    expect(stripControls(text)).toBe(text);
  });

  it('machine formats escape rather than drop: the JSON survives and prints safely', () => {
    const subject = HOSTILE.join(' ');
    for (const format of ['json', 'ndjson', 'sarif', 'ocsf'] as const) {
      const out = renderReport(format, [insight({ subject })], { scope });
      expect(out, format).not.toMatch(TERMINAL_UNSAFE);
    }
    const back = JSON.parse(renderReport('ndjson', [insight({ subject })], {})) as Insight;
    expect(back.subject).toBe(subject);
  });

  it('no format lets an escape through to a terminal', () => {
    const insights = HOSTILE.map((subject, i) => insight({ id: `id-${i}`, subject, resolve_text: subject, issue_class: subject }));
    for (const format of REPORT_FORMATS) {
      let out = renderReport(format, insights, { scope, color: false });
      // CSV ends its lines with CRLF and keeps tab, CR and LF inside quoted fields; nothing else.
      if (format === 'csv') out = out.replace(/\r/g, '');
      expect(out, format).not.toMatch(TERMINAL_UNSAFE);
    }
  });
});

describe('table layout and colour', () => {
  const many = [
    insight({ id: 'a', severity: 'Critical', subject: `${'very-long-subdomain-name.'.repeat(12)}example.com` }),
    insight({ id: 'b', severity: 'Low', subject: 'short.example.com', dismissed: true }),
    insight({ id: 'c', severity: 'High', issue_class: 'x'.repeat(80) }),
  ];

  it.each([80, 100, 120])('fits in %i columns, long subjects and classes cut with an ellipsis', (width) => {
    const out = renderTable(many, { width });
    for (const line of out.split('\n')) expect(Array.from(line).length).toBeLessThanOrEqual(width);
    expect(out).toContain('…');
    expect(out).toMatch(/sho\S* \(dismissed\)/);
  });

  it('defaults to 120 columns', () => {
    expect(
      Math.max(
        ...renderTable(many, {})
          .split('\n')
          .map((l) => Array.from(l).length),
      ),
    ).toBeLessThanOrEqual(120);
  });

  it('sorted most severe first, ends with the count line', () => {
    const lines = renderTable(many, {}).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SEVERITY\s+TYPE\s+CLASS\s+SUBJECT\s+SINCE$/);
    expect(lines.slice(1, 4).map((l) => l.split(' ')[0])).toEqual(['Critical', 'High', 'Low']);
    expect(lines.at(-1)).toBe('3 insights: 1 critical, 1 high, 0 moderate, 1 low (1 dismissed)');
  });

  it('colour only when asked for, and then by severity', () => {
    const plain = renderTable(many, { color: false });
    expect(plain).not.toContain('\u001b');
    expect(renderTable(many, {})).toBe(plain);
    const coloured = renderTable(many, { color: true });
    expect(coloured).toContain('\u001b[1;31mCritical');
    expect(coloured).toContain('\u001b[31mHigh');
    expect(coloured).toContain('\u001b[36mLow');
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(plain);
    for (const format of REPORT_FORMATS.filter((f) => f !== 'table')) {
      expect(renderReport(format, many, { color: true, scope })).not.toContain('\u001b');
    }
  });

  it('an empty inventory and an incomplete one say so', () => {
    expect(renderTable([], {})).toBe('No insights.\n0 insights\n');
    expect(renderTable(many, { complete: false })).toMatch(/incomplete/);
  });
});

describe('CSV', () => {
  it.each([
    ['=HYPERLINK("https://evil.example","click")', `"'=HYPERLINK(""https://evil.example"",""click"")"`],
    ['+cmd|/c calc', `'+cmd|/c calc`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1:A2)', `'@SUM(A1:A2)`],
    ['\t=1', `'\t=1`],
    ['\r=1', `"'\r=1"`],
    ['plain.example.com', 'plain.example.com'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['', ''],
    ['x=1', 'x=1'],
  ])('field %j is written as %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('header, CRLF rows, one per insight, every cell guarded', () => {
    const csv = renderCsv([insight({ subject: '=cmd|"/c calc"!A0', resolve_text: '-1', dismissed: true })], {});
    const rows = csv.split('\r\n');
    expect(rows[0]).toBe('id,severity,issue_type,issue_class,subject,dismissed,status,since,timestamp,resolve_link,resolve_text');
    expect(rows).toHaveLength(3);
    expect(rows[2]).toBe('');
    expect(rows[1]).toContain(`,"'=cmd|""/c calc""!A0",true,`);
    expect(rows[1]!.endsWith(",'-1")).toBe(true);
  });

  it('a round trip through an RFC 4180 reader gives the values back', () => {
    const values = ['a,b', 'say "hi"', 'two\r\nlines', 'plain'];
    const csv = renderCsv(
      values.map((subject, i) => insight({ id: `id-${i}`, subject })),
      {},
    );
    expect(
      parseCsv(csv)
        .slice(1)
        .map((row) => row[4])
        .sort(),
    ).toEqual([...values].sort());
  });
});

/** A minimal RFC 4180 reader for the round trip. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describe('Markdown', () => {
  const hostile = insight({
    subject: '@octocat <img src=x onerror=alert(1)> | `tick` #1',
    issue_class: 'evil|class <b>bold</b> @org/team',
    issue_type: '[click](https://evil.example) #12',
    severity: '<script>alert(1)</script>',
    since: '@here #3',
    resolve_link: 'https://evil.example/phish',
  });
  const md = renderMarkdown([hostile, insight({ id: 'id-2', subject: 'ok.example.com' })], { scope, fetchedAt: '2026-05-04T06:00:00.000Z' });
  const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Severity'));
  // Unknown severities sort last.
  const [okRow, hostileRow] = rows as [string, string];

  /** The text of a row outside inline code spans (GitHub neither mentions, links nor renders HTML inside code). */
  function outsideCode(line: string): string {
    return line.replace(/(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, '');
  }

  it('each row keeps exactly its six cells', () => {
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      const cells = row.replace(/\\\|/g, '').split('|');
      expect(cells).toHaveLength(8); // the edges plus six cells
    }
  });

  it('no raw HTML, mention, issue reference or foreign link', () => {
    for (const row of rows) {
      const text = outsideCode(row);
      expect(text).not.toMatch(/<[a-z/!]/i);
      expect(text).not.toMatch(/(^|[^\w])@[A-Za-z0-9]/);
      expect(text).not.toMatch(/#\d/);
      expect(text).not.toMatch(/\]\((?!https:\/\/dash\.cloudflare\.com\/)/);
      expect(text).not.toMatch(/https?:\/\/evil/);
    }
    expect(md).not.toContain('<script>');
    expect(outsideCode(md)).not.toContain('<img');
  });

  it('the subject is an inert code span, shown verbatim apart from the escaped pipe', () => {
    expect(hostileRow).toContain('``@octocat <img src=x onerror=alert(1)> \\| `tick` #1``');
    expect(outsideCode(hostileRow)).not.toContain('octocat');
  });

  it('links only to Cloudflare, https, with the link text fixed', () => {
    expect(hostileRow).not.toContain('[Resolve]');
    expect(okRow).toContain(`[Resolve](https://dash.cloudflare.com/${ACCOUNT}/example.com/dns/records)`);
    expect(resolveLinkCell('javascript:alert(1)')).not.toContain('](');
    expect(resolveLinkCell('http://dash.cloudflare.com/x')).not.toContain('](');
    expect(resolveLinkCell('https://dash.cloudflare.com.evil.example/x')).not.toContain('](');
    expect(resolveLinkCell('https://user:pw@dash.cloudflare.com/x')).not.toContain('](');
    expect(resolveLinkCell('https://dash.cloudflare.com/a)|b<c>[d]')).toBe('[Resolve](https://dash.cloudflare.com/a%29%7Cb%3Cc%3E%5Bd%5D)');
    expect(resolveLinkCell(null)).toBe('—');
  });

  it('heading, scope and the count line', () => {
    expect(md.startsWith('# Cloudflare Security Insights\n')).toBe(true);
    expect(md).toContain(`Scope: \`accounts/${ACCOUNT}\``);
    expect(md).toContain('**2 insights: 0 critical, 0 high, 1 moderate, 0 low, 1 other**');
  });

  it('an incomplete inventory carries a warning; an empty one has no table', () => {
    expect(renderMarkdown([insight({})], { complete: false })).toContain('incomplete');
    const empty = renderMarkdown([], {});
    expect(empty).toContain('**0 insights**');
    expect(empty).not.toContain('| Severity');
  });
});
