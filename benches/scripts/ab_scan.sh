#!/bin/bash
# Alternate `guardrail secrets` runs of several binaries on one directory, so
# load on a shared machine hits them alike; prints mean/min wall and CPU
# (user+sys) seconds per binary.
# Usage: ab_scan.sh DIR RUNS BIN...
set -u
dir=$1; runs=$2; shift 2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for _ in $(seq "$runs"); do
  for b in "$@"; do
    /usr/bin/time -f "%e %U %S" -o "$tmp/t" "$b" secrets "$dir" --format json -o "$tmp/out.json" --quiet >/dev/null 2>&1
    echo "$b $(tail -1 "$tmp/t")"
  done
done | awk '{w[$1]+=$2; c[$1]+=$3+$4; n[$1]++
  if (!($1 in mw) || $2 < mw[$1]) mw[$1] = $2
  if (!($1 in mc) || $3+$4 < mc[$1]) mc[$1] = $3+$4}
  END {for (k in n) printf "%s: %d runs, wall mean %.3f min %.2f, cpu mean %.3f min %.2f\n", k, n[k], w[k]/n[k], mw[k], c[k]/n[k], mc[k]}'
