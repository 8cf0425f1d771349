//! One finding per secret: the same secret seen in many blob versions,
//! commits or paths is reported once, at its first introduction, with a
//! count of the other places and a few of them as related locations.

use std::collections::HashMap;

use crate::finding::{Finding, Occurrence};

/// How many other occurrences a finding lists in `related` (all are counted).
pub const MAX_RELATED: usize = 5;

/// A finding and where it sits in the scan's order (topological position of
/// its commit; lower = older).
pub struct Located {
    pub order: usize,
    pub finding: Finding,
}

/// Group by (rule, secret); the oldest occurrence is the finding.
pub fn group(mut found: Vec<Located>) -> Vec<Finding> {
    found.sort_by(|a, b| {
        (a.order, &a.finding.path, a.finding.line, a.finding.column).cmp(&(
            b.order,
            &b.finding.path,
            b.finding.line,
            b.finding.column,
        ))
    });
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    let mut out: Vec<Finding> = Vec::new();
    for Located { finding, .. } in found {
        let key = (finding.rule_id.clone(), finding.secret.clone());
        match index.get(&key) {
            Some(&i) => {
                let first = &mut out[i];
                let commit = finding.commit.as_ref().map(|c| c.commit.clone());
                let same_place = first.path == finding.path
                    && first.line == finding.line
                    && first.commit.as_ref().map(|c| &c.commit) == commit.as_ref();
                if same_place {
                    continue;
                }
                first.other_occurrences += 1;
                if first.related.len() < MAX_RELATED {
                    first.related.push(Occurrence {
                        path: finding.path,
                        line: finding.line,
                        commit,
                    });
                }
            }
            None => {
                index.insert(key, out.len());
                out.push(finding);
            }
        }
    }
    out
}
