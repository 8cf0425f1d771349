use super::*;
use crate::rules::{AllowCondition, RegexTarget};

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn detects_gitleaks_files_by_name_and_keys() {
    let p = Path::new("x.toml");
    assert!(looks_like(Path::new("a/.gitleaks.toml"), ""));
    assert!(looks_like(p, "[extend]\nuseDefault = true\n"));
    assert!(looks_like(p, "[allowlist]\npaths = ['x']\n"));
    assert!(looks_like(
        p,
        "[[rules]]\nid = 'a'\nregex = 'x(y)'\nsecretGroup = 1\n"
    ));
    assert!(looks_like(p, "[[rules]]\nid = 'a'\nregex = 'x'\n"));
    assert!(!looks_like(p, "[[allowlist]]\npaths = ['x']\n"));
    assert!(!looks_like(
        p,
        "[[rules]]\nid = 'a'\ndescription = 'd'\nregex = 'x'\nseverity = 'low'\n"
    ));
    assert!(!looks_like(p, "exclude = ['x']\n[extend]\n"));
    assert!(!looks_like(Path::new("guardrail.toml"), "[extend]\n"));
}

#[test]
fn translates_rule_fields_and_keeps_gitleaks_ids() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        ".gitleaks.toml",
        r#"
title = "t"
[[rules]]
id = "My_Rule"
description = "mine"
regex = '''KEY_(x)([a-z0-9]{12})'''
secretGroup = 2
entropy = 2.5
Keywords = ["KEY_X"]
path = '''\.env$'''
tags = ["a"]
[[rules.allowlists]]
regexes = ['''^test''']
regexTarget = "line"
condition = "AND"
paths = ['''fixtures/''']
"#,
    );
    let cfg = load(&p).unwrap();
    assert!(cfg.warnings.is_empty(), "{:?}", cfg.warnings);
    assert!(!cfg.use_builtin_rules);
    let r = &cfg.rules[0];
    assert_eq!(r.id, "My_Rule");
    assert_eq!(r.secret_group, Some(2));
    assert_eq!(r.keywords, vec!["key_x"]);
    assert_eq!(r.entropy, Some(2.5));
    assert_eq!(r.path.as_deref(), Some(r"\.env$"));
    assert_eq!(r.allowlist[0].condition, AllowCondition::And);
    assert_eq!(r.allowlist[0].regex_target, RegexTarget::Line);
    let set = cfg.rule_set().unwrap();
    assert!(set.get("My_Rule").is_some());
}

#[test]
fn unsupported_things_warn_naming_the_rule() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "gitleaks.toml",
        r#"
[[rules]]
id = "lookaround"
regex = '''secret(?=[0-9])'''
keywords = ["secret"]
[[rules]]
id = "p12"
path = '''\.p12$'''
[[rules]]
id = "composite"
regex = 'a'
[[rules.required]]
id = "lookaround"
[[rules]]
id = "fine"
regex = 'fine_[0-9]+'
frobnicate = 1
"#,
    );
    let cfg = load(&p).unwrap();
    let w = cfg.warnings.join("\n");
    assert!(
        w.contains("rule `lookaround`") && w.contains("look-around"),
        "{w}"
    );
    assert!(w.contains("rule `p12`") && w.contains("path-only"), "{w}");
    assert!(
        w.contains("rule `composite`") && w.contains("required"),
        "{w}"
    );
    assert!(w.contains("rule `fine`: unknown key `frobnicate`"), "{w}");
    let ids: Vec<&str> = cfg.rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, vec!["fine"]);
    assert_eq!(
        cfg.rules[0].keywordless_reason.as_deref(),
        Some("gitleaks rule without keywords")
    );
}

#[test]
fn unicode_classes_fall_back_to_unicode_mode() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        ".gitleaks.toml",
        "[[rules]]\nid = 'u'\nregex = '''name=\\p{L}+'''\nkeywords = ['name=']\n",
    );
    let cfg = load(&p).unwrap();
    assert!(cfg.warnings.is_empty(), "{:?}", cfg.warnings);
    assert!(cfg.rules[0].regex.starts_with("(?u)"));
}

#[test]
fn extend_default_maps_gitleaks_ids_and_merges_allowlists() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        ".gitleaks.toml",
        r#"
