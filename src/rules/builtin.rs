//! The rule packs compiled into the binary from `rules/*.toml`.

use super::{parse_pack, RuleError, RulePackSpec, RuleSet};

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// Every built-in pack, parsed: `(file name, pack)`.
pub fn builtin_packs() -> Result<Vec<(&'static str, RulePackSpec)>, RuleError> {
    BUILTIN_PACKS
        .iter()
        .map(|(name, text)| Ok((*name, parse_pack(text, &format!("rules/{name}"))?)))
        .collect()
}

/// The built-in rule set, compiled.
pub fn builtin_rules() -> Result<RuleSet, RuleError> {
    let mut set = RuleSet::new();
    for (name, pack) in builtin_packs()? {
        set.add_specs(pack.rules, &format!("rules/{name}"))?;
    }
    Ok(set)
}
