#!/usr/bin/env bash
# Run one guardrail command the way a GitHub workflow wants it: reports under
# $RUNNER_TEMP, a markdown job summary, `sarif-file` (and friends) in
# $GITHUB_OUTPUT, and guardrail's exit code (0 clean, 1 findings, 2 error).
#
# Composite actions do not export INPUT_* variables, so action.yml maps each
# input to one of these explicitly (and passes event fields through `env:`,
# never by interpolating them into the script):
#   GUARDRAIL_COMMAND         secrets-pr | secrets-history | deps-review | sbom | workflows | image
#   GUARDRAIL_IMAGE_TAR       for image: the `docker save` tarball or OCI layout to scan
#   GUARDRAIL_FAIL_ON         low | medium | high | critical | any | none (empty: guardrail's default)
#   GUARDRAIL_SARIF_CATEGORY  replaces runs[].automationDetails.id in the SARIF
#   GUARDRAIL_ARGS            extra arguments; quotes are honoured, nothing is expanded
#   GUARDRAIL_BIN             the binary (default: `guardrail` on PATH)
#   GUARDRAIL_BASE, GUARDRAIL_HEAD   the PR's base and head commits; when empty they
#                             are read from $GITHUB_EVENT_PATH (pull_request, merge_group, push)
#   GUARDRAIL_OUT_DIR         where reports go (default: $RUNNER_TEMP/guardrail)
#   GUARDRAIL_DB              advisory database for deps-review (default: $RUNNER_TEMP/guardrail-db,
#                             filled by `guardrail db update` unless GUARDRAIL_DB_UPDATE=false;
#                             GUARDRAIL_ECOSYSTEMS="crates.io npm" limits what it fetches)
# Runs in $GITHUB_WORKSPACE (or the current directory).
set -euo pipefail

if ((BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1] < 404)); then
  echo "guardrail action: needs bash 4.4 or newer (this is $BASH_VERSION)" >&2
  exit 2
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=${GUARDRAIL_BIN:-guardrail}
cmd=${GUARDRAIL_COMMAND:-}
fail_on=$(printf '%s' "${GUARDRAIL_FAIL_ON:-}" | tr '[:upper:]' '[:lower:]')
category=${GUARDRAIL_SARIF_CATEGORY:-}
out=${GUARDRAIL_OUT_DIR:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/guardrail}
summary=${GITHUB_STEP_SUMMARY:-}

say() { printf '%s\n' "$*" >&2; }
# One clear message (plain on stderr, an annotation for the run page, and in
# the job summary), then exit 2: an input error, not a finding.
die() {
  say "guardrail action: $1"
  local one_line=${1//$'\n'/ }
  printf '::error title=guardrail %s::%s\n' "$cmd" "$one_line"
  if [[ -n $summary ]]; then printf '### guardrail %s: error\n\n%s\n' "$cmd" "$1" >>"$summary"; fi
  exit 2
}
output() {
  if [[ -n ${GITHUB_OUTPUT:-} ]]; then printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"; fi
}
# The job summary; outside Actions it goes to stderr.
to_summary() {
  if [[ -n $summary ]]; then cat >>"$summary"; else cat >&2; fi
}
have_jq() { command -v jq >/dev/null; }

cd "${GITHUB_WORKSPACE:-.}"
command -v "$bin" >/dev/null || die "guardrail binary '$bin' not found (GUARDRAIL_BIN)"

case $fail_on in
'' | none | any | low | medium | high | critical) ;;
*) die "fail-on '$fail_on' is not one of low, medium, high, critical, any, none" ;;
esac

