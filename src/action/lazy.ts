import type { GithubSettings, Settings } from '../config/settings.js';
import type { Logger } from '../log.js';
import type { InventorySource, IssueTracker } from '../sync/engine.js';
import type { IssueWriter } from '../sync/execute.js';

/*
 * The remote clients as separate chunks of the bundle, so that the action's cold start
 * does not compile them before it has anything to send. The action must read its state
 * (the request ledger) before the first Cloudflare request, and the state restore spends
 * most of its time waiting on the cache service, zstd and tar: the clients load then.
 * (undici itself is in the main chunk: @actions/core's http-client loads it at start, and
 * package.json's `overrides` make that the same undici as ours, so one copy is loaded.)
 */

/** The Cloudflare source; its client starts loading now, alongside the state restore. */
export function lazyCloudflareSource(settings: Settings, log: Logger): InventorySource {
  const loading = import('../sync/sources.js');
  // A run that fails before the fetch never awaits it: no unhandled rejection.
  loading.catch(() => undefined);
  return {
    kind: 'cloudflare',
    fetch: async (budget, onPage) => {
      return (await loading).cloudflareSource(settings, log).fetch(budget, onPage);
    },
  };
}

/**
 * The GitHub tracker, built on first use: octokit and its plugins load while the
 * Cloudflare request is on its way, and not at all on a run that stops before GitHub.
 */
export function lazyGithubTracker(settings: GithubSettings, log: Logger): IssueTracker {
  let real: IssueTracker | undefined;
  let loading: Promise<IssueTracker> | undefined;
  const get = () => (loading ??= import('../sync/github-tracker.js').then(({ githubTracker }) => (real = githubTracker(settings, log))));
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
