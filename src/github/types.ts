/** What the sync knows of an issue of ours, read from GitHub. */
export interface TrackedIssue {
  number: number;
  state: 'open' | 'closed';
  stateReason: 'completed' | 'not_planned' | 'reopened' | 'duplicate' | null;
  title: string;
  body: string;
  labels: string[];
  updatedAt: string;
  /** Our hidden marker, or null when the body has none (a person edited it away). */
  marker: IssueMarker | null;
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