# Split GUARDRAIL_ARGS like a shell would, quotes included, without eval:
# xargs honours quotes and backslashes and expands nothing.
extra=()
GUARDRAIL_ARGS=${GUARDRAIL_ARGS:-}
if [[ -n ${GUARDRAIL_ARGS//[[:space:]]/} ]]; then
  argv=$(mktemp)
  printf '%s' "$GUARDRAIL_ARGS" | xargs printf '%s\0' >"$argv" 2>/dev/null ||
    die "args: unbalanced quotes in: $GUARDRAIL_ARGS"
  mapfile -d '' -t extra <"$argv"
  rm -f "$argv"
fi

is_sha() { [[ $1 =~ ^[0-9a-f]{40}([0-9a-f]{24})?$ ]]; }

# The PR's base and head: from the environment (action.yml passes the
# pull_request event's SHAs), else from the event payload.
resolve_range() {
  base=${GUARDRAIL_BASE:-}
  head=${GUARDRAIL_HEAD:-}
  local event=${GITHUB_EVENT_PATH:-}
  if [[ (-z $base || -z $head) && -n $event && -f $event ]]; then
    have_jq || die "jq is needed to read $event (or set GUARDRAIL_BASE and GUARDRAIL_HEAD)"
    # push: `before` is all zeros for a new branch, which has no base.
    [[ -n $base ]] || base=$(jq -r '.pull_request.base.sha // .merge_group.base_sha
        // (.before | select(. != null and (test("^0+$") | not))) // empty' "$event")
    [[ -n $head ]] || head=$(jq -r '.pull_request.head.sha // .merge_group.head_sha // .after // empty' "$event")
  fi
  if [[ -z $base || -z $head ]]; then
    die "$cmd needs the base and head commits of a pull request: run it on a pull_request (or push / merge_group) event, or set GUARDRAIL_BASE and GUARDRAIL_HEAD. For a whole-history scan use command: secrets-history."
  fi
  is_sha "$base" || die "base '$base' is not a commit id"
  is_sha "$head" || die "head '$head' is not a commit id"
  git rev-parse --git-dir >/dev/null 2>&1 || die "$PWD is not a git repository: check out the repository first (actions/checkout)"
  local missing=()
  git cat-file -e "$base^{commit}" 2>/dev/null || missing+=("base $base")
  git cat-file -e "$head^{commit}" 2>/dev/null || missing+=("head $head")
  if ((${#missing[@]})); then
    local shallow
    shallow=$(git rev-parse --is-shallow-repository 2>/dev/null || echo unknown)
    die "the pull request's ${missing[*]} is not in this clone (shallow clone: $shallow). guardrail reads the commits between base and head from git history, and actions/checkout fetches a single commit by default. Fix: give actions/checkout 'fetch-depth: 0' (with: fetch-depth: 0), or fetch the base branch's history before this step."
  fi
}

severity_rank() {
  case $1 in low) echo 1 ;; medium) echo 2 ;; high) echo 3 ;; critical) echo 4 ;; *) echo 0 ;; esac
}

# Secrets have no --fail-on of their own: apply the threshold to the SARIF
# results (properties.severity), keeping guardrail's code for errors.
secrets_gate() {
  local sarif=$1 rc=$2
  case $fail_on in
  low | medium | high | critical)
    if ((rc > 1)); then
      echo "$rc"
    elif have_jq; then
      jq --argjson min "$(severity_rank "$fail_on")" '
        def rank: {"low":1,"medium":2,"high":3,"critical":4}[.] // 4;
        [.runs[].results[]? | select((.properties.severity // "critical") | rank >= $min)]
        | if length > 0 then 1 else 0 end' "$sarif"
    else
      say "guardrail action: jq not found, fail-on $fail_on not applied"
      echo "$rc"
    fi
    ;;
  none) if ((rc > 1)); then echo "$rc"; else echo 0; fi ;;
  *) echo "$rc" ;;
  esac
}

mkdir -p "$out"
rc=0
sarif=""
case $cmd in
secrets-pr)
  resolve_range
  sarif="$out/secrets-pr.sarif"
  say "guardrail action: secrets in the commits ${base:0:12}..${head:0:12}"
  "$bin" secrets --git --range "$base..$head" --format sarif -o "$sarif" "${extra[@]}" || rc=$?
  title="secrets added by this pull request"
  ;;
secrets-history)
  git rev-parse --git-dir >/dev/null 2>&1 || die "$PWD is not a git repository: check out the repository first (actions/checkout)"
  if [[ $(git rev-parse --is-shallow-repository) == true ]]; then
    printf '::warning title=guardrail secrets-history::shallow clone: only the fetched commits are scanned; give actions/checkout fetch-depth: 0 for the full history\n'
  fi
  sarif="$out/secrets-history.sarif"
  "$bin" secrets --git --format sarif -o "$sarif" "${extra[@]}" || rc=$?
  title="secrets in the git history"
  ;;
deps-review)
  resolve_range
  export GUARDRAIL_DB=${GUARDRAIL_DB:-${RUNNER_TEMP:-$out}/guardrail-db}
  if [[ ${GUARDRAIL_DB_UPDATE:-true} != false ]]; then
    ecos=()
    for e in ${GUARDRAIL_ECOSYSTEMS:-}; do ecos+=(--ecosystem "$e"); done
    "$bin" db update --db "$GUARDRAIL_DB" "${ecos[@]}" >&2 || die "guardrail db update failed: cannot fetch the advisory database into $GUARDRAIL_DB"
  fi
  sarif="$out/deps-review.sarif"
  gate=()
  case $fail_on in '' | none) ;; *) gate=(--fail-on "$fail_on") ;; esac
  # deps review appends its own markdown table to the job summary.
  if [[ -n ${GITHUB_STEP_SUMMARY:-} ]]; then gate+=(--step-summary); fi
  "$bin" deps review --base "$base" --head "$head" --db "$GUARDRAIL_DB" "${gate[@]}" \
    --format sarif -o "$sarif" "${extra[@]}" || rc=$?
  ;;
