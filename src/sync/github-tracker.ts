import { createGithubClient, type GithubThrottleTuning } from '../github/client.js';
import { addComment, closeIssue, createIssue, ensureLabels, getIssue, listTrackedIssues, reopenIssue, updateIssue } from '../github/issues.js';
import { mergeLabels } from '../github/labels.js';
import type { IssueContent } from '../github/types.js';
import type { GithubSettings } from '../config/settings.js';
import type { Logger } from '../log.js';
import type { IssueTracker } from './engine.js';
import type { IssueWriter } from './execute.js';

export interface TrackerTuning {
  throttle?: GithubThrottleTuning;
  retries?: number;
  /** Wait before looking for an issue whose creation may have succeeded (default 2 s). */
  recoveryDelayMs?: number;
}

/**
 * GitHub through octokit (throttling + retry plugins): the listing of our issues by
 * their labels, and the writes. The time of GitHub's last answer becomes the next
 * run's `since`, so an unchanged run lists nothing it wrote itself.
 */
export function githubTracker(settings: GithubSettings, log: Logger, tuning: TrackerTuning = {}): IssueTracker {
  const client = createGithubClient({
    token: settings.token,
    baseUrl: settings.apiUrl,
    log,
    ...(tuning.throttle ? { throttle: tuning.throttle } : {}),
    ...(tuning.retries !== undefined ? { retries: tuning.retries } : {}),
  });
  const { octokit } = client;
  const ref = { owner: settings.owner, repo: settings.repo };
  const knownLabels = new Set<string>();

  /** Content whose labels were planned without reading the issue's: merged with its current labels (one read). */
  async function withLabelsOf(issue: number, content: IssueContent): Promise<IssueContent> {
    if (!content.mergeCurrentLabels) return content;
    const current = await getIssue(octokit, { ...ref, number: issue });
    return { ...content, labels: mergeLabels(current.labels, content.labels) };
  }

  const writer: IssueWriter = {
    async ensureLabels(labels) {
      await ensureLabels(octokit, { ...ref, labels, known: knownLabels });
    },
    async create(content, assignees) {
      const created = await createIssue(octokit, {
        ...ref,
        ...content,
        assignees,
        label: settings.labels.join(','),
        log,
        ...(tuning.recoveryDelayMs !== undefined ? { recoveryDelayMs: tuning.recoveryDelayMs } : {}),
      });
      return { number: created.issue.number };
    },
    async update(issue, content) {
      await updateIssue(octokit, { ...ref, number: issue, ...(await withLabelsOf(issue, content)) });
    },
    async comment(issue, body, options) {
      const posted = await addComment(octokit, { ...ref, number: issue, body, ...(options?.checkFirst ? { checkFirst: true } : {}) });
      if (posted.existing) log.info(`The comment on #${issue} had been posted already (an earlier attempt); not posting it again.`);
    },
    async close(issue, reason, content) {
      await (content ? withLabelsOf(issue, content) : Promise.resolve(undefined)).then((c) =>
        closeIssue(octokit, { ...ref, number: issue, reason, ...(c ? { content: c } : {}) }),
      );
    },
    async reopen(issue, content) {
      await reopenIssue(octokit, { ...ref, number: issue, content: await withLabelsOf(issue, content) });
    },
  };

  return {
    repository: `${settings.owner}/${settings.repo}`,
    async list(since) {
      // All configured labels: GitHub ANDs them, so accounts that share a repository
      // with their own label never see each other's issues.
      const listing = await listTrackedIssues(octokit, { ...ref, label: settings.labels.join(','), ...(since ? { since } : {}) });
      return listing.issues;
    },
    writer,
    stats: () => ({ requests: client.stats.requests, writes: client.stats.writes, newestUpdate: client.stats.serverTime }),
  };
}

/** A dry run without a token: no issue is known, nothing can be written. */
export function offlineTracker(repository: string): IssueTracker {
  const refuse = async (): Promise<never> => {
    throw new Error('no GitHub token: this run cannot write');
  };
  return {
    repository,
    list: async () => [],
    writer: { ensureLabels: refuse, create: refuse, update: refuse, comment: refuse, close: refuse, reopen: refuse },
    stats: () => ({ requests: 0, writes: 0, newestUpdate: null }),
  };
}
