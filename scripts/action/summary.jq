# Markdown job summary for a guardrail secrets SARIF log.
# Args: $title (what was scanned), $failed ("1" when the step fails on these findings).
# Secrets are already redacted in the SARIF; nothing here un-redacts them.
def cell: tostring | gsub("[|]"; "\\|") | gsub("[\r\n]+"; " ");
def code: "`" + (cell | gsub("`"; "'")) + "`";
def loc: .locations[0].physicalLocation as $p
  | ($p.artifactLocation.uri // "?") + ":" + (($p.region.startLine // 0) | tostring);
# Job summaries are capped at 1 MiB: list the first rows, count the rest.
200 as $max
| [.runs[].results[]?] as $r
| "### guardrail: \($title)\n\n"
  + if ($r | length) == 0 then "No secrets found.\n"
    else
      "**\($r | length) finding(s)**" + (if $failed == "1" then " (this step fails on them)" else "" end) + ".\n\n"
      + "| Severity | Rule | Location | Commit | Secret |\n| --- | --- | --- | --- | --- |\n"
      + ($r[:$max] | map(
          "| \(.properties.severity // .level // "" | cell) | \(.ruleId | code) | \(loc | code) | \((.properties.commit // "")[:12] | cell) | \(.properties.secret // "" | code) |"
        ) | join("\n")) + "\n"
      + (if ($r | length) > $max then "\n… and \(($r | length) - $max) more in the SARIF report.\n" else "" end)
      + "\nNot a secret? Add `guardrail:allow` in a comment on the line, put the fingerprint in `.guardrailignore`, or record it in a baseline (`--write-baseline`, then `--baseline`).\n"
    end
