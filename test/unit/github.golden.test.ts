/**
 * What a triager reads: an issue, a class issue, the comments and the job summary of one
 * realistic run (test/support/triage.ts) on a fixed clock, compared byte for byte with
 * test/golden/*.md. Read those files to review a change of wording.
 * Regenerate after an intended change with: UPDATE_GOLDEN=1 npx vitest run test/unit/github.golden.test.ts
 * (then read the diff before committing it).
 */
import { afterEach, beforeEach, describe, it, vi } from 'vitest';
import { checkGolden } from '../support/golden.js';
import { dismissedComment, resolvedComment, severityChangeComment } from '../../src/github/render.js';
import type { IssueContent } from '../../src/github/types.js';
import { fingerprint } from '../../src/insights/fingerprint.js';
import { renderJobSummary } from '../../src/views/summary.js';
import { emptyState } from '../../src/state/document.js';
import { reopenComment, severityRoseComment } from '../../src/sync/comments.js';
import { plan } from '../../src/sync/plan.js';
import { NO_FILTERS } from '../../src/insights/filter.js';
import { ACCOUNT, NOW, SCOPE, adminEmail, dangling, danglingOther, settings, syncResult } from '../support/triage.js';

/** An issue as GitHub shows it: the title, the labels, then the body. */
function asIssue(content: IssueContent): string {
  return `# ${content.title}\n\nLabels: ${content.labels.join(', ')}\n\n---\n\n${content.body}\n`;
}

const settingsFor = (groupBy: 'insight' | 'class') => ({
  scope: SCOPE,
  filters: NO_FILTERS,
  labels: ['cloudflare-insight'],
  assignees: [],
  groupBy,
  closeResolved: true,
  maxIssueWrites: 50,
});

function created(p: ReturnType<typeof plan>): IssueContent {
  const action = p.units[0]?.actions[0];
  if (action?.kind !== 'create' && action?.kind !== 'update') throw new Error(`expected a create or an update, got ${action?.kind}`);
  return action.render();
}

describe('golden files a triager reads', () => {
  beforeEach(() => vi.stubEnv('GITHUB_SERVER_URL', 'https://github.com'));
  afterEach(() => vi.unstubAllEnvs());

  it('an issue: test/golden/issue.md', () => {
    const p = plan({ insights: [dangling], complete: true, state: null, issues: [], settings: settingsFor('insight'), now: NOW });
    checkGolden('issue.md', asIssue(created(p)));
  });

  it('an issue whose subject is an address and whose advice names people: test/golden/issue-address.md', () => {
    const p = plan({ insights: [adminEmail], complete: true, state: null, issues: [], settings: settingsFor('insight'), now: NOW });
    checkGolden('issue-address.md', asIssue(created(p)));
  });

  it('a class issue, one subject resolved since the last run: test/golden/group-issue.md', () => {
    const state = emptyState({ scope: `accounts/${ACCOUNT}`, filters: '', now: new Date(NOW) });
    const gone = { ...danglingOther, id: '3c2b1a09-8f7e-4d6c-b5a4-938271605100', subject: 'staging.example.com', severity: 'High' };
    for (const i of [dangling, danglingOther, gone]) {
      state.insights[i.id] = {
        fingerprint: fingerprint(i),
        severity: i.severity,
        issueType: i.issue_type,
        issueClass: i.issue_class,
        subject: i.subject,
        issue: 21,
        state: 'open',
        firstSeen: NOW,
        lastSeen: NOW,
      };
    }
    state.groups[dangling.issue_class] = { issue: 21, fingerprint: 'old', state: 'open', severity: 'High' };
    const p = plan({ insights: [dangling, danglingOther], complete: true, state, issues: [], settings: settingsFor('class'), now: NOW });
    checkGolden('group-issue.md', asIssue(created(p)));
  });

  it('the comments cf-insights posts: test/golden/comment.md', () => {
    const comments: [string, string][] = [
      ['Closed: the insight is gone', resolvedComment({ subject: dangling.subject })],
      ['Closed: dismissed in Cloudflare', dismissedComment({ subject: adminEmail.subject })],
      ['Edited: the severity changed', severityChangeComment('High', 'Critical')],
      ['Reopened: reported again', reopenComment('returned')],
      ['Reopened: closed as completed by a person, still reported', reopenComment('still-reported')],
      ['Reopened: triaged, but the severity rose', severityRoseComment('Moderate', 'High')],
    ];
    checkGolden('comment.md', comments.map(([when, text]) => `## ${when}\n\n${text}\n`).join('\n'));
  });

  it('a job summary: test/golden/job-summary.md', () => {
    checkGolden('job-summary.md', renderJobSummary(syncResult(), settings(), undefined, new Date(NOW)));
  });
});
