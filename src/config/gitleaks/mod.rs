//! gitleaks configuration files (`.gitleaks.toml`), translated into our
//! [`Config`] so a team can switch without rewriting its rules.
//!
//! gitleaks reads its config through viper, which matches keys without
//! regard to case (`secretGroup`, `SecretGroup`); keys are lower-cased before
//! deserialising to do the same. It is a third-party format, so unknown keys
//! are tolerated, but each one is reported as a warning: nothing the user
//! wrote is dropped silently. So is every rule or allowlist entry that cannot
//! be honoured (Go-only regex syntax, composite rules, path-only rules).

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

mod allow;
mod ids;
mod schema;
mod syntax;

pub use allow::CommitAllowlist;
pub use ids::aliases;
pub use schema::looks_like;

use super::{Config, ConfigError, ConfigFormat};
use crate::rules::{Confidence, ExamplesSpec, Rule, RuleSpec, Severity};
use schema::{lower_keys, Extra, GlAllowlist, GlFile, GlRule};
use syntax::go_to_rust_syntax;

/// Deepest chain of `[extend] path` followed (gitleaks itself stops at 2).
const MAX_EXTEND_DEPTH: usize = 8;

/// One rule after `[extend]` merging, before translation.
#[derive(Debug, Default)]
struct LRule {
    id: String,
    /// The file that (last) defined it, for messages.
    file: String,
    /// `Some(ids)`: this entry modifies these built-in rules.
    over: Option<Vec<String>>,
    description: Option<String>,
    regex: Option<String>,
    secret_group: Option<usize>,
    entropy: Option<f64>,
    keywords: Vec<String>,
    path: Option<String>,
    tags: Vec<String>,
    allowlists: Vec<GlAllowlist>,
    composite: bool,
    skip_report: bool,
}

#[derive(Debug, Default)]
struct Layer {
    use_default: bool,
    disabled_builtin: BTreeSet<String>,
    rules: Vec<LRule>,
    global: Vec<(GlAllowlist, String)>,
}

struct Loader {
    warnings: Vec<String>,
    builtin: HashMap<String, RuleSpec>,
    stack: Vec<PathBuf>,
}

/// Read a gitleaks config (following `[extend] path`) into a [`Config`]
/// whose `warnings` list everything that could not be honoured.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let mut loader = Loader {
        warnings: Vec::new(),
        builtin: HashMap::new(),
        stack: Vec::new(),
    };
    let layer = loader.layer(path)?;
    let mut cfg = Config {
        use_builtin_rules: layer.use_default,
        format: ConfigFormat::Gitleaks,
        source: Some(path.to_path_buf()),
        ..Config::default()
    };
    if layer.use_default {
        cfg.disabled_rules = layer.disabled_builtin.iter().cloned().collect();
    }
    for rule in &layer.rules {
        loader.finish_rule(rule, &mut cfg);
    }
    for (a, file) in &layer.global {
        let (spec, by_commit) = loader.allowlist(a, None, &format!("{file}: global allowlist"));
        cfg.allowlist.extend(spec);
        cfg.commit_allowlists.extend(by_commit);
    }
    cfg.warnings = loader.warnings;
    Ok(cfg)
}

impl Loader {
    fn warn(&mut self, msg: String) {
        self.warnings.push(msg);
    }

    fn unknown_keys(&mut self, what: &str, other: &Extra) {
        for k in other.keys() {
            self.warn(format!("{what}: unknown key `{k}` ignored"));
        }
    }

    fn builtins(&mut self) -> Result<&HashMap<String, RuleSpec>, ConfigError> {
        if self.builtin.is_empty() {
            let packs = crate::rules::builtin_packs().map_err(|source| ConfigError::Rule {
                path: PathBuf::from("built-in rules"),
                source,
            })?;
            for (_, pack) in packs {
                for spec in pack.rules {
                    self.builtin.insert(spec.id.clone(), spec);
                }
            }
        }
        Ok(&self.builtin)
    }

    /// The built-in ids a gitleaks rule id stands for, if any.
    fn builtin_ids(&mut self, id: &str) -> Result<Option<Vec<String>>, ConfigError> {
        if self.builtins()?.contains_key(id) {
            return Ok(Some(vec![id.to_string()]));
        }
        Ok(aliases(id).map(|ids| ids.iter().map(|s| s.to_string()).collect()))
    }

    fn layer(&mut self, path: &Path) -> Result<Layer, ConfigError> {
        let parse_err = |message: String| ConfigError::Parse {
            path: path.to_path_buf(),
            message,
        };
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if self.stack.contains(&key) {
            return Err(parse_err("[extend] path leads back to this file".into()));
        }
        if self.stack.len() >= MAX_EXTEND_DEPTH {
            return Err(parse_err(format!(
                "[extend] path chain is deeper than {MAX_EXTEND_DEPTH}"
            )));
        }
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let value: toml::Value = toml::from_str(&text)
            .map_err(|e| parse_err(crate::util::toml_error_line(&text, &e)))?;
        let file: GlFile = lower_keys(value)
            .try_into()
            .map_err(|e: toml::de::Error| parse_err(e.message().to_string()))?;
        let name = path.display().to_string();
        self.stack.push(key);
        let layer = self.layer_from(file, path, &name);
        self.stack.pop();
        layer
    }

