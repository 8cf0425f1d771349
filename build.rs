//! Embeds every `rules/*.toml` into the binary, so adding a rule pack needs
//! no code change, and analyses each built-in rule's regex once here
//! (capture groups, keyword scope, reach) instead of at every start-up.

use std::{env, fs, path::Path};

#[path = "src/rules/scope.rs"]
#[allow(dead_code)]
mod scope;

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
    out.push_str("pub static BUILTIN_FACTS: &[(&str, usize, KeywordScope, Reach)] = &[\n");
    for f in &files {
        let text = fs::read_to_string(f).unwrap();
        // A pack that does not parse is reported by the library with its
        // line; here it just gets no precomputed facts.
        let Ok(pack) = text.parse::<toml::Table>() else {
            continue;
        };
        let rules = pack.get("rules").and_then(|r| r.as_array());
        for rule in rules.into_iter().flatten() {
            let (Some(id), Some(regex)) = (
                rule.get("id").and_then(|v| v.as_str()),
                rule.get("regex").and_then(|v| v.as_str()),
            ) else {
                continue;
            };
            let keywords: Vec<String> = rule
                .get("keywords")
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
                .filter_map(|k| k.as_str().map(str::to_string))
                .collect();
            let Ok(hir) = scope::parse(regex) else {
                continue;
            };
            let captures = hir.properties().explicit_captures_len();
            let scope = scope::KeywordScope::of(&hir, &keywords);
            let reach = scope::Reach::of(&hir);
            out.push_str(&format!(
                "    ({id:?}, {captures}, KeywordScope::{scope:?}, Reach::{reach:?}),\n"
            ));
        }
    }
    out.push_str("];\n");
    fs::write(
        Path::new(&env::var("OUT_DIR").unwrap()).join("builtin_rules.rs"),
        out,
    )
    .unwrap();
}
