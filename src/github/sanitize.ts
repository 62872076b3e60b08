/**
 * Neutralising untrusted text (everything that came from the Cloudflare API) before it
 * goes into an issue title, body or comment. Pure functions.
 *
 * What a hostile or merely unlucky value must not be able to do:
 * - ping someone (`@user`, `@org/team`) or link/cross-reference an issue (`#1`, `GH-1`,
 *   `owner/repo#1`) from a body or comment: such a word is put in a code span, where
 *   GitHub neither mentions nor links (no invisible character: it would break copy and search);
 * - inject HTML or an HTML comment (`<`, `>`, `&` are escaped);
 * - make a clickable link (markdown links and images, `<autolinks>`, bare URLs, `www.`,
 *   emails): brackets are backslash-escaped, URLs and addresses go in code spans;
 * - look like our marker (`cf-insights:`);
 * - break out of a code span, a table cell or a fenced block;
 * - blow up the body (every field is cut, with a visible note).
 * Titles are plain text, where a mention notifies nobody: only controls and our marker text are dealt with.
 */

/** U+200B ZERO WIDTH SPACE: keeps `cf-insights:` in code and fenced blocks from reading as our marker. */
export const ZWSP = '\u200b';

// C0/C1 controls except tab and newline, bidi overrides and isolates (Trojan Source).
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Line endings normalised to `\n`, controls and bidi overrides removed, lone surrogates replaced. */
export function stripControl(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(CONTROL, '').replace(LONE_SURROGATE, '\ufffd');
}

/** Any `cf-insights:` in foreign code gets a zero-width space, so it never reads as our marker. */
export function breakMarker(text: string): string {
  return text.replace(/cf-insights:/gi, (m) => `${m.slice(0, -1)}${ZWSP}:`);
}

/**
 * A word GitHub would turn into a mention, a reference or a link, or that spells our
 * marker. Not `\b` before `GH-` and `www.`: `_` is a word character, and GitHub links them right after one.
 */
const LIVE_WORD = /@[A-Za-z0-9_-]|#[0-9]|(?<![A-Za-z0-9])gh-[0-9]|:\/\/|(?<![A-Za-z0-9])www\.|cf-insights:/i;

export interface Cut {
  text: string;
  cut: boolean;
  /** Length of the text before the cut (UTF-16 units). */
  length: number;
}

/** At most `max` UTF-16 units, never splitting a surrogate pair. */
export function cutText(text: string, max: number): Cut {
  if (text.length <= max) return { text, cut: false, length: text.length };
  let end = Math.max(0, max);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return { text: text.slice(0, end), cut: true, length: text.length };
}

/** Cut with a visible ellipsis, the result (ellipsis included) at most `max` long. */
export function ellipsis(text: string, max: number): string {
  const c = cutText(text, max);
  return c.cut ? `${cutText(text, Math.max(0, max - 1)).text}…` : c.text;
}

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
// Markdown punctuation that could start formatting, links, code, tables or headings.
const MARKDOWN = new Set(['\\', '`', '*', '_', '[', ']', '(', ')', '!', '#', '|', '~', '{', '}', '+', '=']);

/** One pass: HTML-escape `& < >`, backslash-escape markdown punctuation. */
function escapeChars(text: string): string {
  let out = '';
  for (const ch of text) {
    out += HTML[ch] ?? (MARKDOWN.has(ch) ? `\\${ch}` : ch);
  }
  return out;
}

/**
 * Neutralised markdown for one line of foreign text: a live word (LIVE_WORD) goes in a
 * code span, its surrounding punctuation left outside; the rest is escaped.
 */
function neutral(text: string, inTable = false): string {
  return text
    .split(/(\s+)/)
    .map((word) => neutralWord(word, inTable))
    .join('');
}

