import { VERSION } from '../version.js';

const COMMON = `Cloudflare settings (flags, or the environment):
  --account-id ID          32 hex characters        (CLOUDFLARE_ACCOUNT_ID)
  --zone-id ID             a zone instead            (CLOUDFLARE_ZONE_ID)
  API token                                          (CLOUDFLARE_API_TOKEN)
  legacy key                                         (CLOUDFLARE_EMAIL + CLOUDFLARE_API_KEY)
  API base URL                                       (CLOUDFLARE_API_BASE_URL)
Filters:
  --severity LIST          include: low,moderate,high,critical
  --exclude-severity LIST  applied after the include list
  --issue-type LIST        include: compliance_violation,email_security,exposed_infrastructure,
                           insecure_configuration,weak_authentication,configuration_suggestion
  --exclude-issue-type LIST
  --include-dismissed      also fetch insights dismissed in Cloudflare
Budget:
  --plan free|pro|business|enterprise   100 requests a month, or 2,500 for enterprise
  --budget N               an explicit monthly request budget
  --state FILE             state file (default $XDG_STATE_HOME/cf-insights/<scope>.json)
Output:
  --config FILE            JSON or YAML with the same setting names (no secrets)
  --quiet, -q              no progress or notes     --verbose, -v   debug lines and stack traces
Exit codes: 0 ok, 1 threshold breached, 2 invalid settings or usage, 3 remote API failure,
4 request budget exhausted.`;

export const HELP: Record<string, string> = {
  main: `cf-insights ${VERSION}: Cloudflare Security Insights as reports and GitHub issues

Usage: cf-insights <command> [flags]

Commands:
  report     fetch the insights and print them (table, json, ndjson, csv, markdown, sarif, ocsf)
  sync       open, update and close one GitHub issue per insight (same engine as the action)
  quota      requests used and left this month, and whether a schedule fits
  validate   check the settings and show what would be requested, without a request

Run cf-insights <command> --help for its flags.`,
  report: `Usage: cf-insights report [flags]

Fetches the complete inventory of insights and prints it.
  --format, -f FORMAT      table (default), json, ndjson, csv, markdown, sarif, ocsf
  --output, -o FILE        write to FILE instead of stdout
  --from-file FILE         read a saved inventory (the json format) instead: no request
  --new-only               only insights not seen in an earlier run (uses the state file)
  --no-save                leave the state file alone
  --fail-on SEVERITY       exit 1 if an insight is at or above it (default: none)

${COMMON}`,
  sync: `Usage: cf-insights sync --repo owner/name [flags]

Opens, updates, closes and reopens one GitHub issue per insight, like the action.
GitHub token: GITHUB_TOKEN or GH_TOKEN (needs issues: write). API: GITHUB_API_URL.
  --repo owner/name        the repository that holds the issues
  --labels LIST            labels for every issue (default cloudflare-insight)
  --assignees LIST         logins assigned to new issues
  --group-by insight|class one issue per insight (default), or per class with a checklist
  --no-close-resolved      leave issues open when their insight is gone
  --max-issue-writes N     cap on GitHub writes per run (default 50); the rest waits
  --dry-run                print the plan and write nothing (works without a GitHub token)
  --from-file FILE         use a saved inventory instead of Cloudflare
  --fail-on SEVERITY       exit 1 on an untriaged insight at or above it (default critical; none)
  --fail-on-scope open|new open: any untriaged insight; new: first seen this run
  --json                   print the result object on stdout
  --watch --cron EXPR      stay up and run on the schedule (a 6-field cron with seconds is
                           accepted here); SIGINT/SIGTERM stop after the current write
  --no-save                leave the state file alone

${COMMON}`,
  quota: `Usage: cf-insights quota [--plan free] [--budget N] [--cron EXPR] [--state FILE] [--json]

Shows requests used and left this month and the reset date; with --cron, the runs a month,
the projected requests (from the last known inventory size) and the densest schedule that fits.

${COMMON}`,
  validate: `Usage: cf-insights validate [flags] [--config FILE]

Checks the settings (flags, environment, config file) and prints what would be requested.
Makes no request. Exit 0 when valid, 2 otherwise.

${COMMON}`,
};
