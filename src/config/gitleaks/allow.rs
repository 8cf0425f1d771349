//! gitleaks allowlists: the part the scanner applies (our
//! `AllowlistSpec`) and the part that needs a finding's commit.

use super::schema::GlAllowlist;
use super::syntax::{go_to_rust_syntax, one_line};
use super::Loader;
use crate::finding::Finding;
use crate::rules::{AllowCondition, Allowlist, AllowlistSpec, Candidate, RegexTarget};

/// An allowlist with `commits`: only a history scan knows a finding's
/// commit, so it is applied to findings after the scan.
#[derive(Debug, Clone)]
pub struct CommitAllowlist {
    /// Rule ids it applies to; `None` for a global allowlist.
    rules: Option<Vec<String>>,
    commits: Vec<String>,
    /// With `condition = "AND"`: the other criteria, all of which must match
    /// too (only secret-targeted regexes, stopwords and paths get here).
    rest: Option<Allowlist>,
}

impl CommitAllowlist {
    pub fn allows(&self, f: &Finding) -> bool {
        if let Some(ids) = &self.rules {
            if !ids.contains(&f.rule_id) {
                return false;
            }
        }
        let Some(c) = &f.commit else {
            return false;
        };
        // gitleaks compares full SHAs; an abbreviated one (7+ digits) is
        // accepted too because that is what people paste.
        let listed = self.commits.iter().any(|x| {
            let x = x.trim().to_ascii_lowercase();
            x.len() >= 7 && c.commit.starts_with(&x)
        });
        let secret = f.secret.as_bytes();
        listed
            && self.rest.as_ref().is_none_or(|a| {
                a.allows(&Candidate {
                    secret,
                    matched: secret,
                    line: secret,
                    path: &f.path,
                })
            })
    }
}

impl Loader {
    /// Translate an allowlist: the part the scanner applies, and the part
    /// that needs the finding's commit. Entries that cannot be honoured are
    /// dropped with a warning; an AND allowlist that loses a criterion is
    /// dropped whole, since dropping a criterion would allow more.
    pub(super) fn allowlist(
        &mut self,
        a: &GlAllowlist,
        rules: Option<&Vec<String>>,
        at: &str,
    ) -> (Option<AllowlistSpec>, Option<CommitAllowlist>) {
        let at = format!("{at}: allowlist");
        self.unknown_keys(&at, &a.other);
        if !a.targetrules.is_empty() {
            self.warn(format!(
                "{at}: targetRules only applies to global allowlists; ignored"
            ));
        }
        let condition = match a
            .condition
            .as_deref()
            .map(str::trim)
            .map(str::to_ascii_uppercase)
        {
            None => AllowCondition::Or,
            Some(c) if c.is_empty() || c == "OR" || c == "||" => AllowCondition::Or,
            Some(c) if c == "AND" || c == "&&" => AllowCondition::And,
            Some(c) => {
                self.warn(format!("{at}: unknown condition `{c}`; allowlist skipped"));
                return (None, None);
            }
        };
        let and = condition == AllowCondition::And;
        let regex_target = match a.regextarget.as_deref().map(str::to_ascii_lowercase) {
            None => RegexTarget::Secret,
            Some(t) if t.is_empty() || t == "secret" => RegexTarget::Secret,
            Some(t) if t == "match" => RegexTarget::Match,
            Some(t) if t == "line" => RegexTarget::Line,
            Some(t) => {
                self.warn(format!(
                    "{at}: unknown regexTarget `{t}`; allowlist skipped"
                ));
                return (None, None);
            }
        };
        let mut lost = false;
        let regexes = self.valid(&a.regexes, &at, "regex", &mut lost, |r| {
            regex::bytes::Regex::new(r).map(drop)
        });
        let paths = self.valid(&a.paths, &at, "path", &mut lost, |r| {
            regex::Regex::new(r).map(drop)
        });
        if lost && and {
            self.warn(format!(
                "{at}: condition AND with an unusable entry; allowlist skipped"
            ));
            return (None, None);
        }
        let spec = AllowlistSpec {
            description: a.description.clone(),
            regexes,
            regex_target,
            stopwords: a.stopwords.clone(),
            paths,
            condition,
        };
        let has_rest =
            !(spec.regexes.is_empty() && spec.stopwords.is_empty() && spec.paths.is_empty());
        let commits: Vec<String> = a
            .commits
            .iter()
            .filter(|c| !c.trim().is_empty())
            .cloned()
            .collect();
        if commits.is_empty() {
            return (has_rest.then_some(spec), None);
        }
        let by_commit = |rest: Option<Allowlist>| CommitAllowlist {
            rules: rules.cloned(),
            commits: commits.clone(),
            rest,
        };
        if !and {
            return (has_rest.then_some(spec), Some(by_commit(None)));
        }
        if !spec.regexes.is_empty() && regex_target != RegexTarget::Secret {
            // A finding keeps its secret and path, not its line or match.
            self.warn(format!(
                "{at}: condition AND of commits with regexTarget `{}` is not supported; allowlist skipped",
                if regex_target == RegexTarget::Line { "line" } else { "match" }
            ));
            return (None, None);
        }
        let rest = has_rest
            .then(|| Allowlist::compile(&spec, "allowlist").ok())
            .flatten();
        (None, Some(by_commit(rest)))
    }

    fn valid<E: std::fmt::Display>(
        &mut self,
        list: &[String],
        at: &str,
        what: &str,
        lost: &mut bool,
        check: impl Fn(&str) -> Result<(), E>,
    ) -> Vec<String> {
        let mut out = Vec::new();
        for r in list.iter().map(|r| go_to_rust_syntax(r)) {
            match check(&r) {
                Ok(()) => out.push(r),
                Err(e) => {
                    *lost = true;
                    let msg = one_line(&e.to_string());
                    let msg = msg.trim_start_matches("error: ");
                    self.warn(format!(
                        "{at}: {what} {r:?} uses syntax guardrail's regex engine does not accept ({msg}); entry skipped"
                    ));
                }
            }
        }
        out
    }
}
