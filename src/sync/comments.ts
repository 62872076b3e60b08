import { inlineText } from '../github/sanitize.js';

/** Comments the sync posts when it reopens an issue; the reason is ours, not the API's. */
export function reopenComment(reason: 'returned' | 'still-reported' | 'undismissed'): string {
  switch (reason) {
    case 'returned':
      return 'Cloudflare Security Center reports this insight again, so this issue is reopened.';
    case 'still-reported':
      return (
        'Cloudflare Security Center still reports this insight, so this issue is reopened. ' +
        'To accept the risk, close it as not planned: cf-insights then leaves it closed unless its severity rises.'
      );
    case 'undismissed':
      return 'This insight is no longer dismissed in Cloudflare Security Center, so this issue is reopened.';
  }
}

export function severityRoseComment(from: string, to: string): string {
  return (
    `The severity of this insight rose from **${inlineText(from, 20)}** to **${inlineText(to, 20)}**, ` +
    'so this issue, closed as not planned, is reopened for a new look.'
  );
}
