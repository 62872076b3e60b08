/**
 * The sync's central promise, by property (issue 4): for random sequences of runs over a
 * small pool of insights (severities that change, insights that go and come back,
 * dismissals with include-dismissed on, people closing, triaging and reopening issues,
 * the state lost now and then, a small write cap), after every run:
 * - there is exactly one issue per insight that has ever had one;
 * - when the write cap was not hit, the open issues are exactly the insights that are
 *   active (reported, not dismissed), in scope (the filters) and untriaged (not closed as
 *   not planned by a person, unless their severity rose since).
 *
 * The real engine (state document, planner, executor) runs against GitHub modelled in
 * memory (an IssueTracker) and a state store in memory that saves and reads the JSON
 * document, so a run costs a few milliseconds and hundreds of sequences fit in seconds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSettings, type RawSettings } from '../../src/config/settings.js';
import { parseMarker, scopeIdsIn } from '../../src/github/marker.js';
import { GithubError } from '../../src/github/errors.js';
import { DISMISSED_LABEL, mergeLabels } from '../../src/github/labels.js';
import type { IssueContent, TrackedIssue } from '../../src/github/types.js';
import { applyFilters } from '../../src/insights/filter.js';
import { severityRank } from '../../src/insights/severity.js';
import type { Insight, Inventory } from '../../src/insights/types.js';
import { silentLogger } from '../../src/log.js';
import { parseStateText, serializeState } from '../../src/state/document.js';
import type { StateStore } from '../../src/state/store.js';
import { runEngine, type IssueTracker } from '../../src/sync/engine.js';
import { IssueGoneError, type IssueWriter } from '../../src/sync/execute.js';
import { ACCOUNT, SCOPE, insight as makeInsight } from '../support/insights.js';

const RUNS = Number(process.env['CF_INSIGHTS_PROPERTY_RUNS'] ?? 300);
const SEVERITIES = ['Low', 'Moderate', 'High', 'Critical'] as const;
const POOL = 6;

// GitHub, in memory -----------------------------------------------------------------

interface ModelIssue {
  number: number;
  title: string;
  body: string;
  labels: string[];
  state: 'open' | 'closed';
  stateReason: TrackedIssue['stateReason'];
  updated: number;
}

class GithubModel {
  readonly issues = new Map<number, ModelIssue>();
  /** Issue number -> the insight it was filed for (whatever people do to its body later). */
  readonly owner = new Map<number, string>();
  /** Issue number -> the scope whose run filed it (people's issues have none). */
  readonly scopeOf = new Map<number, string>();
  /** Every write to an existing issue: which scope's run made it, and to which issue. */
  readonly writeLog: { scope: string; number: number }[] = [];
  /** Issue number -> the labels people added to it (lower case). */
  readonly personLabels = new Map<number, Set<string>>();
  /** Issues a person locked: GitHub refuses comments on them (403), not state changes. */
  readonly locked = new Set<number>();
  /** Issues a person transferred to another repository: `<scope>|<insight id>` they were filed for. */
  readonly moved = new Map<number, string>();
  /** Issue number -> attempts to write to it after its transfer (each answered 301, as GitHub does). */
  readonly movedAttempts = new Map<number, number>();
  private clock = 0;
  private next = 1;
  requests = 0;
  writes = 0;

  private time(tick: number): string {
    return new Date(Date.UTC(2026, 0, 1) + tick * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  private live(number: number): ModelIssue {
    const issue = this.issues.get(number);
    if (!issue) throw new IssueGoneError(number);
    return issue;
  }

  private touch(issue: ModelIssue): void {
    issue.updated = ++this.clock;
  }

  tracked(issue: ModelIssue): TrackedIssue {
    return {
      number: issue.number,
      state: issue.state,
      stateReason: issue.stateReason,
      title: issue.title,
      labels: [...issue.labels],
      marker: parseMarker(issue.body),
      scopeIds: scopeIdsIn(issue.body),
    };
  }

  /** The engine's view: a listing (all, or updated since) and the writes. */
  tracker(scope = `accounts/${ACCOUNT}`): IssueTracker {
    let newest: string | null = null;
    const write = (number?: number) => {
      this.requests += 1;
      this.writes += 1;
      if (number !== undefined) this.writeLog.push({ scope, number });
    };
    const apply = (issue: ModelIssue, content?: IssueContent) => {
      // As githubTracker does: labels planned without reading the issue's are merged with its current ones.
      if (content)
        Object.assign(issue, {
          title: content.title,
          body: content.body,
          labels: content.mergeCurrentLabels ? mergeLabels(issue.labels, content.labels) : [...content.labels],
        });
      this.touch(issue);
      newest = this.time(this.clock);
    };
    /** GitHub answers a transferred issue with 301, a comment on a locked one with 403. */
    const refuse = (number: number, comment = false) => {
      if (this.moved.has(number)) {
        this.requests += 1;
        this.movedAttempts.set(number, (this.movedAttempts.get(number) ?? 0) + 1);
        throw Object.assign(new GithubError('moved', 301, `GitHub issue acme/security#${number} has moved (HTTP 301).`), { issue: number });
      }
      if (comment && this.locked.has(number)) {
        this.requests += 1;
        throw Object.assign(new GithubError('locked', 403, `GitHub issue acme/security#${number} is locked (HTTP 403).`), { issue: number });
      }
    };
    const writer: IssueWriter = {
      ensureLabels: async () => {},
      create: async (content) => {
        write();
        const issue: ModelIssue = { number: this.next++, ...content, labels: [...content.labels], state: 'open', stateReason: null, updated: 0 };
        this.issues.set(issue.number, issue);
        this.owner.set(issue.number, parseMarker(content.body)!.id);
        this.scopeOf.set(issue.number, scope);
        apply(issue);
        return { number: issue.number };
      },
      update: async (number, content) => {
        refuse(number);
        write(number);
        apply(this.live(number), content);
      },
      comment: async (number) => {
        refuse(number, true);
        write(number);
        apply(this.live(number));
      },
      close: async (number, reason, content) => {
        refuse(number);
        write(number);
        const issue = this.live(number);
        Object.assign(issue, { state: 'closed', stateReason: reason });
        apply(issue, content);
      },
      reopen: async (number, content) => {
        refuse(number);
        write(number);
        const issue = this.live(number);
        Object.assign(issue, { state: 'open', stateReason: 'reopened' });
        apply(issue, content);
      },
    };
    return {
      repository: 'acme/security',
      list: async (since) => {
        this.requests += 1;
        const from = since === null ? -1 : Date.parse(since);
        const listed = [...this.issues.values()].filter((i) => Date.parse(this.time(i.updated)) >= from);
        newest = this.time(this.clock);
        return listed.map((i) => this.tracked(i));
      },
      writer,
      stats: () => ({ requests: this.requests, writes: this.writes, newestUpdate: newest }),
    };
  }

  /** A person acts through the web UI: the clock moves as for any write. */
  person(number: number, change: Partial<Pick<ModelIssue, 'state' | 'stateReason' | 'body' | 'labels'>>): void {
    const issue = this.issues.get(number)!;
    Object.assign(issue, change);
    this.touch(issue);
  }

  /** A person files a new issue with a copy of another's title, body (marker included) and labels. */
  personCopy(number: number): number {
    const from = this.issues.get(number)!;
    const copy: ModelIssue = { ...from, labels: [...from.labels], number: this.next++, state: 'open', stateReason: null };
    this.issues.set(copy.number, copy);
    this.touch(copy);
    return copy.number;
  }

  /** A person locks the conversation: comments are refused from now on. */
  personLock(number: number): void {
    this.locked.add(number);
    this.touch(this.issues.get(number)!);
  }

  /** A person transfers the issue to another repository: it leaves this one's listings for good. */
  personTransfer(number: number): void {
    this.moved.set(number, `${this.scopeOf.get(number)}|${this.owner.get(number)}`);
    this.issues.delete(number);
    this.owner.delete(number);
    this.scopeOf.delete(number);
    this.personLabels.delete(number);
  }

  /** A person adds a label (kept in personLabels: no run may remove it). */
  personLabel(number: number, label: string): void {
    const issue = this.issues.get(number)!;
    if (!issue.labels.some((l) => l.toLowerCase() === label.toLowerCase())) this.person(number, { labels: [...issue.labels, label] });
    const mine = this.personLabels.get(number) ?? new Set<string>();
    this.personLabels.set(number, mine.add(label.toLowerCase()));
  }

  /** `<scope>|<key>` -> the numbers of the issues the runs filed for it. */
  byScopedOwner(): Map<string, number[]> {
    const out = new Map<string, number[]>();
    for (const [number, id] of this.owner) {
      const key = `${this.scopeOf.get(number)}|${id}`;
      out.set(key, [...(out.get(key) ?? []), number]);
    }
    return out;
  }

  /** Insight id -> the numbers of the issues filed for it. */
  byOwner(): Map<string, number[]> {
    const out = new Map<string, number[]>();
    for (const [number, id] of this.owner) out.set(id, [...(out.get(id) ?? []), number]);
    return out;
  }
}

/** The state store, as a JSON document saved and read back (the real document code). */
function memoryStore(): StateStore & { lose(): void } {
  let text: string | null = null;
  return {
    kind: 'file',
    lose: () => {
      text = null;
    },
    load: async ({ scope }) => (text === null ? { state: null } : { state: parseStateText(text, { scope }).state }),
    save: async (doc) => {
      text = serializeState(doc);
      return { saved: true };
    },
  };
}

// The scenario ------------------------------------------------------------------------

interface Step {
  /** Per pool slot: absent, or present with a severity and a dismissed flag. */
  inventory: ({ severity: number; dismissed: boolean } | null)[];
  /** What people do on GitHub before the run (applied to the issue of a pool slot, if any). */
  people: { slot: number; act: 'triage' | 'complete' | 'reopen' | 'unmark' }[];
  loseState: boolean;
}

const step: fc.Arbitrary<Step> = fc.record({
  inventory: fc.array(
    fc.oneof(
      { weight: 1, arbitrary: fc.constant(null) },
      { weight: 3, arbitrary: fc.record({ severity: fc.integer({ min: 0, max: 3 }), dismissed: fc.boolean() }) },
    ),
    { minLength: POOL, maxLength: POOL },
  ),
  people: fc.array(fc.record({ slot: fc.integer({ min: 0, max: POOL - 1 }), act: fc.constantFrom('triage', 'complete', 'reopen', 'unmark') }), {
    maxLength: 2,
  }),
  loseState: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
});

/**
 * A marker a person edits away is found again through the state, or by the issue's title
 * once the state is lost; with both gone at once (and the insight away meanwhile) the link
 * is lost for good, so a scenario has one or the other.
 */
const scenario = fc
  .record({
    steps: fc.array(step, { minLength: 2, maxLength: 6 }),
    cap: fc.constantFrom(2, 5, 50),
    excludeLow: fc.boolean(),
    unmarking: fc.boolean(),
  })
  .map((s) => ({
    ...s,
    steps: s.steps.map((st) => (s.unmarking ? { ...st, loseState: false } : { ...st, people: st.people.filter((p) => p.act !== 'unmark') })),
  }));

const idOf = (slot: number) => `insight-${slot}`;

/** With group-by class, three classes share the pool. */
const classOf = (slot: number) => `cls_${slot % 3}`;

function inventoryOf(s: Step): Insight[] {
  return s.inventory.flatMap((slot, n) =>
    slot === null
      ? []
      : [
          makeInsight(idOf(n), {
            severity: SEVERITIES[slot.severity]!,
            dismissed: slot.dismissed,
            issue_class: classOf(n),
            issue_type: n % 2 === 0 ? 'exposed_infrastructure' : 'email_security',
            subject: `host-${n}.example.com`,
          }),
        ],
  );
}

type Scenario = { steps: Step[]; cap: number; excludeLow: boolean; unmarking: boolean };
const run = (inventory: (null | [number, boolean?])[], people: Step['people'] = [], loseState = false): Step => ({
  inventory: inventory.map((slot) => (slot === null ? null : { severity: slot[0], dismissed: slot[1] === true })),
  people,
  loseState,
});

/** Sequences that found bugs, kept as regressions (fast-check runs them first). */
const FOUND: [Scenario][] = [
  // Dismissed, closed by us, then the state lost twice and the dismissal undone: reopens (the label says it was ours).
  [
    {
      cap: 50,
      excludeLow: false,
      unmarking: false,
      steps: [
        run([[0], [0], [0], null, null, [0]], [], true),
        run([null, [0], null, [0], [0], [0, true]], [], true),
        run([[0], [0], [0], null, null, null], [], true),
        run([null, null, [0], [0], [0], [0]]),
      ],
    },
  ],
  // A person triaged it, then Cloudflare dismissed it and undid that: stays closed.
  [
    {
      cap: 50,
      excludeLow: false,
      unmarking: false,
      steps: [
        run([null, [0], [0], [0], [0], null], [], true),
        run([null, null, [0], [0, true], [0], [0]], [{ slot: 3, act: 'triage' }], true),
        run([null, [0], [0], [0], [0], null]),
      ],
    },
  ],
  // The reopen of an undone dismissal deferred by the write cap, with the state lost: done on the next run.
  [
    {
      cap: 5,
      excludeLow: false,
      unmarking: false,
      steps: [
        run([null, [0], [0], [0, true], [0], null], [], true),
        run([[0], [0], [1, true], null, [0], [0]], [], true),
        run([[0], [0], [0], [0], [1], [1]], [], true),
        run([[0], [0], [0], [0], [0], [0]]),
      ],
    },
  ],
  // A marker edited away while the write cap defers the rewrite, the insight gone meanwhile: written back later.
  [
    {
      cap: 2,
      excludeLow: false,
      unmarking: true,
      steps: [
        run([[0], [0], null, null, null, [0]]),
        run([null, [0], [1], null, [0], null], [{ slot: 0, act: 'unmark' }]),
        run([[0], null, [0], [0], [0], [3]]),
        run([[0], [0], [0], [0, true], [0, true], [3]]),
        run([[0], [0], null, [0], null, [0]]),
      ],
    },
  ],
  [
    {
      cap: 5,
      excludeLow: false,
      unmarking: true,
      steps: [
        run([null, [0], [0], [0, true], [1], [0]]),
        run([[0], [1, true], [0], [1], null, [0]], [{ slot: 2, act: 'unmark' }]),
        run([[0, true], [0, true], [0], [0], [0], [0]]),
      ],
    },
  ],
];

/** With group-by class: a class triaged at Moderate, its members lower for two runs (the state lost), then Moderate again: stays closed. */
const FOUND_CLASS: [Scenario][] = [
  [
    {
      cap: 50,
      excludeLow: false,
      unmarking: false,
      steps: [
        run([[0], [0], [0], [0], null, [1]], [], true),
        run([[0], null, [0], [0], null, [0]], [{ slot: 2, act: 'triage' }], true),
        run([[0], null, null, [0], [0], [0]], [], true),
        run([[0], null, [0], null, null, [1]]),
      ],
    },
  ],
];

/** The settings of one generated scenario: dismissed insights fetched, the cap and filter it drew. */
function modelSettings(cap: number, excludeLow: boolean, groupBy: 'insight' | 'class') {
  const raw: RawSettings = {
    'account-id': ACCOUNT,
    repository: 'acme/security',
    'github-token': 'ghs_model',
    'include-dismissed': 'true',
    'group-by': groupBy,
    'max-issue-writes': String(cap),
    'fail-on-severity': 'none',
    ...(excludeLow ? { 'exclude-severity': 'low' } : {}),
  };
  return parseSettings(raw, { cloudflare: false, github: true });
}

describe('the sync over random sequences of runs (engine, GitHub in memory)', () => {
  it('keeps one issue per insight, and open issues exactly the active, in-scope, untriaged insights', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ steps, cap, excludeLow }) => {
        const gh = new GithubModel();
        const store = memoryStore();
        const settings = modelSettings(cap, excludeLow, 'insight');
        /** Insight id -> the severity its issue showed when a person closed it as not planned. */
        const triaged = new Map<string, string>();
        const issueOf = (id: string) => gh.byOwner().get(id)?.[0];

        for (const [n, s] of steps.entries()) {
          // People first.
          for (const { slot, act } of s.people) {
            const number = issueOf(idOf(slot));
            const issue = number === undefined ? undefined : gh.issues.get(number);
            if (!issue) continue;
            // Not on an issue cf-insights closed for a dismissal that a person reopened: its label
            // still says "dismissed", so undoing the dismissal reopens it (a known limit: who
            // closed an issue is only in its timeline, which would cost a request per issue).
            if (act === 'triage' && issue.state === 'open' && !issue.labels.includes(DISMISSED_LABEL)) {
              gh.person(issue.number, { state: 'closed', stateReason: 'not_planned' });
              triaged.set(idOf(slot), issue.labels.find((l) => l.startsWith('severity:'))!.slice('severity:'.length));
            } else if (act === 'complete' && issue.state === 'open') {
              gh.person(issue.number, { state: 'closed', stateReason: 'completed' });
            } else if (act === 'reopen' && issue.state === 'closed') {
              gh.person(issue.number, { state: 'open', stateReason: 'reopened' });
              triaged.delete(idOf(slot));
            } else if (act === 'unmark' && issue.state === 'open') {
              gh.person(issue.number, { body: 'A person rewrote this issue.' });
            }
          }
          if (s.loseState) store.lose();

          const all = inventoryOf(s);
          const insights = applyFilters(all, settings.filters);
          const inventory: Inventory = { scope: SCOPE, insights, complete: true, count: insights.length, requests: 0, fetchedAt: '2026-01-01T00:00:00Z' };
          const result = await runEngine({ settings, scope: SCOPE, store, source: { kind: 'file', inventory }, tracker: gh.tracker(), log: silentLogger });
          expect(result.failure, `run ${n + 1}`).toBeUndefined();

          // A rise in severity ends a triage: the planner reopens the issue (this run, unless
          // the write cap defers it; a later run at a severity no higher leaves it closed).
          for (const i of insights) {
            const at = triaged.get(i.id);
            const reopened = gh.issues.get(issueOf(i.id) ?? 0)?.state === 'open';
            if (at !== undefined && !i.dismissed && severityRank(i.severity) > severityRank(at) && (result.pendingWrites === 0 || reopened))
              triaged.delete(i.id);
          }

          // One issue per insight that has been written.
          for (const [id, numbers] of gh.byOwner()) expect(numbers, `run ${n + 1}: issues of ${id}`).toHaveLength(1);

          if (result.pendingWrites === 0) {
            const expected = insights
              .filter((i) => !i.dismissed && !triaged.has(i.id))
              .map((i) => i.id)
              .sort();
            const openIssues = [...gh.issues.values()].filter((i) => i.state === 'open');
            expect(openIssues.map((i) => gh.owner.get(i.number)).sort(), `run ${n + 1}: open issues`).toEqual(expected);
            expect(
              openIssues.filter((i) => parseMarker(i.body)?.id !== gh.owner.get(i.number)),
              `run ${n + 1}: markers written back`,
            ).toEqual([]);
          }
        }
      }),
      { numRuns: RUNS, examples: FOUND },
    );
  });
  it('with group-by class: one issue per class, open exactly for the classes with an active, in-scope member, unless triaged', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ steps, cap, excludeLow }) => {
        const gh = new GithubModel();
        const store = memoryStore();
        const settings = modelSettings(cap, excludeLow, 'class');
        /** Class -> the severity its issue showed when a person closed it as not planned. */
        const triaged = new Map<string, string>();
        const issueOf = (cls: string) => gh.byOwner().get(`class:${cls}`)?.[0];

        for (const [n, s] of steps.entries()) {
          for (const { slot, act } of s.people) {
            const cls = classOf(slot);
            const number = issueOf(cls);
            const issue = number === undefined ? undefined : gh.issues.get(number);
            if (!issue) continue;
            if (act === 'triage' && issue.state === 'open') {
              gh.person(issue.number, { state: 'closed', stateReason: 'not_planned' });
              triaged.set(cls, issue.labels.find((l) => l.startsWith('severity:'))!.slice('severity:'.length));
            } else if (act === 'complete' && issue.state === 'open') {
              gh.person(issue.number, { state: 'closed', stateReason: 'completed' });
            } else if (act === 'reopen' && issue.state === 'closed') {
              gh.person(issue.number, { state: 'open', stateReason: 'reopened' });
              triaged.delete(cls);
            } else if (act === 'unmark' && issue.state === 'open') {
              gh.person(issue.number, { body: 'A person rewrote this issue.' });
            }
          }
          if (s.loseState) store.lose();

          const insights = applyFilters(inventoryOf(s), settings.filters);
          const inventory: Inventory = { scope: SCOPE, insights, complete: true, count: insights.length, requests: 0, fetchedAt: '2026-01-01T00:00:00Z' };
          const result = await runEngine({ settings, scope: SCOPE, store, source: { kind: 'file', inventory }, tracker: gh.tracker(), log: silentLogger });
          expect(result.failure, `run ${n + 1}`).toBeUndefined();

          const active = new Map<string, Insight[]>();
          for (const i of insights) if (!i.dismissed) active.set(i.issue_class, [...(active.get(i.issue_class) ?? []), i]);
          for (const [cls, members] of active) {
            const at = triaged.get(cls);
            const top = Math.max(...members.map((m) => severityRank(m.severity)));
            const reopened = gh.issues.get(issueOf(cls) ?? 0)?.state === 'open';
            if (at !== undefined && top > severityRank(at) && (result.pendingWrites === 0 || reopened)) triaged.delete(cls);
          }

          for (const [key, numbers] of gh.byOwner()) expect(numbers, `run ${n + 1}: issues of ${key}`).toHaveLength(1);
          if (result.pendingWrites === 0) {
            const expected = [...active.keys()]
              .filter((cls) => !triaged.has(cls))
              .map((cls) => `class:${cls}`)
              .sort();
            const openIssues = [...gh.issues.values()].filter((i) => i.state === 'open');
            expect(openIssues.map((i) => gh.owner.get(i.number)).sort(), `run ${n + 1}: open issues`).toEqual(expected);
            expect(
              openIssues.filter((i) => parseMarker(i.body)?.id !== gh.owner.get(i.number)),
              `run ${n + 1}: markers written back`,
            ).toEqual([]);
          }
        }
      }),
      { numRuns: RUNS, examples: FOUND_CLASS },
    );
  });
});