    fn layer_from(&mut self, file: GlFile, path: &Path, name: &str) -> Result<Layer, ConfigError> {
        let _ = (&file.title, &file.description, &file.minversion);
        self.unknown_keys(name, &file.other);
        let mut layer = Layer::default();
        if let Some(ext) = &file.extend {
            self.unknown_keys(&format!("{name}: [extend]"), &ext.other);
            if ext.url.is_some() {
                self.warn(format!(
                    "{name}: [extend] url is not supported (guardrail never fetches config); ignored"
                ));
            }
            if let Some(p) = &ext.path {
                // Relative to the extending file; gitleaks resolves it from
                // the working directory, which is tried second.
                let near = path.parent().unwrap_or(Path::new(".")).join(p);
                let base = if near.is_file() {
                    near
                } else {
                    PathBuf::from(p)
                };
                layer = self.layer(&base)?;
            }
            layer.use_default |= ext.usedefault;
            for id in &ext.disabledrules {
                self.disable(&mut layer, id, name)?;
            }
        }
        for rule in file.rules {
            self.add_rule(&mut layer, rule, name)?;
        }
        for a in file.allowlist.into_iter().chain(file.allowlists) {
            if a.targetrules.is_empty() {
                layer.global.push((a, name.to_string()));
                continue;
            }
            for target in &a.targetrules {
                let known = layer.rules.iter().any(|r| r.id == *target)
                    || (layer.use_default && self.builtin_ids(target)?.is_some());
                if !known {
                    self.warn(format!(
                        "{name}: allowlist targetRules names `{target}`, which is no rule here; ignored"
                    ));
                    continue;
                }
                let mut a = a.clone();
                a.targetrules.clear();
                let rule = GlRule {
                    id: target.clone(),
                    allowlists: vec![a],
                    ..GlRule::default()
                };
                self.add_rule(&mut layer, rule, name)?;
            }
        }
        Ok(layer)
    }

    fn disable(&mut self, layer: &mut Layer, id: &str, name: &str) -> Result<(), ConfigError> {
        let before = layer.rules.len();
        layer.rules.retain(|r| r.id != id);
        if layer.rules.len() < before {
            return Ok(());
        }
        match self.builtin_ids(id)? {
            Some(ids) if layer.use_default => layer.disabled_builtin.extend(ids),
            _ => self.warn(format!(
                "{name}: disabledRules: `{id}` is not a rule of the extended config nor a guardrail built-in; ignored"
            )),
        }
        Ok(())
    }

    fn add_rule(&mut self, layer: &mut Layer, r: GlRule, name: &str) -> Result<(), ConfigError> {
        if r.id.trim().is_empty() {
            self.warn(format!("{name}: a [[rules]] entry has no id; skipped"));
            return Ok(());
        }
        self.unknown_keys(&format!("{name}: rule `{}`", r.id), &r.other);
        let mut allowlists: Vec<GlAllowlist> = r.allowlist.into_iter().collect();
        allowlists.extend(r.allowlists);
        let incoming = LRule {
            id: r.id.clone(),
            file: name.to_string(),
            over: None,
            description: r.description,
            regex: r.regex,
            secret_group: r.secretgroup,
            entropy: r.entropy,
            keywords: r.keywords,
            path: r.path,
            tags: r.tags,
            allowlists,
            composite: !r.required.is_empty(),
            skip_report: r.skipreport,
        };
        if let Some(base) = layer.rules.iter_mut().find(|b| b.id == r.id) {
            merge(base, incoming);
            return Ok(());
        }
        if layer.use_default {
            if let Some(ids) = self.builtin_ids(&r.id)? {
                let exact = ids.len() == 1 && ids[0] == r.id;
                if incoming.regex.is_none() || exact {
                    // gitleaks merges an override into the default rule.
                    layer.rules.push(LRule {
                        over: Some(ids),
                        ..incoming
                    });
                } else {
                    // A new regex under a gitleaks default id: it replaces
                    // our equivalents instead of running beside them.
                    layer.disabled_builtin.extend(ids);
                    layer.rules.push(incoming);
                }
                return Ok(());
            }
        }
        layer.rules.push(incoming);
        Ok(())
    }

