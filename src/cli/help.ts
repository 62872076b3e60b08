import { VERSION } from '../version.js';

const SCOPE = `Cloudflare (flags, or the environment):
  --account-id ID          32 hex characters          (CLOUDFLARE_ACCOUNT_ID)
  --zone-id ID             one zone instead           (CLOUDFLARE_ZONE_ID)
  API token                Account:Read + Security Center:Read (CLOUDFLARE_API_TOKEN)
  legacy key               used only without a token  (CLOUDFLARE_EMAIL + CLOUDFLARE_API_KEY)
  API base URL             for proxies and tests      (CLOUDFLARE_API_BASE_URL)`;

const FILTERS = `Filters (lists: comma separated, case-insensitive):
  --severity LIST          include: low, moderate, high, critical
  --exclude-severity LIST  applied after the include list
  --issue-type LIST        include: compliance_violation, email_security, exposed_infrastructure,
                           insecure_configuration, weak_authentication, configuration_suggestion
  --exclude-issue-type LIST
  --include-dismissed      also fetch insights dismissed in Cloudflare`;

const BUDGET = `Budget and state:
  --plan PLAN              free (default), pro, business: 100 requests a month; enterprise: 2,500
  --budget N               an explicit monthly request budget
  --state FILE             state file (default $XDG_STATE_HOME/cf-insights/<scope>[.<owner>.<repo>].json,
                           else ~/.local/state/cf-insights/...; a sync's names its repository)`;

const GENERAL = `General:
  --config FILE            JSON or YAML settings, by input or flag name (repository or repo);
                           no secrets. See examples/cf-insights.yaml
  --quiet, -q              no progress or notes on stderr
  --verbose                debug lines and stack traces on stderr
  --help, -h               this help (also: cf-insights help <command>)
  --version, -V, -v        the version
  --color WHEN             always, never, or auto (default): NO_COLOR, then FORCE_COLOR,
                           then colour only when stdout is a terminal

Machine output goes to stdout (also with -o -), everything else to stderr. Progress shows
only when stderr is a terminal.
Exit codes: 0 ok, 1 threshold breached, 2 invalid settings or usage, 3 remote API failure,
4 request budget exhausted, 70 internal error (a bug: please report it with --verbose output).`;