function neutralWord(word: string, inTable: boolean): string {
  if (!LIVE_WORD.test(word)) return escapeChars(word);
  // Backticks stay outside code (escaped), so no line can start with a run that reads as a fence.
  if (word.includes('`'))
    return word
      .split(/(`+)/)
      .map((part) => (part.startsWith('`') ? escapeChars(part) : neutralWord(part, inTable)))
      .join('');
  const [, before = '', core = '', after = ''] = /^([("'[{]*)(.*?)([.,;:!?)"'\]}]*)$/s.exec(word) ?? [];
  if (!LIVE_WORD.test(core)) return codeSpan(word, { max: Infinity, inTable });
  return `${escapeChars(before)}${codeSpan(core, { max: Infinity, inTable })}${escapeChars(after)}`;
}

/** Foreign text for one line of prose (newlines become spaces), cut at `max` with `…`. */
export function inlineText(text: string, max = 200): string {
  const one = stripControl(text).replace(/\s+/g, ' ').trim();
  return neutral(ellipsis(one, max));
}

/**
 * Foreign multi-line prose (paragraphs kept, leading indentation dropped so nothing
 * turns into a code block), cut at `max` with a visible note.
 */
export function proseText(text: string, max = 2000): string {
  const clean = stripControl(text)
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  const c = cutText(clean, max);
  const body = c.text
    .split('\n')
    .map((line) => neutral(line))
    .join('\n');
  return c.cut ? `${body}…\n\n_(cut: ${c.length.toLocaleString('en-US')} characters in all)_` : body;
}

/** Foreign text as the content of a table cell: single line, `|` escaped, cut with `…`. */
export function tableCellText(text: string, max = 200): string {
  return ellipsis(stripControl(text).trim(), max)
    .split('\n')
    .map((line) => neutral(line.replace(/\s+/g, ' ').trim(), true))
    .filter((line) => line !== '')
    .join('<br>');
}

function longestRun(text: string, ch: string): number {
  let best = 0;
  let run = 0;
  for (const c of text) {
    run = c === ch ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}

/**
 * Foreign text as an inline code span: shown verbatim (so a hostname copies cleanly) and
 * inert (no mention, reference, link or HTML inside code). `inTable` escapes `|`, which
 * GFM otherwise treats as a cell boundary even inside code.
 */
export function codeSpan(text: string, opts: { max?: number; inTable?: boolean } = {}): string {
  let content = ellipsis(breakMarker(stripControl(text)).replace(/\s+/g, ' '), opts.max ?? 200);
  if (content.trim() === '') return '—';
  const fence = '`'.repeat(longestRun(content, '`') + 1);
  if (content.startsWith('`') || content.endsWith('`') || (content.startsWith(' ') && content.endsWith(' '))) {
    content = ` ${content} `;
  }
  if (opts.inTable) content = content.replace(/\|/g, '\\|');
  return `${fence}${content}${fence}`;
}

/**
 * A fenced code block that the content cannot close: the fence is one backtick longer
 * than any run of backticks in the content. Cut at `max` with a note after the block.
 */
export function fencedBlock(text: string, lang = '', max = 20_000): string {
  const c = cutText(breakMarker(stripControl(text)), max);
  const fence = '`'.repeat(Math.max(3, longestRun(c.text, '`') + 1));
  const block = `${fence}${lang}\n${c.text}\n${fence}`;
  return c.cut ? `${block}\n\n_(cut at ${max.toLocaleString('en-US')} of ${c.length.toLocaleString('en-US')} characters)_` : block;
}

/** Invisible characters that would break copy and search of a title (not the joiner of emoji). */
const INVISIBLE = /[\u200b\u2060\ufeff]/g;

/**
 * Foreign text for an issue title: plain text, where a mention notifies nobody, so it
 * stays as typed (an address copies and searches as it is). One line, cut with `…`,
 * and `cf-insights:` visibly broken, so no title spells our marker.
 */
export function titleText(text: string, max: number): string {
  const one = stripControl(text).replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
  return ellipsis(
    one.replace(/cf-insights:/gi, (m) => `${m.slice(0, -1)} :`),
    max,
  );
}
