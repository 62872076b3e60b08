/** What the sync knows of an issue of ours, read from GitHub. */
export interface TrackedIssue {
  number: number;
  state: 'open' | 'closed';
  stateReason: 'completed' | 'not_planned' | 'reopened' | 'duplicate' | null;
  title: string;
  labels: string[];
  /** Our hidden marker, or null when the body has none (a person edited it away). */
  marker: IssueMarker | null;
  /**
   * The Cloudflare account and zone ids (32 hex digits, lower case) the body names. Only
   * this is kept of the body: a lost state lists every issue, and 95k bodies held 240 MB.
   */
  scopeIds: string[];
  /** The scopes (`accounts/<id>`) a body without a v2 marker names: whose issue it may be (mayBelongTo). */
  scopeKeys?: readonly string[];
  /** Comments on the issue (any author), from the listing. */
  comments?: number;
}

/** `<!-- cf-insights:v2 scope=<accounts|zones>/<id> id=<insight id> fp=<fingerprint> -->` (v1: no scope). */
export interface IssueMarker {
  /** `accounts/<id>` or `zones/<id>`; absent in a v1 marker. */
  scope?: string;
  id: string;
  fp: string;
}

/** An issue as the sync wants it to be written. */
export interface IssueContent {
  title: string;
  body: string;
  labels: string[];
  /**
   * The issue's labels were not read this run (the edit is planned from the state): the
   * writer merges `labels` with the issue's current ones (mergeLabels) before writing,
   * so a label a person added is never lost.
   */
  mergeCurrentLabels?: boolean;
}