    /// Translate one merged rule and add it to `cfg` (or warn why not).
    fn finish_rule(&mut self, r: &LRule, cfg: &mut Config) {
        let at = format!("{}: rule `{}`", r.file, r.id);
        if r.composite {
            self.warn(format!(
                "{at}: [[rules.required]] (composite rules) is not supported; rule skipped"
            ));
            return;
        }
        if r.skip_report {
            self.warn(format!(
                "{at}: skipReport rules only feed composite rules, which are not supported; rule skipped"
            ));
            return;
        }
        let specs: Vec<RuleSpec> = match &r.over {
            Some(ids) => ids
                .iter()
                .filter_map(|id| self.builtin.get(id).cloned())
                .map(|mut spec| {
                    if let Some(re) = &r.regex {
                        spec.regex = go_to_rust_syntax(re);
                        // The built-in examples describe the built-in regex.
                        spec.examples = ExamplesSpec::default();
                        spec.secret_group = r.secret_group;
                    } else if r.secret_group.is_some() {
                        spec.secret_group = r.secret_group;
                    }
                    if let Some(d) = &r.description {
                        spec.description = d.clone();
                    }
                    spec.entropy = r.entropy.or(spec.entropy);
                    if r.path.is_some() {
                        spec.path = r.path.clone();
                    }
                    spec.keywords
                        .extend(r.keywords.iter().map(|k| k.to_ascii_lowercase()));
                    spec.tags.extend(r.tags.iter().cloned());
                    spec
                })
                .collect(),
            None => {
                let Some(regex) = &r.regex else {
                    let why = if r.path.is_some() {
                        "path-only rules (a path and no regex, reporting the file itself) are not supported"
                    } else {
                        "has neither regex nor path and extends no known rule"
                    };
                    self.warn(format!("{at}: {why}; rule skipped"));
                    return;
                };
                let keywords: Vec<String> = r
                    .keywords
                    .iter()
                    .map(|k| k.to_ascii_lowercase())
                    .filter(|k| !k.is_empty())
                    .collect();
                vec![RuleSpec {
                    id: r.id.clone(),
                    description: r.description.clone().unwrap_or_else(|| r.id.clone()),
                    regex: go_to_rust_syntax(regex),
                    secret_group: r.secret_group.filter(|g| *g > 0),
                    keywordless_reason: keywords
                        .is_empty()
                        .then(|| "gitleaks rule without keywords".to_string()),
                    keywords,
                    entropy: r.entropy.filter(|e| *e > 0.0),
                    path: r.path.clone(),
                    severity: Severity::High,
                    // gitleaks drops a `generic-*` finding that another
                    // rule also found; our low tier behaves the same way.
                    confidence: if r.id.starts_with("generic") {
                        Confidence::Low
                    } else {
                        Confidence::High
                    },
                    supersedes: Vec::new(),
                    filters: Vec::new(),
                    tags: r.tags.clone(),
                    references: Vec::new(),
                    provider: None,
                    detector: Default::default(),
                    allowlist: Vec::new(),
                    examples: ExamplesSpec::default(),
                }]
            }
        };
        for mut spec in specs {
            let ids = vec![spec.id.clone()];
            for a in &r.allowlists {
                let (al, by_commit) = self.allowlist(a, Some(&ids), &at);
                spec.allowlist.extend(al);
                cfg.commit_allowlists.extend(by_commit);
            }
            match self.check_rule(spec, &at) {
                Some(spec) => cfg.rules.push(spec),
                None if r.over.is_some() => {
                    self.warn(format!("{at}: the built-in rule is used unchanged"))
                }
                None => {}
            }
        }
    }

    /// Compile the rule as the scanner will; on failure retry in Unicode
    /// mode (Go's regexes are Unicode-aware, ours default to bytes), then
    /// give up with a warning naming the rule and the reason.
    fn check_rule(&mut self, spec: RuleSpec, at: &str) -> Option<RuleSpec> {
        let compiles = |s: &RuleSpec| {
            Rule::compile_imported(s.clone(), "gitleaks config").and_then(|r| r.build_now())
        };
        let err = match compiles(&spec) {
            Ok(()) => return Some(spec),
            Err(e) => e,
        };
        let mut unicode = spec.clone();
        unicode.regex = format!("(?u){}", spec.regex);
        if matches!(err, crate::rules::RuleError::Regex { what: "rule", .. })
            && compiles(&unicode).is_ok()
        {
            return Some(unicode);
        }
        let reason =
            match &err {
                crate::rules::RuleError::Regex { what, message, .. } => {
                    format!(
                "{} uses syntax guardrail's regex engine (Rust `regex`) does not accept ({})",
                if *what == "rule" { "regex" } else { "path regex" },
                message.trim_start_matches("error: ")
            )
                }
                crate::rules::RuleError::Invalid { message, .. } => message.clone(),
                other => other.to_string(),
            };
        self.warn(format!("{at}: {reason}; rule skipped"));
        None
    }
}

/// gitleaks' extend semantics: set fields override, lists append.
fn merge(base: &mut LRule, new: LRule) {
    base.file = new.file;
    base.description = new.description.or(base.description.take());
    base.regex = new.regex.or(base.regex.take());
    base.secret_group = new.secret_group.or(base.secret_group);
    base.entropy = new.entropy.or(base.entropy);
    base.path = new.path.or(base.path.take());
    base.keywords.extend(new.keywords);
    base.tags.extend(new.tags);
    base.allowlists.extend(new.allowlists);
    base.composite |= new.composite;
    base.skip_report |= new.skip_report;
}

#[cfg(test)]
mod tests;
