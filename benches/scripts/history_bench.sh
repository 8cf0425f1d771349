#!/usr/bin/env bash
# Full-history scan benchmark on one repository, everything measured in the
# same run: the `git cat-file` floor, guardrail, and the peers that are
# installed (kingfisher, betterleaks, gitleaks from /work/venv).
#
#   benches/scripts/history_bench.sh /tmp/hist-a [path/to/guardrail]
#
# BEFORE=path/to/other/guardrail also runs that binary (a baseline build) in
# the same run and checks that both report the same findings (the JSON
# reports without their durations). RUNS=N measures guardrail N times.
#
# Generate histories with benches/scripts/history_gen.py (into /tmp).
# Prints one markdown row per tool: wall and CPU seconds with their ratios
# to the cat-file floor, peak RSS, and MB/s of distinct blob content.
set -euo pipefail
repo=${1:?usage: history_bench.sh REPO [GUARDRAIL]}
guardrail=${2:-target/release/guardrail}
venv=${VENV:-/work/venv}
peers=${PEERS:-/work/peers}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

blob_bytes=$(git -C "$repo" cat-file --batch-all-objects --batch-check='%(objecttype) %(objectsize)' |
  awk '$1=="blob"{s+=$2} END{print s+0}')
blobs=$(git -C "$repo" cat-file --batch-all-objects --batch-check='%(objecttype)' | grep -c '^blob$' || true)
commits=$(git -C "$repo" rev-list --all --count)
echo "repo: $repo  commits: $commits  distinct blobs: $blobs  blob bytes: $blob_bytes"

# measure NAME CMD...: wall seconds and max RSS via /usr/bin/time -v.
measure() {
  local name=$1; shift
  /usr/bin/time -v -o "$out/time" "$@" >"$out/stdout" 2>"$out/stderr" || true
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$out/time" |
    awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(awk -F': ' '/Maximum resident set size/{print $2}' "$out/time")
  cpu=$(awk -F': ' '/User time|System time/{s+=$2} END{print s}' "$out/time")
  echo "$name $wall $rss $cpu"
}

# Warm the page cache so every tool reads from memory.
git -C "$repo" cat-file --batch-all-objects --batch --unordered >/dev/null

rows=()
floor=$(measure cat-file sh -c "git -C '$repo' cat-file --batch-all-objects --batch --unordered > /dev/null")
rows+=("$floor")
for _ in $(seq "${RUNS:-1}"); do
  rows+=("$(measure guardrail "$guardrail" secrets --git --quiet --format json -o "$out/g.json" "$repo")")
  if [ -n "${BEFORE:-}" ]; then
    rows+=("$(measure guardrail-before "$BEFORE" secrets --git --quiet --format json -o "$out/g0.json" "$repo")")
  fi
done
if [ "${WHOLE:-0}" = 1 ]; then
  rows+=("$(measure guardrail-whole "$guardrail" secrets --git --no-delta-scan --quiet --format json -o "$out/gw.json" "$repo")")
fi
# Peers: the real binaries (symlinked in $peers), not the pip wrappers.
bl=$(ls "$peers/betterleaks" "$venv/bin/betterleaks" 2>/dev/null | head -1 || true)
if [ -n "$bl" ]; then
  rows+=("$(measure betterleaks "$bl" git --no-banner -o "$out/b.json" "$repo")")
fi
gl=$(ls "$peers/gitleaks" "$venv/bin/gitleaks" 2>/dev/null | head -1 || true)
if [ -n "$gl" ]; then
  rows+=("$(measure gitleaks "$gl" git --no-banner --report-format json --report-path "$out/l.json" "$repo")")
fi
kf=$(ls "$peers/kingfisher" "$venv"/lib/python*/site-packages/kingfisher/bin/kingfisher 2>/dev/null | head -1 || true)
if [ -n "$kf" ]; then
  rows+=("$(measure kingfisher "$kf" scan "$repo" --git-history full --format json --no-update-check -o "$out/k.json")")
fi

floor_s=$(echo "$floor" | awk '{print $2}')
echo
floor_cpu=$(echo "$floor" | awk '{print $4}')
# CPU seconds (user + sys) next to wall time: on a shared machine wall time
# includes waiting for a core, CPU time does not.
echo "| tool | wall s | x cat-file | CPU s | x cat-file CPU | peak RSS MiB | distinct-blob MB/s |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for r in "${rows[@]}"; do
  echo "$r" | awk -v bytes="$blob_bytes" -v floor="$floor_s" -v fcpu="$floor_cpu" \
    '{ printf "| %s | %.2f | %.2f | %.2f | %.2f | %.0f | %.0f |\n", $1, $2, $2/floor, $4, $4/fcpu, $3/1024, bytes/1e6/$2 }'
done
echo
count() { python3 -c 'import json,sys
try:
    d = json.load(open(sys.argv[1]))
except Exception:
    print("?"); sys.exit()
if isinstance(d, dict):
    d = d.get("findings", d.get("matches", []))
print(len(d))' "$1"; }
if [ -n "${BEFORE:-}" ]; then
  if diff <(grep -v '"duration_ms"' "$out/g0.json") <(grep -v '"duration_ms"' "$out/g.json") >/dev/null; then
    echo "guardrail and guardrail-before: identical reports"
  else
    echo "guardrail and guardrail-before: REPORTS DIFFER"
  fi
fi
echo "findings: guardrail $(count "$out/g.json"), betterleaks $(count "$out/b.json"), gitleaks $(count "$out/l.json"), kingfisher $(count "$out/k.json")"
