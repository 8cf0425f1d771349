//! Embeds every `rules/*.toml` into the binary, so adding a rule pack needs
//! no code change, and does once here what every start-up would otherwise
//! do: parse the packs (emitted as Rust code that builds the specs, since
//! TOML parsing was a fifth of start-up) and analyse each rule's regex
//! (capture groups, keyword scope, reach).

use std::{env, fs, path::Path};

#[path = "src/rules/scope.rs"]
#[allow(dead_code)]
mod scope;

#[path = "src/rules/spec.rs"]
#[allow(dead_code)]
mod spec;

use spec::{AllowlistSpec, ExamplesSpec, KeysSpec, RulePackSpec, RuleSpec};

fn main() {
    let dir = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).join("rules");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut out = String::from("pub static BUILTIN_PACKS: &[(&str, &str)] = &[\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = f.file_name().unwrap().to_string_lossy();
        out.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            f.display().to_string()
        ));
    }
    out.push_str("];\n");
    // The packs as code: `Some(f)` builds the pack's specs, `None` marks a
    // pack that did not parse here, which the library then parses at run
    // time to report the error with its line.
    let mut fns = String::new();
    out.push_str("pub static BUILTIN_PARSED: &[Option<fn() -> RulePackSpec>] = &[\n");
    for (i, f) in files.iter().enumerate() {
        let text = fs::read_to_string(f).unwrap();
        match toml::from_str::<RulePackSpec>(&text) {
            Ok(pack) => {
                out.push_str(&format!("    Some(pack_{i}),\n"));
                fns.push_str(&format!("fn pack_{i}() -> RulePackSpec {{\n"));
                fns.push_str(&format!(
                    "    RulePackSpec {{ rules: {}, keys: {} }}\n}}\n",
                    pack.rules.lit(),
                    pack.keys.lit()
                ));
            }
            Err(_) => out.push_str("    None,\n"),
        }
    }
    out.push_str("];\n");
    out.push_str(&fns);
    out.push_str(
        "pub static BUILTIN_FACTS: &[(&str, usize, KeywordScope, Reach, \
         AnchorFacts)] = &[\n",
    );
    // (id, regex, keywords) of every rule, in the order the scanner numbers
    // keywords, so the anchors below are chosen from the same vocabulary the
    // run-time analysis would use with the built-in rules alone.
    let mut rules: Vec<(String, String, Vec<String>)> = Vec::new();
    for f in &files {
        let text = fs::read_to_string(f).unwrap();
        // A pack that does not parse is reported by the library with its
        // line; here it just gets no precomputed facts.
        let Ok(pack) = text.parse::<toml::Table>() else {
            continue;
        };
        let list = pack.get("rules").and_then(|r| r.as_array());
        for rule in list.into_iter().flatten() {
            let Some(id) = rule.get("id").and_then(|v| v.as_str()) else {
                continue;
            };
            // A rule of another detector may have no regex: it gets the
            // facts of an empty one (see `RegexFacts::of`).
            let regex = rule.get("regex").and_then(|v| v.as_str()).unwrap_or("");
            let keywords: Vec<String> = rule
                .get("keywords")
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
                .filter_map(|k| k.as_str().map(str::to_string))
                .collect();
            rules.push((id.to_string(), regex.to_string(), keywords));
        }
    }
    let mut vocab: Vec<String> = Vec::new();
    for k in rules.iter().flat_map(|r| &r.2) {
        let k = k.to_ascii_lowercase();
        if !vocab.contains(&k) {
            vocab.push(k);
        }
    }
    for (id, regex, keywords) in &rules {
        if regex.is_empty() {
            out.push_str(&format!(
                "    ({id:?}, 0, KeywordScope::Line, Reach::Line, AnchorFacts::NoAnchors),\n"
            ));
            continue;
        }
        let Ok(hir) = scope::parse(regex) else {
            continue;
        };
        let captures = hir.properties().explicit_captures_len();
        let scope = scope::KeywordScope::of(&hir, keywords);
        let reach = scope::Reach::of(&hir);
        // Anchors cost up to a few ms per rule to find: done here once,
        // not on the first file of every run.
        let anchors = match scope {
            scope::KeywordScope::File => match scope::Anchors::of(regex, &vocab) {
                Some(a) => {
                    let words: Vec<&String> = a.words.iter().map(|&i| &vocab[i]).collect();
                    format!(
                        "AnchorFacts::Words(&{words:?}, KeywordScope::{:?})",
                        a.scope
                    )
                }
                None => "AnchorFacts::NoAnchors".into(),
            },
            _ => "AnchorFacts::Unknown".into(),
        };
        out.push_str(&format!(
            "    ({id:?}, {captures}, KeywordScope::{scope:?}, Reach::{reach:?}, {anchors}),\n"
        ));
    }
    out.push_str("];\n");
    fs::write(
        Path::new(&env::var("OUT_DIR").unwrap()).join("builtin_rules.rs"),
        out,
    )
    .unwrap();
}

