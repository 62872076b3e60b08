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
  /** Comments on the issue (any author), from the listing. */
  comments?: number;
}

/** `<!-- cf-insights:v1 id=<insight id> fp=<fingerprint> -->` */
export interface IssueMarker {
  id: string;
  fp: string;
}

/** An issue as the sync wants it to be written. */
export interface IssueContent {
  title: string;
  body: string;
  labels: string[];
}
