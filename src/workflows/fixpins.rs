//! `guardrail workflows --fix-pins`: rewrite `uses: owner/repo@tag` into
//! `uses: owner/repo@<sha> # <version>` from the pin table, editing only the
//! value and its trailing comment on that line.

use super::model::{self, is_full_sha, FileKind, Uses};
use super::pins::PinTable;
use super::yaml::{self, Entry, Lines, Node, Style};

/// One proposed change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub line: usize,
    pub old: String,
    pub new: String,
    /// The `uses:` value before and after.
    pub from: String,
    pub to: String,
    pub version: String,
}

/// A tag-pinned action the table has no pin for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved {
    pub line: usize,
    pub uses: String,
}

#[derive(Debug, Default)]
pub struct Plan {
    pub edits: Vec<Edit>,
    pub unresolved: Vec<Unresolved>,
}

fn uses_entries<'a>(root: &'a Node, kind: FileKind, out: &mut Vec<&'a Entry>) {
    for (job, steps) in model::step_groups(root, kind) {
        if let Some(e) = job.and_then(|j| j.uses()) {
            out.push(e);
        }
        out.extend(steps.iter().filter_map(|s| s.entry("uses")));
    }
}

/// What to change in one file's text (`Err`: it is not YAML, one line).
pub fn plan(text: &str, pins: &PinTable) -> Result<Plan, String> {
    let (root, _) = yaml::parse_lenient(text).map_err(|e| e.to_string())?;
    let Some(kind) = model::kind_of(&root) else {
        return Ok(Plan::default());
    };
    let lines = Lines::new(text);
    let mut entries = Vec::new();
    uses_entries(&root, kind, &mut entries);
    let mut plan = Plan::default();
    for e in entries {
        let Some(value) = e.value.as_str() else {
            continue;
        };
        let Some(
            u @ Uses::Repo {
                git_ref: Some(r), ..
            },
        ) = Uses::parse(value)
        else {
            continue;
        };
        if is_full_sha(r) {
            continue;
        }
        let line_no = e.value.span.start.line;
        let single_line = e.value.span.end.line == line_no
            && matches!(
                e.value.style(),
                Some(Style::Plain | Style::SingleQuoted | Style::DoubleQuoted)
            );
        let slug = u.repo_slug().unwrap_or_default();
        let Some(pin) = pins.lookup(&slug, r).filter(|_| single_line) else {
            plan.unresolved.push(Unresolved {
                line: line_no,
                uses: value.to_string(),
            });
            continue;
        };
        let old = lines.line(line_no).to_string();
        let start = char_to_byte(&old, e.value.span.start.col - 1);
        let end = char_to_byte(&old, e.value.span.end.col - 1).max(start);
        // Positions of a leniently read file are searched for: edit only
        // when the value is where the tree says.
        if old.get(start..end).map(|t| t.trim_matches(['"', '\''])) != Some(value) {
            plan.unresolved.push(Unresolved {
                line: line_no,
                uses: value.to_string(),
            });
            continue;
        }
        let quote = match e.value.style() {
            Some(Style::SingleQuoted) => "'",
            Some(Style::DoubleQuoted) => "\"",
            _ => "",
        };
        let pinned = pin.uses_line(&u);
        let (target, _) = pinned.split_once(" # ").unwrap_or((&pinned, ""));
        // Keep what follows the value, except an old version comment.
        let rest = &old[end..];
        let tail = match rest.trim_start().strip_prefix('#') {
            Some(_) => "",
            None => rest.trim_end(),
        };
        let new = format!(
            "{}{quote}{target}{quote}{tail} # {}",
            &old[..start],
            pin.version
        );
        plan.edits.push(Edit {
            line: line_no,
            old,
            new,
            from: value.to_string(),
            to: target.to_string(),
            version: pin.version.clone(),
        });
    }
    Ok(plan)
}

fn char_to_byte(s: &str, chars: usize) -> usize {
    s.char_indices()
        .nth(chars)
        .map(|(i, _)| i)
        .unwrap_or(s.len())
}

/// The text with the plan's edits applied (line endings kept).
pub fn apply(text: &str, plan: &Plan) -> String {
    let mut out = String::with_capacity(text.len() + 64 * plan.edits.len());
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        match plan.edits.iter().find(|e| e.line == i + 1) {
            Some(e) => {
                let ending = &raw[raw.trim_end_matches(['\n', '\r']).len()..];
                out.push_str(&e.new);
                out.push_str(ending);
            }
            None => out.push_str(raw),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const WF: &str = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4 # old comment\n      - uses: 'github/codeql-action/upload-sarif@v4'\n      - uses: someone/unknown@v1\n      - uses: actions/cache@5a3ec84eff668545956fd18022155c47e93e2684 # v4.2.3\n  call:\n    uses: actions/checkout@main\n";

    #[test]
    fn pins_from_the_table_and_keeps_the_rest() {
        let p = plan(WF, &PinTable::builtin()).unwrap();
        assert_eq!(p.edits.len(), 2, "{p:?}");
        assert_eq!(
            p.edits[0].new,
            "      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2"
        );
        assert_eq!(
            p.edits[1].new,
            "      - uses: 'github/codeql-action/upload-sarif@5d4e8d1aca955e8d8589aabd499c5cae939e33c7' # v4.31.9"
        );
        let lines: Vec<usize> = p.unresolved.iter().map(|u| u.line).collect();
        assert_eq!(lines, [8, 11]);
        let fixed = apply(WF, &p);
        assert_eq!(fixed.lines().count(), WF.lines().count());
        let again = plan(&fixed, &PinTable::builtin()).unwrap();
        assert!(again.edits.is_empty());
        assert!(fixed.ends_with("uses: actions/checkout@main\n"));
    }

    #[test]
    fn crlf_files_keep_their_line_endings() {
        let crlf = WF.replace('\n', "\r\n");
        let p = plan(&crlf, &PinTable::builtin()).unwrap();
        let fixed = apply(&crlf, &p);
        assert_eq!(fixed.matches("\r\n").count(), crlf.matches("\r\n").count());
        assert!(fixed.contains("# v4.2.2\r\n"));
    }
}
