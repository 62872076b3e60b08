import type { GithubSettings } from '../config/settings.js';
import type { Logger } from '../log.js';
import type { IssueTracker } from '../sync/engine.js';
import type { IssueWriter } from '../sync/execute.js';

/**
 * The GitHub tracker, built on first use. octokit and its plugins (a separate chunk of
 * the bundle) then load while the Cloudflare request is on its way instead of before it,
 * which is most of what the action's cold start can save, and not at all on a run that
 * stops before GitHub.
 */
export function lazyGithubTracker(settings: GithubSettings, log: Logger): IssueTracker {
  let real: IssueTracker | undefined;
  let loading: Promise<IssueTracker> | undefined;
  const get = () =>
    (loading ??= import('../sync/github-tracker.js').then(({ githubTracker }) => (real = githubTracker(settings, log))));
  const writer: IssueWriter = {
    ensureLabels: async (labels) => (await get()).writer.ensureLabels(labels),
    create: async (content, assignees, markerId) => (await get()).writer.create(content, assignees, markerId),
    update: async (issue, content) => (await get()).writer.update(issue, content),
    comment: async (issue, body) => (await get()).writer.comment(issue, body),
    close: async (issue, reason, content) => (await get()).writer.close(issue, reason, content),
    reopen: async (issue, content) => (await get()).writer.reopen(issue, content),
  };
  return {
    repository: `${settings.owner}/${settings.repo}`,
    list: async (since) => (await get()).list(since),
    writer,
    stats: () => real?.stats() ?? { requests: 0, writes: 0, newestUpdate: null },
  };
}
