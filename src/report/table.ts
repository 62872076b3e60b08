import { canonicalSeverity } from '../insights/severity.js';
import type { Insight } from '../insights/types.js';
import { formatSeverityCounts, severityCounts, sortInsights } from './order.js';
import { displayWidth, isoDate, padEnd, singleLine, truncate } from './text.js';
import type { ReportContext } from './types.js';
import { isResolved } from '../insights/status.js';

const DEFAULT_WIDTH = 120;
const GAP = '  ';
const DISMISSED = ' (dismissed)';
const RESOLVED = ' (resolved)';
const MIN_SUBJECT = 16;
const MIN_SUBJECT_NARROW = 8;
/** Below this width the TYPE column goes (the class says more), so the rest still fits. */
const NARROW = 74;
const MIN_WIDTH = 40;
const MAX_CLASS = 36;
const MIN_CLASS = 20;
const MIN_CLASS_TIGHT = 8;
const MIN_CLASS_NARROW = 12;

const RESET = '\x1b[0m';
const BOLD = '\x1b[1m';
const SEVERITY_COLOUR: Record<string, string> = {
  Critical: '\x1b[1;31m',
  High: '\x1b[31m',
  Moderate: '\x1b[33m',
  Low: '\x1b[36m',
};

interface Row {
  severity: string;
  type: string;
  cls: string;
  subject: string;
  since: string;
  /** ` (dismissed)`, ` (resolved)` or nothing. */
  note: string;
}

function toRow(insight: Insight): Row {
  const raw = singleLine(insight.severity);
  return {
    severity: canonicalSeverity(raw) ?? (raw || '?'),
    type: singleLine(insight.issue_type),
    cls: singleLine(insight.issue_class),
    subject: singleLine(insight.subject),
    since: isoDate(insight.since),
    note: isResolved(insight) ? RESOLVED : insight.dismissed === true ? DISMISSED : '',
  };
}

const widest = (values: string[], header: string) => Math.max(displayWidth(header), ...values.map(displayWidth));

/**
 * The terminal table: most severe first, one line per insight, the subject cut to fit
 * the width, and a count line. Every API string is made printable first (no escape can
 * reach the terminal); colour, when asked for, is ours alone and only on the severity.
 */
export function renderTable(insights: readonly Insight[], ctx: ReportContext): string {
  const rows = sortInsights(insights).map(toRow);
  const counts = formatSeverityCounts(severityCounts(insights));
  const notes = ctx.complete === false ? ['warning: the inventory is incomplete; some insights may be missing'] : [];
  if (rows.length === 0) return `${[`No insights.`, counts, ...notes].join('\n')}\n`;

  const width = Math.max(ctx.width ?? DEFAULT_WIDTH, MIN_WIDTH);
  const showType = width >= NARROW;
  const w = {
    severity: widest(
      rows.map((r) => r.severity),
      'SEVERITY',
    ),
    type: showType
      ? widest(
          rows.map((r) => r.type),
          'TYPE',
        )
      : 0,
    cls: Math.min(
      widest(
        rows.map((r) => r.cls),
        'CLASS',
      ),
      MAX_CLASS,
    ),
    since: Math.min(
      widest(
        rows.map((r) => r.since),
        'SINCE',
      ),
      10,
    ),
    subject: 0,
  };
  // The subject matters most: the class gives way (down to MIN_CLASS) before the subject is cut.
  const rest = width - (w.severity + w.since + GAP.length * 3 + (showType ? w.type + GAP.length : 0));
  const naturalSubject = widest(
    rows.map((r) => r.subject + r.note),
    'SUBJECT',
  );
  w.subject = Math.min(naturalSubject, Math.max(showType ? MIN_SUBJECT : MIN_SUBJECT_NARROW, rest - Math.min(w.cls, showType ? MIN_CLASS : MIN_CLASS_NARROW)));
  w.cls = Math.min(w.cls, Math.max(MIN_CLASS_TIGHT, rest - w.subject));

  const paint = (code: string | undefined, text: string) => (ctx.color && code ? `${code}${text}${RESET}` : text);
  const line = (cells: [string, string, string, string, string], severityCode?: string) => {
    const [severity, type, cls, subject, since] = cells;
    return [
      paint(severityCode, padEnd(severity, w.severity)),
      ...(showType ? [padEnd(type, w.type)] : []),
      padEnd(truncate(cls, w.cls), w.cls),
      padEnd(subject, w.subject),
      truncate(since, w.since),
    ]
      .join(GAP)
      .trimEnd();
  };

  const header = line(['SEVERITY', 'TYPE', 'CLASS', 'SUBJECT', 'SINCE']);
  const out = [ctx.color ? `${BOLD}${header}${RESET}` : header];
  for (const r of rows) {
    // The mark (dismissed, resolved) stays whole while there is room for a few characters of the subject.
    const subject =
      r.note && w.subject >= r.note.length + 4 ? truncate(r.subject, w.subject - r.note.length) + r.note : truncate(r.subject + r.note, w.subject);
    out.push(line([r.severity, r.type, r.cls, subject, r.since], SEVERITY_COLOUR[r.severity]));
  }
  out.push('', ...[counts, ...notes].map((text) => wrap(text, width)));
  return `${out.join('\n')}\n`;
}

/** Words to lines of at most `width` columns (a narrow terminal would break them anywhere). */
function wrap(text: string, width: number): string {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && displayWidth(lines[last]!) + 1 + displayWidth(word) <= width) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines.join('\n');
}