export const HELP: Record<string, string> = {
  main: `cf-insights ${VERSION}: Cloudflare Security Insights as reports and GitHub issues

Usage: cf-insights <command> [flags]

Commands:
  report     fetch the insights and print them (table, json, ndjson, csv, markdown, sarif, ocsf)
  sync       open, update and close one GitHub issue per insight (same engine as the action)
  quota      requests used and left this month, and whether a schedule fits
  validate   check the settings and show what would be requested, without a request

Run cf-insights help <command> (or cf-insights <command> --help) for its flags.

Examples:
  $ cf-insights report --from-file samples/inventory.json
  $ CLOUDFLARE_API_TOKEN=... cf-insights report --account-id 0123456789abcdef0123456789abcdef
  $ cf-insights help sync`,
  report: `Usage: cf-insights report [flags]

Fetches the complete inventory of insights and prints it.
  --format, -f FORMAT      table (default), json, ndjson, csv, markdown, sarif, ocsf
  --sarif-category NAME    sarif: the code scanning category (runs[].automationDetails.id),
                           so uploads of several accounts or zones do not replace each other
  --output, -o FILE        write to FILE instead of stdout (- is stdout)
  --from-file FILE         read a saved inventory (the json format) instead: no request
  --new-only               only insights not seen by an earlier report (records them in the state)
  --no-save                leave the state file alone
  --fail-on SEVERITY       exit 1 if an insight is at or above it (default: none)

${SCOPE}
${FILTERS}
${BUDGET}
${GENERAL}

Examples:
  # the bundled sample, no request and no credentials
  $ cf-insights report --from-file samples/inventory.json
  # High and Critical insights of an account (CLOUDFLARE_API_TOKEN in the environment)
  $ cf-insights report --account-id 0123456789abcdef0123456789abcdef --severity high,critical
  $ cf-insights report --account-id 0123456789abcdef0123456789abcdef -f sarif -o insights.sarif
  $ cf-insights report --from-file samples/inventory.json -f json -o - | jq length`,
  sync: `Usage: cf-insights sync --repo owner/name [flags]

Opens, updates, closes and reopens one GitHub issue per insight, like the action.
GitHub token: GH_TOKEN, else GITHUB_TOKEN, as in gh (needs issues: write). API: GITHUB_API_URL.
  --repo owner/name        the repository that holds the issues
  --labels LIST            labels for every issue (default cloudflare-insight)
  --assignees LIST         logins assigned to new issues
  --group-by insight|class one issue per insight (default), or per class with a checklist
  --no-close-resolved      leave issues open when their insight is gone
  --max-issue-writes N     cap on GitHub writes per run (default 50); the rest waits
  --dry-run                print the plan as a table and write no issue (works without a
                           GitHub token; only the month's request ledger is saved)
  --from-file FILE         use a saved inventory instead of Cloudflare
  --fail-on SEVERITY       exit 1 on an untriaged insight at or above it (default critical; none)
  --fail-on-scope open|new open: any untriaged insight; new: first seen this run
  --json                   print the result object on stdout (one line per run with --watch)
  --watch --cron EXPR      stay up and run on the schedule, UTC (a 6-field cron with seconds
                           is accepted here); one run at a time. SIGINT/SIGTERM: the current
                           write finishes and the state is saved; a second signal stops at once
  --no-save                leave the state file alone

${SCOPE}
${FILTERS}
${BUDGET}
${GENERAL}

Examples:
  # what would be opened, without a GitHub token and without writing
  $ cf-insights sync --from-file samples/inventory.json --repo acme/security --dry-run --fail-on none
  $ GH_TOKEN=... cf-insights sync --account-id 0123456789abcdef0123456789abcdef --repo acme/security
  $ cf-insights sync --repo acme/security --watch --cron "0 */8 * * *"`,
  quota: `Usage: cf-insights quota [--plan free] [--budget N] [--cron EXPR [--check]] [--state FILE] [--json]

Shows requests used and left this month and the reset date, from the state file of the
account or zone (or --state FILE); with --cron, the runs a month, the projected requests
(from the last known inventory size), how many fetches can see a new scan (Cloudflare
rescans Free every 7 days, Pro and Business every 3, Enterprise daily: give --plan), and
the densest schedule that fits and whose every fetch can see a new scan. No request.
  --cron EXPR              a 5-field cron (UTC), as in a GitHub Actions schedule
  --check                  exit 1 when a month of the --cron schedule does not fit the budget
  --json                   print the result object on stdout
  --account-id ID, --zone-id ID   which default state file to read

${BUDGET}
${GENERAL}

Examples:
  $ cf-insights quota --account-id 0123456789abcdef0123456789abcdef
  # in CI: fail when a schedule would spend more than the budget
  $ cf-insights quota --plan free --cron "0 * * * *" --check`,
  validate: `Usage: cf-insights validate [flags] [--config FILE]

Checks the settings (flags, environment, config file) and prints what would be requested.
Makes no request. Exit 0 when valid, 2 otherwise. With --repo, the sync settings too.
  --cron EXPR              check a schedule against the budget
  --json                   print the checked settings as an object on stdout
  --repo, --labels, --assignees, --group-by, --max-issue-writes, --no-close-resolved,
  --dry-run, --fail-on, --fail-on-scope: as for sync

${SCOPE}
${FILTERS}
  --plan PLAN, --budget N  as for report
${GENERAL}

Examples:
  $ cf-insights validate --config examples/cf-insights.yaml
  $ cf-insights validate --account-id 0123456789abcdef0123456789abcdef --repo acme/security --dry-run --json`,
};
