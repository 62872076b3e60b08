import stringWidth from 'string-width';
/**
 * Text from the API is untrusted: a DNS name or a payload can carry anything. These
 * helpers keep it from driving a terminal or breaking out of the format it is put in.
 */

// ESC-introduced sequences (CSI; OSC/DCS/SOS/PM/APC strings up to BEL or ST; two-byte
// escapes) and their 8-bit C1 forms. What is left of a control character after this
// goes in the second pass, so no escape can be reassembled from the pieces.
const ESCAPE_SEQUENCES =
  /\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]|\x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?|[\x90\x98\x9d\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?|\x1b[ -/]*[0-~]?/g;
const CONTROLS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/g;
const CONTROLS_AND_NEWLINES = /[\x00-\x1f\x7f-\x9f]/g;
// Bidirectional overrides and isolates reorder what a reader sees ("Trojan Source").
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const LINE_BREAKS = /\r\n|[\t\n\r\v\f\u0085\u2028\u2029]/g;

/** The text of an API field, whatever its runtime type. */
export function str(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : String(value);
}

/** Removes escape sequences, control characters and bidi overrides; keeps `\n` and `\t` when asked. */
export function stripControls(text: string, keepLineBreaks = false): string {
  const noEscapes = text.replace(ESCAPE_SEQUENCES, '');
  const noControls = keepLineBreaks ? noEscapes.replace(CONTROLS, '') : noEscapes.replace(CONTROLS_AND_NEWLINES, '');
  return noControls.replace(BIDI, '');
}

/** One printable line: breaks become spaces, controls go, runs of spaces collapse. */
export function singleLine(value: unknown): string {
  return stripControls(str(value).replace(LINE_BREAKS, ' ')).replace(/ {2,}/g, ' ').trim();
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Cuts to `width` terminal columns, ending with an ellipsis when cut (a wide character never straddles the edge). */
export function truncate(text: string, width: number): string {
  if (stringWidth(text) <= width) return text;
  if (width <= 0) return '';
  let out = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const w = stringWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return `${out}…`;
}

/** The columns a text takes in a terminal: CJK and most emoji take two, combining marks none. */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

export function padEnd(text: string, width: number): string {
  const w = displayWidth(text);
  return w >= width ? text : text + ' '.repeat(width - w);
}

/**
 * JSON.stringify escapes C0 controls but not DEL, C1 (0x9b is a CSI for some terminals),
 * line/paragraph separators or bidi overrides. Escaping them keeps the data intact and
 * the output safe to print.
 */
export function escapeJsonText(json: string): string {
  return json.replace(/[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `2026-02-11T08:14:22.481Z` -> `2026-02-11`; other text is kept, made printable. */
export function isoDate(value: unknown): string {
  const text = singleLine(value);
  const match = /^(\d{4}-\d{2}-\d{2})T/.exec(text);
  return match ? match[1]! : text;
}

/** Milliseconds since the epoch, or undefined when the text is not a date. */
export function epochMs(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
