//! Full-history scan throughput through the library (no process start-up).
//!
//!   GUARDRAIL_BENCH_REPO=/tmp/hist-a cargo bench --bench history
//!
//! Without GUARDRAIL_BENCH_REPO a small history (300 commits) is generated
//! with `benches/scripts/history_gen.py` into a temp dir. Prints, per run:
//! the walk alone (commits + trees -> distinct blobs), inflating every
//! distinct blob, and the whole scan, each as MB/s of distinct blob content.

use std::path::PathBuf;
use std::time::Instant;

use guardrail::detect::Scanner;
use guardrail::source::git::{self, history, GitOptions};
use guardrail::source::ScanCounters;

fn main() {
    let _keep;
    let repo_path = match std::env::var_os("GUARDRAIL_BENCH_REPO") {
        Some(p) => PathBuf::from(p),
        None => {
            let dir = tempfile::tempdir().expect("tempdir");
            let path = dir.path().join("hist");
            let status = std::process::Command::new("python3")
                .arg(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/benches/scripts/history_gen.py"
                ))
                .args(["edits", path.to_str().unwrap(), "--commits", "300"])
                .status()
                .expect("python3 runs");
            assert!(status.success(), "history_gen.py failed");
            _keep = dir;
            path
        }
    };
    let threads: usize = std::env::var("GUARDRAIL_BENCH_THREADS")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(0);
    let repo = git::open(&repo_path).expect("open repository");
    let scanner = Scanner::new(guardrail::rules::builtin_rules().expect("rules"));

    let t = Instant::now();
    let tips = git::commits::ref_tips(&repo).unwrap();
    let graph = git::commits::load(&repo, &tips, &Default::default()).unwrap();
    let mut seen = gix::hashtable::HashSet::default();
    let packs = git::packindex::open_packs(&git::packindex::pack_dir(&repo), repo.object_hash());
    let trees = git::tree::TreeCache::from_packs(&packs, threads, 96 << 20);
    let intros = history::introductions(&repo, &trees, &graph, &mut seen).unwrap();
    drop(trees);
    let walk = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let mut bytes = 0u64;
    let mut buf = Vec::new();
    {
        use gix::prelude::FindExt;
        for i in &intros {
            repo.objects.find_blob(&i.blob, &mut buf).unwrap();
            bytes += buf.len() as u64;
        }
    }
    let inflate = t.elapsed().as_secs_f64();
    let mb = bytes as f64 / 1e6;
    println!(
        "{}: {} commits, {} distinct blobs, {mb:.1} MB",
        repo_path.display(),
        graph.nodes.len(),
        intros.len()
    );
    println!("walk (commits+trees)      {walk:7.2}s");
    println!(
        "inflate, 1 thread         {inflate:7.2}s {:8.1} MB/s",
        mb / inflate
    );
    for run in 0..2 {
        let counters = ScanCounters::default();
        let opts = GitOptions {
            threads,
            ..GitOptions::default()
        };
        let t = Instant::now();
        let found = history::scan_history(&repo, &scanner, &opts, &counters, &|l: &str| {
            eprintln!("{l}")
        })
        .unwrap();
        let s = t.elapsed().as_secs_f64();
        println!(
            "full scan #{run} (threads={threads}) {s:7.2}s {:8.1} MB/s  {} finding(s)",
            mb / s,
            found.len()
        );
    }
}