// Ownership (issue 11) -------------------------------------------------------------------

const OTHER_ACCOUNT = 'fedcba9876543210fedcba9876543210';
const SCOPES = [SCOPE, { kind: 'accounts' as const, id: OTHER_ACCOUNT }] as const;
/** Look-alikes of our labels, and a plain one: a person's, whatever they look like. */
const PERSON_LABELS = ['type:triage', 'severity:sev2', 'Severity:Urgent', 'needs-owner'] as const;

/** What people do between runs. */
const PERSON_ACTS = ['label', 'copy', 'triage', 'reopen', 'lock', 'transfer'] as const;

interface OwnStep {
  /** Per scope, per pool slot: absent, or present with a severity and a dismissed flag. */
  inventories: Step['inventory'][];
  people: { scope: number; slot: number; act: (typeof PERSON_ACTS)[number]; label: number }[];
  loseState: boolean;
}

const slots = fc.array(
  fc.oneof(
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 3, arbitrary: fc.record({ severity: fc.integer({ min: 0, max: 3 }), dismissed: fc.boolean() }) },
  ),
  { minLength: POOL, maxLength: POOL },
);
const ownStep: fc.Arbitrary<OwnStep> = fc.record({
  inventories: fc.tuple(slots, slots),
  people: fc.array(
    fc.record({
      scope: fc.integer({ min: 0, max: 1 }),
      slot: fc.integer({ min: 0, max: POOL - 1 }),
      act: fc.constantFrom(...PERSON_ACTS),
      label: fc.integer({ min: 0, max: PERSON_LABELS.length - 1 }),
    }),
    { maxLength: 3 },
  ),
  loseState: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
});