workflows)
  sarif="$out/workflows.sarif"
  gate=()
  case $fail_on in '' | none | any) ;; *) gate=(--fail-on "$fail_on") ;; esac
  "$bin" workflows --format sarif -o "$sarif" "${gate[@]}" "${extra[@]}" || rc=$?
  title="workflow audit"
  ;;
image)
  tarball=${GUARDRAIL_IMAGE_TAR:-}
  [[ -n $tarball ]] || die "command image needs the image-tar input: the file \`docker save IMAGE -o FILE\` wrote (or an OCI layout directory)"
  [[ -e $tarball ]] || die "image-tar '$tarball' does not exist (run \`docker save IMAGE -o $tarball\` first)"
  export GUARDRAIL_DB=${GUARDRAIL_DB:-${RUNNER_TEMP:-$out}/guardrail-db}
  if [[ ${GUARDRAIL_DB_UPDATE:-true} != false ]]; then
    ecos=${GUARDRAIL_ECOSYSTEMS:-Debian,Ubuntu,Alpine,PyPI,npm,Go,crates.io,RubyGems}
    "$bin" db update --db "$GUARDRAIL_DB" --ecosystem "${ecos// /,}" >&2 || die "guardrail db update failed: cannot fetch the advisory database into $GUARDRAIL_DB"
  fi
  sarif="$out/image.sarif"
  gate=()
  case $fail_on in '' | any) ;; *) gate=(--fail-on "$fail_on") ;; esac
  if [[ -n ${GITHUB_STEP_SUMMARY:-} ]]; then gate+=(--step-summary); fi
  "$bin" image "$tarball" --db "$GUARDRAIL_DB" "${gate[@]}" --format sarif -o "$sarif" "${extra[@]}" || rc=$?
  ;;
sbom)
  target="$out/sbom"
  rm -rf "$target" "$out/sbom.cdx.json"
  "$bin" sbom -o "$target" "${extra[@]}" || rc=$?
  # One lockfile (or --merge) gives a file, several give a directory.
  if [[ -f $target ]]; then
    mv "$target" "$out/sbom.cdx.json"
    target="$out/sbom.cdx.json"
  fi
  if [[ -e $target ]]; then
    output sbom "$target"
    {
      printf '### guardrail: CycloneDX SBOM\n\n| SBOM | components |\n| --- | --- |\n'
      find "$target" -name '*.json' -type f | sort | while read -r f; do
        n=$(if have_jq; then jq '.components | length' "$f"; else echo '?'; fi)
        # shellcheck disable=SC2016 # the backticks are markdown
        printf '| `%s` | %s |\n' "${f#"$out"/}" "$n"
      done
    } | to_summary
  fi
  output exit-code "$rc"
  exit "$rc"
  ;;
'') die "no command given: set the action's 'command' input (secrets-pr, secrets-history, deps-review, sbom, workflows, image)" ;;
*) die "unknown command '$cmd': expected secrets-pr, secrets-history, deps-review, sbom, workflows or image" ;;
esac

if [[ -f $sarif ]]; then
  if [[ -n $category ]]; then
    have_jq || die "jq is needed to set sarif-category"
    jq --arg id "$category" '.runs |= map(.automationDetails.id = $id)' "$sarif" >"$sarif.tmp"
    mv "$sarif.tmp" "$sarif"
  fi
  output sarif-file "$sarif"
  if have_jq; then
    output sarif-category "$(jq -r '.runs[0].automationDetails.id // empty' "$sarif")"
    findings=$(jq '[.runs[].results[]?] | length' "$sarif")
  else
    findings=$(grep -c '"ruleId"' "$sarif" || true)
  fi
  output findings "$findings"
  if [[ $cmd == secrets-* ]]; then
    rc=$(secrets_gate "$sarif" "$rc")
    if have_jq; then
      jq -r --arg title "$title" --arg failed "$rc" -f "$here/summary.jq" "$sarif" | to_summary
    else
      printf '### guardrail: %s\n\n%s finding(s); see the SARIF report.\n' "$title" "$findings" | to_summary
    fi
  elif [[ $cmd == workflows ]]; then
    {
      printf '### guardrail: %s\n\n%s finding(s)\n' "$title" "$findings"
      if have_jq && ((findings > 0)); then
        printf '\n| where | rule | finding |\n| --- | --- | --- |\n'
        jq -r '.runs[].results[]? | "| `\(.locations[0].physicalLocation.artifactLocation.uri):\(.locations[0].physicalLocation.region.startLine)` | \(.ruleId) | \(.message.text | gsub("\\|"; "\\\\|")) |"' "$sarif"
      fi
    } | to_summary
  fi
fi

if ((rc >= 2)); then
  printf '\n**guardrail stopped with an error (exit %s); see the step log.**\n' "$rc" | to_summary
elif [[ $fail_on == none ]]; then
  rc=0
fi
output exit-code "$rc"
exit "$rc"
