import { ownLabelValue } from '../github/labels.js';
import { mayBelongTo } from '../github/marker.js';
import type { TrackedIssue } from '../github/types.js';
import { canonicalSeverity } from '../insights/severity.js';
import type { GroupRecord, InsightRecord } from '../state/types.js';

/** What the planner believes about the issue of one key. */
export interface IssueView {
  number: number;
  state: 'open' | 'closed';
  reason: 'completed' | 'not_planned' | 'duplicate' | 'reopened' | null;
  /** Fingerprint written in the issue's marker, or recorded in the state. */
  fp: string | null;
  /** Severity the issue shows (its `severity:` label), or the recorded one. */
  severity: string | null;
  /** Issue type its `type:` label shows, when read from GitHub. */
  issueType: string | null;
  /** Read from GitHub this run (true) or inferred from the state (false). */
  fresh: boolean;
  /** The account and zone ids the issue's body names (null when inferred from the state). */
  scopeIds: readonly string[] | null;
  /** Its marker names the run's scope (a v2 marker): no need to look for the scope id in the body. */
  scoped: boolean;
  /** Labels as GitHub shows them (null when inferred from the state). */
  labels: string[] | null;
  /** Its title as GitHub shows it (null when inferred from the state). */
  title: string | null;
}

function fromIssue(issue: TrackedIssue): IssueView {
  const severity = ownLabelValue(issue.labels, 'severity');
  return {
    number: issue.number,
    state: issue.state,
    reason: issue.state === 'closed' ? (issue.stateReason === 'reopened' ? 'completed' : (issue.stateReason ?? 'completed')) : null,
    fp: issue.marker?.fp ?? null,
    severity: severity ? (canonicalSeverity(severity) ?? severity) : null,
    issueType: ownLabelValue(issue.labels, 'type'),
    fresh: true,
    scopeIds: issue.scopeIds,
    scoped: issue.marker?.scope !== undefined,
    labels: issue.labels,
    title: issue.title,
  };
}

function fromRecord(record: InsightRecord | GroupRecord): IssueView | null {
  if (record.issue === null) return null;
  const closedAs: Record<string, IssueView['reason']> = {
    resolved: 'completed',
    dismissed: 'not_planned',
    triaged: 'not_planned',
  };
  const closed = record.state in closedAs;
  return {
    number: record.issue,
    state: closed ? 'closed' : 'open',
    reason: closed ? closedAs[record.state]! : null,
    fp: record.fingerprint,
    severity: record.severity,
    issueType: 'issueType' in record ? record.issueType : null,
    fresh: false,
    scopeIds: null,
    scoped: false,
    labels: null,
    title: null,
  };
}

/** `[High] Dangling DNS record: a.example.com` -> `Dangling DNS record: a.example.com` */
export function titleWithoutSeverity(title: string): string {
  return title.replace(/^\[[^\]]*\]\s*/, '');
}

/** Another issue that carries a key's marker (a person copied a body, marker included): never written to. */
export interface IssueCopy {
  issue: number;
  key: string;
  /** The key's own issue. */
  of: number;
}

/**
 * Indexes the issues read from GitHub so each key finds its issue. Only issues that may
 * belong to the run's scope are seen at all (mayBelongTo). The issue recorded in the
 * state is the key's issue, listed or not; without a record, the open issue with the
 * key's marker and the lowest number (the oldest); a recorded issue whose marker a
 * person removed is found by its number, and as the last resort, with neither marker
 * nor state, an unmarked issue by its title. Other issues with the same marker are
 * copies: reported (copies()), never the key's issue.
 */
export class IssueIndex {
  private readonly byKey = new Map<string, TrackedIssue[]>();
  private readonly byNumber = new Map<number, TrackedIssue>();
  private readonly unmarkedByTitle = new Map<string, TrackedIssue>();
  /** Listed issues of another scope: a record that points at one is not used. */
  private readonly foreign = new Set<number>();
  /** The key that first took each issue (by number, marker or title): a title match goes to no other key, and to the same key again. */
  private readonly claimedBy = new Map<number, string>();
  private readonly copied = new Map<number, IssueCopy>();

  constructor(issues: readonly TrackedIssue[], scope: string) {
    for (const issue of issues) {
      if (!mayBelongTo(issue, scope)) {
        this.foreign.add(issue.number);
        continue;
      }
      this.byNumber.set(issue.number, issue);
      if (issue.marker) {
        // A literal [issue], not push() onto []: that array would hold 17 slots, 95k of them on a lost state.
        const list = this.byKey.get(issue.marker.id);
        if (list) list.push(issue);
        else this.byKey.set(issue.marker.id, [issue]);
      } else {
        const key = titleWithoutSeverity(issue.title);
        if (!this.unmarkedByTitle.has(key)) this.unmarkedByTitle.set(key, issue);
      }
    }
  }

  /** Keys that have an issue in the listing, in a stable order. */
  keys(): string[] {
    return [...this.byKey.keys()].sort();
  }

  /** The copies met so far by view(), by issue number. */
  copies(): IssueCopy[] {
    return [...this.copied.values()].sort((a, b) => a.issue - b.issue);
  }

  view(key: string, record: InsightRecord | GroupRecord | undefined, title?: string): IssueView | null {
    const recorded = record?.issue ?? null;
    if (recorded !== null && !this.foreign.has(recorded)) {
      const listed = this.byNumber.get(recorded);
      // Unless a person gave it the marker of another key: then the record is stale.
      if (!listed?.marker || listed.marker.id === key) {
        this.noteCopies(key, recorded);
        return listed ? this.claim(listed, key) : fromRecord(record!);
      }
    }
    const marked = this.byKey.get(key);
    if (marked && marked.length > 0) {
      const best = [...marked].sort((a, b) => (a.state === b.state ? a.number - b.number : a.state === 'open' ? -1 : 1))[0]!;
      this.noteCopies(key, best.number);
      return this.claim(best, key);
    }
    if (title) {
      const unmarked = this.unmarkedByTitle.get(titleWithoutSeverity(title));
      if (unmarked && (this.claimedBy.get(unmarked.number) ?? key) === key) return this.claim(unmarked, key);
    }
    return null;
  }

  private noteCopies(key: string, own: number): void {
    for (const issue of this.byKey.get(key) ?? []) {
      if (issue.number !== own) this.copied.set(issue.number, { issue: issue.number, key, of: own });
    }
  }

  private claim(issue: TrackedIssue, key: string): IssueView {
    if (!this.claimedBy.has(issue.number)) this.claimedBy.set(issue.number, key);
    return fromIssue(issue);
  }
}
