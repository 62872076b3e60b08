/**
 * The state document (docs/architecture.md, "The state document"): what the last runs saw and wrote, so that
 * an unchanged run costs almost nothing. The GitHub issues stay the ground truth;
 * this is a cache of them plus the month's request ledger.
 */
import type { QuotaLedger } from '../budget/ledger.js';

export const STATE_VERSION = 2;

/**
 * Lifecycle of an insight as far as its issue is concerned:
 * - `pending`: seen, no issue filed yet (write cap, dry run, report only);
 * - `open`: its issue is open;
 * - `resolved`: gone from a complete inventory, its issue closed as completed;
 * - `dismissed`: dismissed in Cloudflare, its issue closed as not planned;
 * - `triaged`: a person closed its issue as not planned;
 * - `out-of-scope`: the current filters exclude it; kept, never closed for that.
 */
export const RECORD_STATES = ['pending', 'open', 'resolved', 'dismissed', 'triaged', 'out-of-scope'] as const;
export type RecordState = (typeof RECORD_STATES)[number];

export interface InsightRecord {
  /** Fingerprint of the content last written to the issue (or last seen when no issue). */
  fingerprint: string;
  severity: string;
  issueType: string;
  issueClass: string;
  subject: string;
  /** GitHub issue number, or null while none is filed. */
  issue: number | null;
  state: RecordState;
  firstSeen: string;
  lastSeen: string;
}

/** One issue per class (`group-by: class`): its issue and the fingerprint of its body. */
export interface GroupRecord {
  issue: number | null;
  fingerprint: string;
  state: RecordState;
  severity: string;
}

export interface StateDocument {
  version: number;
  /** `accounts/<id>` or `zones/<id>`. */
  scope: string;
  /** filterSignature() of the filters of the run that wrote it. */
  filters: string;
  updatedAt: string;
  /** When the last complete inventory was fetched; null if never. */
  lastCompleteAt: string | null;
  insights: Record<string, InsightRecord>;
  groups: Record<string, GroupRecord>;
  quota: QuotaLedger;
  /** Matching insights in the last complete inventory, to estimate the next run's requests. */
  lastInventorySize: number | null;
  /**
   * `owner/repo` and time of the last issue listing, so the next one asks only `since`.
   * The repository is also the one the records' issue numbers and states are of: in any
   * other repository (or when this is null) they are set aside (forRepository()).
   */
  github: { repository: string; listedAt: string } | null;
}
