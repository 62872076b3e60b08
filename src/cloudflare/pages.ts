/**
 * Collects the pages of one fetch: dedupes by id (the inventory can move between
 * pages) and says whether the result is complete. With a `count` (optional in the
 * published schema): the distinct ids and the skipped id-less records add up to the
 * count the first page announced, and that count did not change on the way. Without
 * one: no id came twice and no page brought only ids already seen.
 */
import type { Insight } from '../insights/types.js';
import type { PageResult } from './schemas.js';

/** Pages to fetch for `count` items at the echoed `perPage`; at least one (the first tells the count). */
export function pageCount(count: number, perPage: number): number {
  return Math.max(1, Math.ceil(count / perPage));
}

/**
 * Whether another page may follow `page` when the API gave no count: a full page
 * (as many records as the echoed, or else the requested, page size) may be followed
 * by more; a short one is the last.
 */
export function mayHaveMore(page: PageResult, requestedPerPage: number): boolean {
  return page.received > 0 && page.received >= (page.per_page ?? requestedPerPage);
}

export interface CollectedPages {
  insights: Insight[];
  complete: boolean;
  incompleteReason?: string;
  /** Records skipped for want of an id. */
  skipped: number;
}

export class PageCollector {
  private readonly byId = new Map<string, Insight>();
  private readonly problems: string[] = [];
  private duplicates = 0;
  private skipped = 0;

  constructor(readonly count: number | undefined) {}

  /** Adds a page; returns how many ids it brought that were not seen before. */
  add(pageNo: number, page: PageResult): number {
    if (this.count !== undefined && page.count !== undefined && page.count !== this.count) {
      this.problems.push(`the count changed from ${this.count} to ${page.count} on page ${pageNo}`);
    }
    this.skipped += page.skipped;
    let fresh = 0;
    for (const insight of page.issues) {
      if (this.byId.has(insight.id)) this.duplicates += 1;
      else fresh += 1;
      // Later pages are newer: keep the last copy seen.
      this.byId.set(insight.id, insight);
    }
    return fresh;
  }

  /** Records a reason the result cannot be trusted to be complete. */
  problem(text: string): void {
    this.problems.push(text);
  }

  finish(): CollectedPages {
    const insights = [...this.byId.values()];
    const problems = [...this.problems];
    const dup = this.duplicates > 0 ? ` (${this.duplicates} repeated across pages)` : '';
    if (this.count !== undefined && insights.length + this.skipped !== this.count) {
      const skipped = this.skipped > 0 ? ` and ${this.skipped} without an id` : '';
      problems.push(`fetched ${insights.length} distinct insights${skipped}${dup} but Cloudflare announced ${this.count}`);
    } else if (this.count === undefined && this.duplicates > 0) {
      problems.push(`${this.duplicates} insights repeated across pages and Cloudflare gave no count to check against`);
    }
    if (problems.length === 0) return { insights, complete: true, skipped: this.skipped };
    return {
      insights,
      complete: false,
      // A phrase: the engine, the summary and the CLI each say it in their own sentence.
      incompleteReason: `the inventory changed while it was being fetched: ${problems.join('; ')}`,
      skipped: this.skipped,
    };
  }
}