/**
 * A copy taken while the state is lost is, by the rule, the insight's issue if it is the
 * oldest open one with the marker (the original closed meanwhile): a scenario has copies
 * or lost states, as the other properties have edited markers or lost states.
 */
const ownScenario = fc.record({ steps: fc.array(ownStep, { minLength: 2, maxLength: 6 }), cap: fc.constantFrom(2, 5, 50), copying: fc.boolean() }).map((s) => ({
  ...s,
  steps: s.steps.map((st) => (s.copying ? { ...st, loseState: false } : { ...st, people: st.people.filter((p) => p.act !== 'copy') })),
}));

function settingsOf(scope: (typeof SCOPES)[number], cap: number) {
  return parseSettings(
    {
      'account-id': scope.id,
      repository: 'acme/security',
      'github-token': 'ghs_model',
      'include-dismissed': 'true',
      'max-issue-writes': String(cap),
      'fail-on-severity': 'none',
    },
    { cloudflare: false, github: true },
  );
}

describe('two scopes and the people of one repository, over random sequences of runs', () => {
  it('no write to an issue a scope does not own, no label of a person removed, one issue per active insight', async () => {
    await fc.assert(
      fc.asyncProperty(ownScenario, async ({ steps, cap }) => {
        const gh = new GithubModel();
        const scopes = SCOPES.map((scope) => ({
          key: `accounts/${scope.id}`,
          scope,
          store: memoryStore(),
          settings: settingsOf(scope, cap),
          /** Insight id -> the severity its issue showed when a person closed it as not planned. */
          triaged: new Map<string, string>(),
        }));
        const issueOf = (scope: string, id: string) => gh.byScopedOwner().get(`${scope}|${id}`)?.[0];

        for (const [n, s] of steps.entries()) {
          for (const { scope, slot, act, label } of s.people) {
            const sc = scopes[scope]!;
            const number = issueOf(sc.key, idOf(slot));
            const issue = number === undefined ? undefined : gh.issues.get(number);
            if (!issue) continue;
            if (act === 'label') gh.personLabel(issue.number, PERSON_LABELS[label]!);
            else if (act === 'lock') gh.personLock(issue.number);
            else if (act === 'transfer' && issue.state === 'open') gh.personTransfer(issue.number);
            else if (act === 'copy' && issue.state === 'open') gh.personCopy(issue.number);
            else if (act === 'triage' && issue.state === 'open' && !issue.labels.includes(DISMISSED_LABEL)) {
              gh.person(issue.number, { state: 'closed', stateReason: 'not_planned' });
              sc.triaged.set(idOf(slot), issue.labels.find((l) => SEVERITIES.some((v) => l === `severity:${v.toLowerCase()}`))!.slice('severity:'.length));
            } else if (act === 'reopen' && issue.state === 'closed') {
              gh.person(issue.number, { state: 'open', stateReason: 'reopened' });
              sc.triaged.delete(idOf(slot));
            }
          }

          for (const [k, sc] of scopes.entries()) {
            if (s.loseState) sc.store.lose();
            const insights = inventoryOf({ inventory: s.inventories[k]!, people: [], loseState: false });
            const inventory: Inventory = { scope: sc.scope, insights, complete: true, count: insights.length, requests: 0, fetchedAt: '2026-01-01T00:00:00Z' };
            const logged = gh.writeLog.length;
            const result = await runEngine({
              settings: sc.settings,
              scope: sc.scope,
              store: sc.store,
              source: { kind: 'file', inventory },
              tracker: gh.tracker(sc.key),
              log: silentLogger,
            });
            const at = `step ${n + 1}, ${sc.key}`;
            expect(result.failure, at).toBeUndefined();

            // No write to an issue this scope did not open: a person's copy, or the other scope's.
            const strays = gh.writeLog.slice(logged).filter((w) => gh.scopeOf.get(w.number) !== sc.key);
            expect(strays, `${at}: writes to issues it does not own`).toEqual([]);
            // No label a person added is removed.
            for (const [number, mine] of gh.personLabels) {
              const have = new Set(gh.issues.get(number)!.labels.map((l) => l.toLowerCase()));
              expect(
                [...mine].filter((l) => !have.has(l)),
                `${at}: labels of people on #${number}`,
              ).toEqual([]);
            }
            // One issue per insight and scope.
            for (const [key, numbers] of gh.byScopedOwner()) expect(numbers, `${at}: issues of ${key}`).toHaveLength(1);

            for (const i of insights) {
              const was = sc.triaged.get(i.id);
              const reopened = gh.issues.get(issueOf(sc.key, i.id) ?? 0)?.state === 'open';
              if (was !== undefined && !i.dismissed && severityRank(i.severity) > severityRank(was) && (result.pendingWrites === 0 || reopened))
                sc.triaged.delete(i.id);
            }
            // A transferred issue is found out when the run next writes to it (one 301), never written to again.
            for (const [number, tries] of gh.movedAttempts) expect(tries, `${at}: writes tried on moved #${number}`).toBe(1);
            if (result.pendingWrites === 0) {
              // An insight whose issue moved away unnoticed (no write to it since) has no issue here yet.
              const unnoticed = (id: string) => [...gh.moved.values()].includes(`${sc.key}|${id}`) && issueOf(sc.key, id) === undefined;
              const expected = insights
                .filter((i) => !i.dismissed && !sc.triaged.has(i.id) && !unnoticed(i.id))
                .map((i) => i.id)
                .sort();
              const open = [...gh.issues.values()].filter(
                (i) => i.state === 'open' && gh.scopeOf.get(i.number) === sc.key && !unnoticed(gh.owner.get(i.number)!),
              );
              expect(open.map((i) => gh.owner.get(i.number)).sort(), `${at}: open issues`).toEqual(expected);
            }
          }
        }
      }),
      { numRuns: Math.max(1, Math.floor(RUNS / 2)) },
    );
  });
});