[extend]
useDefault = true
disabledRules = ["generic-api-key", "jwt", "no-such-rule"]
[[rules]]
id = "github-pat"
[[rules.allowlists]]
stopwords = ["fixture"]
[[allowlists]]
targetRules = ["aws-access-token"]
paths = ['''^docs/''']
"#,
    );
    let cfg = load(&p).unwrap();
    assert!(cfg.use_builtin_rules);
    for id in ["generic-secret-assignment", "generic-secret-xml", "jwt"] {
        assert!(cfg.disabled_rules.iter().any(|d| d == id), "{id}");
    }
    let w = cfg.warnings.join("\n");
    assert!(
        w.contains("`no-such-rule`") && cfg.warnings.len() == 1,
        "{w}"
    );
    let pat = cfg
        .rules
        .iter()
        .find(|r| r.id == "github-pat-classic")
        .unwrap();
    assert_eq!(pat.allowlist.last().unwrap().stopwords, vec!["fixture"]);
    assert!(pat.regex.contains("ghp_"), "built-in regex kept");
    let aws = cfg
        .rules
        .iter()
        .find(|r| r.id == "aws-access-key-id")
        .unwrap();
    assert_eq!(aws.allowlist.last().unwrap().paths, vec!["^docs/"]);
    let set = cfg.rule_set().unwrap();
    assert!(set.get("jwt").is_none() && set.get("github-pat-classic").is_some());
}

#[test]
fn extend_path_merges_base_rules_and_detects_cycles() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "base.toml",
        "title = 'base'\n[[rules]]\nid = 'a'\nregex = 'aaa_[0-9]{4}'\nkeywords = ['aaa_']\n[[rules]]\nid = 'b'\nregex = 'bbb_[0-9]{4}'\n[allowlist]\npaths = ['^vendor/']\n",
    );
    let p = write(
        dir.path(),
        ".gitleaks.toml",
        "[extend]\npath = 'base.toml'\ndisabledRules = ['b']\n[[rules]]\nid = 'a'\nentropy = 1.0\n[[rules.allowlists]]\nregexes = ['0000$']\n",
    );
    let cfg = load(&p).unwrap();
    assert!(cfg.warnings.is_empty(), "{:?}", cfg.warnings);
    assert_eq!(cfg.rules.len(), 1);
    let a = &cfg.rules[0];
    assert_eq!((a.regex.as_str(), a.entropy), ("aaa_[0-9]{4}", Some(1.0)));
    assert_eq!(a.allowlist.len(), 1);
    assert_eq!(cfg.allowlist[0].paths, vec!["^vendor/"]);

    write(dir.path(), "loop.toml", "[extend]\npath = 'loop.toml'\n");
    let err = load(&dir.path().join("loop.toml")).unwrap_err().to_string();
    assert!(
        err.contains("loop.toml") && err.contains("back to this file"),
        "{err}"
    );
}

#[test]
fn commit_allowlists_are_split_out() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        ".gitleaks.toml",
        r#"
[[rules]]
id = "r"
regex = 'rrr_[0-9]{4}'
[[rules.allowlists]]
commits = ["0123456789abcdef0123456789abcdef01234567"]
paths = ['^x/']
[[rules.allowlists]]
condition = "AND"
commits = ["0123456789abcdef0123456789abcdef01234567"]
regexes = ['0000$']
regexTarget = "line"
[allowlist]
commits = ["89abcdef01234567"]
"#,
    );
    let cfg = load(&p).unwrap();
    // OR: the path part stays with the scanner, the commit part is split.
    assert_eq!(cfg.rules[0].allowlist.len(), 1);
    assert_eq!(cfg.commit_allowlists.len(), 2);
    let w = cfg.warnings.join("\n");
    assert!(
        w.contains("rule `r`") && w.contains("regexTarget `line`"),
        "{w}"
    );
}

#[test]
fn go_to_rust_syntax_become_escaped_text() {
    assert_eq!(go_to_rust_syntax(r"a\Qx.y*\Eb"), r"ax\.y\*b");
    assert_eq!(go_to_rust_syntax(r"\Q+"), r"\+");
    assert_eq!(go_to_rust_syntax(r"\\Q\d"), r"\\Q\d");
    assert_eq!(go_to_rust_syntax(r"[a-z]\b"), r"[a-z]\b");
    assert_eq!(
        go_to_rust_syntax(r"\101b\0x[\1012]"),
        r"\x{41}b\x{0}x[\x{41}2]"
    );
    assert_eq!(go_to_rust_syntax(r"(a)\1"), r"(a)\1");
    assert_eq!(go_to_rust_syntax(r"\\101"), r"\\101");
    assert_eq!(go_to_rust_syntax(r"a{2}b{3,}c{4,5}"), r"a{2}b{3,}c{4,5}");
    assert_eq!(go_to_rust_syntax(r"\p{L}\x{41}\pN"), r"\p{L}\x{41}\pN");
    assert_eq!(go_to_rust_syntax(r"\${{[^}]+}}"), r"\$\{\{[^}]+}}");
    assert_eq!(go_to_rust_syntax(r"x{,3}|{\d+}"), r"x\{,3}|\{\d+}");
    for re in [r"\$\{\{[^}]+}}", r"x\{,3}|\{\d+}"] {
        regex::Regex::new(re).unwrap();
    }
}
