//! Materialise the labelled corpus for tests and benchmarks.
//!
//! `cargo run --example corpus -- OUTDIR` writes the expanded files to
//! `OUTDIR/tree/` and the labels (file, line, family or kind, value) to
//! `OUTDIR/labels.json`. `cargo run --example corpus -- --write-labels`
//! regenerates the committed inventory `corpus/labels.toml`.

#[path = "../corpus/materialise.rs"]
mod materialise;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let arg = std::env::args().nth(1);
    let corpus = materialise::corpus_dir();
    let result = match arg.as_deref() {
        None | Some("-h") | Some("--help") => {
            eprintln!("usage: corpus OUTDIR | corpus --write-labels");
            return ExitCode::from(2);
        }
        Some("--write-labels") => {
            let tmp = std::env::temp_dir().join(format!("guardrail-corpus-{}", std::process::id()));
            let r = materialise::materialise(&corpus.join("tree"), &tmp).and_then(|labels| {
                let path = corpus.join("labels.toml");
                std::fs::write(&path, materialise::labels_toml(&labels))
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))
                    .map(|()| labels)
            });
            let _ = std::fs::remove_dir_all(&tmp);
            r
        }
        Some(out) => {
            let out = PathBuf::from(out);
            materialise::materialise(&corpus.join("tree"), &out.join("tree")).and_then(|labels| {
                let path = out.join("labels.json");
                std::fs::write(&path, materialise::labels_json(&labels))
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))
                    .map(|()| labels)
            })
        }
    };
    match result {
        Ok(labels) => {
            let pos = labels.iter().filter(|l| l.positive).count();
            eprintln!(
                "corpus: {pos} planted secrets, {} look-alikes",
                labels.len() - pos
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