/// Rust source for an expression that builds the value. Structs are
/// destructured field by field, so a field added to `spec.rs` fails to
/// compile here until it is emitted too.
trait Lit {
    fn lit(&self) -> String;
}

impl Lit for String {
    fn lit(&self) -> String {
        // `{:?}` of a str is a valid Rust string literal.
        format!("String::from({self:?})")
    }
}

impl Lit for usize {
    fn lit(&self) -> String {
        format!("{self}usize")
    }
}

impl Lit for f64 {
    fn lit(&self) -> String {
        format!("f64::from_bits({:#x})", self.to_bits())
    }
}

impl<T: Lit> Lit for Option<T> {
    fn lit(&self) -> String {
        match self {
            None => "None".into(),
            Some(v) => format!("Some({})", v.lit()),
        }
    }
}

impl<T: Lit> Lit for Vec<T> {
    fn lit(&self) -> String {
        let items: Vec<String> = self.iter().map(Lit::lit).collect();
        format!("vec![{}]", items.join(", "))
    }
}

/// Unit-only enums: their `Debug` is the variant name.
macro_rules! enum_lit {
    ($($t:ident),*) => {$(
        impl Lit for spec::$t {
            fn lit(&self) -> String {
                format!("{}::{self:?}", stringify!($t))
            }
        }
    )*};
}
enum_lit!(
    Severity,
    Confidence,
    Filter,
    RegexTarget,
    AllowCondition,
    Detector
);

impl Lit for RuleSpec {
    fn lit(&self) -> String {
        let RuleSpec {
            id,
            description,
            regex,
            secret_group,
            keywords,
            keywordless_reason,
            entropy,
            path,
            severity,
            confidence,
            supersedes,
            filters,
            tags,
            references,
            provider,
            detector,
            allowlist,
            examples,
        } = self;
        format!(
            "RuleSpec {{ id: {}, description: {}, regex: {}, secret_group: {}, \
             keywords: {}, keywordless_reason: {}, entropy: {}, path: {}, severity: {}, \
             confidence: {}, supersedes: {}, filters: {}, tags: {}, references: {}, \
             provider: {}, detector: {}, allowlist: {}, examples: {} }}",
            id.lit(),
            description.lit(),
            regex.lit(),
            secret_group.lit(),
            keywords.lit(),
            keywordless_reason.lit(),
            entropy.lit(),
            path.lit(),
            severity.lit(),
            confidence.lit(),
            supersedes.lit(),
            filters.lit(),
            tags.lit(),
            references.lit(),
            provider.lit(),
            detector.lit(),
            allowlist.lit(),
            examples.lit(),
        )
    }
}

impl Lit for KeysSpec {
    fn lit(&self) -> String {
        let KeysSpec {
            password,
            secret,
            token,
            suffix,
            neutral,
            look_alike,
        } = self;
        format!(
            "KeysSpec {{ password: {}, secret: {}, token: {}, suffix: {}, neutral: {}, \
             look_alike: {} }}",
            password.lit(),
            secret.lit(),
            token.lit(),
            suffix.lit(),
            neutral.lit(),
            look_alike.lit(),
        )
    }
}

impl Lit for AllowlistSpec {
    fn lit(&self) -> String {
        let AllowlistSpec {
            description,
            regexes,
            regex_target,
            stopwords,
            paths,
            condition,
        } = self;
        format!(
            "AllowlistSpec {{ description: {}, regexes: {}, regex_target: {}, \
             stopwords: {}, paths: {}, condition: {} }}",
            description.lit(),
            regexes.lit(),
            regex_target.lit(),
            stopwords.lit(),
            paths.lit(),
            condition.lit(),
        )
    }
}

impl Lit for ExamplesSpec {
    fn lit(&self) -> String {
        let ExamplesSpec {
            path,
            positive,
            negative,
        } = self;
        format!(
            "ExamplesSpec {{ path: {}, positive: {}, negative: {} }}",
            path.lit(),
            positive.lit(),
            negative.lit(),
        )
    }
}
