//! The rule packs compiled into the binary from `rules/*.toml`.

use super::compile::{AnchorFacts, RegexFacts};
use super::{
    parse_pack, AllowCondition, AllowlistSpec, Confidence, Detector, ExamplesSpec, Filter,
    KeysSpec, KeywordScope, Reach, RegexTarget, Rule, RuleError, RulePackSpec, RuleSet, RuleSpec,
    Severity,
};

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// Every built-in pack, parsed: `(file name, pack)`. The build script
/// parsed them already; a pack it could not parse is parsed here, to
/// report the error with its line.
pub fn builtin_packs() -> Result<Vec<(&'static str, RulePackSpec)>, RuleError> {
    BUILTIN_PACKS
        .iter()
        .zip(BUILTIN_PARSED)
        .map(|((name, text), parsed)| {
            let pack = match parsed {
                Some(build) => build(),
                None => parse_pack(text, &format!("rules/{name}"))?,
            };
            Ok((*name, pack))
        })
        .collect()
}

/// The built-in rule set, compiled.
pub fn builtin_rules() -> Result<RuleSet, RuleError> {
    let mut set = RuleSet::new();
    let mut facts = BUILTIN_FACTS.iter();
    for (name, pack) in builtin_packs()? {
        let origin = format!("rules/{name}");
        if let Some(keys) = &pack.keys {
            set.keys.extend(keys);
        }
        for spec in pack.rules {
            // The build script saw the same files in the same order; a
            // mismatch (impossible short of a stale build) falls back to
            // parsing at run time.
            let rule = match facts.next() {
                Some(&(id, captures, scope, reach, anchors)) if id == spec.id => {
                    Rule::compile_builtin(
                        spec,
                        &origin,
                        RegexFacts {
                            captures,
                            scope,
                            reach,
                            anchors,
                        },
                    )?
                }
                _ => Rule::compile(spec, &origin)?,
            };
            set.add(rule)?;
        }
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The facts `build.rs` computed must be what the run-time analysis
    /// gives, for every built-in rule, and there must be one per rule.
    #[test]
    fn build_time_facts_match_run_time_analysis() {
        let set = builtin_rules().unwrap();
        assert_eq!(BUILTIN_FACTS.len(), set.len());
        for rule in set.rules() {
            let fresh = Rule::compile(rule.spec.clone(), "test").unwrap();
            assert_eq!(fresh.scope, rule.scope, "{}", rule.id());
            assert_eq!(fresh.reach, rule.reach, "{}", rule.id());
            assert_eq!(fresh.secret_group, rule.secret_group, "{}", rule.id());
        }
    }

    /// The specs the build script emitted are what parsing the TOML at run
    /// time gives, pack by pack.
    #[test]
    fn embedded_packs_equal_the_toml() {
        assert_eq!(BUILTIN_PACKS.len(), BUILTIN_PARSED.len());
        let embedded = builtin_packs().unwrap();
        for ((name, text), (embedded_name, pack)) in BUILTIN_PACKS.iter().zip(&embedded) {
            assert_eq!(name, embedded_name);
            let parsed = parse_pack(text, name).unwrap();
            assert_eq!(&parsed, pack, "{name}");
        }
        assert!(BUILTIN_PARSED.iter().all(Option::is_some));
    }

    /// Built-in rules build their regexes on first use, so nothing checks
    /// them at load: this does, for every regex of every rule.
    #[test]
    fn every_builtin_regex_builds() {
        for rule in builtin_rules().unwrap().rules() {
            if let Err(e) = rule.build_all() {
                panic!("{e}");
            }
        }
    }
}
