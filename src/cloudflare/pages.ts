/**
 * Collects the pages of one fetch: dedupes by id (the inventory can move between
 * pages) and says whether the result is complete, i.e. the distinct ids add up to the
 * `count` the first page announced and that count did not change on the way.
 */
import type { Insight } from '../insights/types.js';
import type { PageResult } from './schemas.js';

/** Pages to fetch for `count` items at the echoed `perPage`; at least one (the first tells the count). */
export function pageCount(count: number, perPage: number): number {
  return Math.max(1, Math.ceil(count / perPage));
}

export interface CollectedPages {
  insights: Insight[];
  complete: boolean;
  incompleteReason?: string;
}

export class PageCollector {
  private readonly byId = new Map<string, Insight>();
  private readonly problems: string[] = [];
  private duplicates = 0;

  constructor(readonly count: number) {}

  add(pageNo: number, page: PageResult): void {
    if (page.count !== this.count) {
      this.problems.push(`the count changed from ${this.count} to ${page.count} on page ${pageNo}`);
    }
    for (const insight of page.issues) {
      if (this.byId.has(insight.id)) this.duplicates += 1;
      // Later pages are newer: keep the last copy seen.
      this.byId.set(insight.id, insight);
    }
  }

  finish(): CollectedPages {
    const insights = [...this.byId.values()];
    const problems = [...this.problems];
    if (insights.length !== this.count) {
      const dup = this.duplicates > 0 ? ` (${this.duplicates} repeated across pages)` : '';
      problems.push(`fetched ${insights.length} distinct insights${dup} but Cloudflare announced ${this.count}`);
    }
    if (problems.length === 0) return { insights, complete: true };
    return {
      insights,
      complete: false,
      // A phrase: the engine, the summary and the CLI each say it in their own sentence.
      incompleteReason: `the inventory changed while it was being fetched: ${problems.join('; ')}`,
    };
  }
}
