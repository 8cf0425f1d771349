//! Full history: every blob reachable from any ref, scanned exactly once,
//! each finding attributed to the commit that first introduced its blob.
//!
//! 1. Load the commit graph from every ref and order it oldest first.
//! 2. Walk each commit's tree, skipping every tree and blob already seen:
//!    the first (commit, path) at which a blob appears is its introduction.
//!    This keeps only ids and one path per distinct blob in memory.
//! 3. Inflate and scan the distinct blobs in parallel, one at a time per
//!    worker (memory is bounded by threads x largest blob).
//! 4. Group findings per secret (first introduction wins).

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Mutex;

use gix::ObjectId;
use rayon::prelude::*;

use super::deltascan::{self, Record};
use super::group::{group, Located};
use super::packindex;
use super::packscan::Blob;
use super::progress::Progress;
use super::{commit_info, commits, one_line, read_blob, tree, Diagnose, GitError, GitOptions};
use crate::detect::Scanner;
use crate::finding::Finding;
use crate::source::{is_binary, ScanCounters};

/// Where a distinct blob entered history.
#[derive(Debug, Clone)]
pub struct Intro {
    pub blob: ObjectId,
    pub path: String,
    /// Position of the commit in topological order; `None` for blobs that
    /// no ref reaches (`--all-objects`).
    pub commit: Option<usize>,
}

/// Every distinct file blob reachable from `tips`, with its introduction,
/// in topological order of the introducing commits.
pub fn introductions(
    repo: &gix::Repository,
    trees: &tree::TreeCache,
    graph: &commits::Graph,
    seen: &mut gix::hashtable::HashSet<ObjectId>,
) -> Result<Vec<Intro>, GitError> {
    let mut intros = Vec::new();
    for (pos, &i) in graph.order.iter().enumerate() {
        tree::walk_new(repo, trees, graph.nodes[i].tree, seen, &mut |blob, path| {
            intros.push(Intro {
                blob,
                path: path.to_string(),
                commit: Some(pos),
            })
        })?;
    }
    Ok(intros)
}

/// Blobs in the object database that no ref reaches.
fn unreachable_blobs(
    repo: &gix::Repository,
    seen: &gix::hashtable::HashSet<ObjectId>,
) -> Result<Vec<Intro>, GitError> {
    let iter = repo.objects.iter().map_err(|e| GitError::Object {
        what: "object database",
        id: repo.git_dir().display().to_string(),
        message: one_line(&e.to_string()),
    })?;
    let mut ids: Vec<ObjectId> = iter
        .filter_map(Result::ok)
        .filter(|id| !seen.contains(id))
        .filter(|id| {
            repo.find_header(*id)
                .is_ok_and(|h| h.kind() == gix::object::Kind::Blob)
        })
        .collect();
    ids.sort();
    ids.dedup();
    Ok(ids
        .into_iter()
        .map(|blob| Intro {
            blob,
            path: format!("(unreachable blob {blob})"),
            commit: None,
        })
        .collect())
}

pub fn scan_history(
    repo: &gix::Repository,
    scanner: &Scanner,
    opts: &GitOptions,
    counters: &ScanCounters,
    diagnose: Diagnose<'_>,
) -> Result<Vec<Finding>, GitError> {
    // The walk reads commits and trees through a store of its own, dropped
    // (and its pack mappings unmapped) before the blobs are decoded: two live
    // mappings of the same pack would both count in the resident set.
    let timing = Timing::new();
    // Decoding the packs' trees does not need the commit graph: both run
    // at once, the trees on the traversal's threads.
    let (pack_dir, hash, threads) = (packindex::pack_dir(repo), repo.object_hash(), opts.threads);
    let (packed, loaded) = std::thread::scope(|s| {
        let packed = s.spawn(move || {
            let packs = packindex::open_packs(&pack_dir, hash);
            let trees = tree::TreeCache::from_packs(&packs, threads, TREE_CACHE_BYTES);
            (packs, trees)
        });
        let loaded = (|| {
            let walker = super::open(repo.git_dir())?;
            let tips = commits::ref_tips(&walker)?;
            let graph = commits::load(&walker, &tips, &Default::default())?;
            Ok::<_, GitError>((walker, graph))
        })();
        let packed = packed
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (packed, loaded)
    });
    let (packs, trees) = packed;
    let (walker, graph) = loaded?;
    timing.mark("commits and trees");
    if graph.is_truncated() {
        counters.warnings.fetch_add(1, Ordering::Relaxed);
        diagnose(
            "warning: shallow clone: history is truncated, only the commits present were scanned \
             (fetch the full history with actions/checkout `fetch-depth: 0` or `git fetch --unshallow`)",
        );
    }
    let mut seen = gix::hashtable::HashSet::default();
    let mut intros = introductions(&walker, &trees, &graph, &mut seen)?;
    drop(trees);
    drop(walker);
    timing.mark("walk");
    if opts.all_objects {
        intros.extend(unreachable_blobs(repo, &seen)?);
    }
    drop(seen);

    let progress = Progress::new(opts.progress, intros.len() as u64);
    let found = scan_blobs(
        repo, &packs, scanner, &intros, opts, counters, diagnose, &progress,
    )?;
    progress.finish();
    timing.mark("blobs");
    if std::env::var_os("GUARDRAIL_DELTA_STATS").is_some() {
        let [n, w, t] = &deltascan::STATS;
        diagnose(&format!(
            "delta scan: {} blobs, {} of their {} bytes in windows",
            n.load(Ordering::Relaxed),
            w.load(Ordering::Relaxed),
            t.load(Ordering::Relaxed)
        ));
    }

    // Provenance, read once per commit that has findings.
    let mut infos = HashMap::new();
    let mut located = Vec::with_capacity(found.len());
    for (intro, mut f) in found {
        let order = match intro.commit {
            Some(pos) => {
                let id = graph.nodes[graph.order[pos]].id;
                if let std::collections::hash_map::Entry::Vacant(e) = infos.entry(pos) {
                    e.insert(commit_info(repo, id)?);
                }
                f.commit = infos.get(&pos).cloned();
                pos
            }
            None => usize::MAX,
        };
        located.push(Located { order, finding: f });
    }
    let out = group(located);
    timing.mark("report");
    Ok(out)
}

/// Raw tree bytes kept from the packs for the attribution walk; trees past
/// this are read by id (slower, same result).
const TREE_CACHE_BYTES: usize = 96 << 20;

/// Phase times on stderr with `GUARDRAIL_GIT_TIMING=1` (for benchmarks).
struct Timing(Option<std::cell::Cell<std::time::Instant>>);

impl Timing {
    fn new() -> Self {
        Timing(
            std::env::var_os("GUARDRAIL_GIT_TIMING")
                .map(|_| std::cell::Cell::new(std::time::Instant::now())),
        )
    }

    fn mark(&self, what: &str) {
        if let Some(t) = &self.0 {
            let now = std::time::Instant::now();
            eprintln!("timing: {what}: {:.3} s", (now - t.get()).as_secs_f64());
            t.set(now);
        }
    }
}

/// Scan `intros` in parallel; returns each finding with its blob's intro.
#[allow(clippy::too_many_arguments)]
pub(crate) fn scan_blobs<'i>(
    repo: &gix::Repository,
    packs: &[packindex::Pack],
    scanner: &Scanner,
    intros: &'i [Intro],
    opts: &GitOptions,
    counters: &ScanCounters,
    diagnose: Diagnose<'_>,
    progress: &Progress,
) -> Result<Vec<(&'i Intro, Finding)>, GitError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()
        .map_err(|e| GitError::Object {
            what: "thread pool",
            id: String::new(),
            message: e.to_string(),
        })?;
    let failed = std::sync::atomic::AtomicU64::new(0);
    let out: Mutex<Vec<(&Intro, Finding)>> = Mutex::new(Vec::new());
    // Delta scanning needs the packs' delta structure; the rules decide
    // how far around a change a window must reach.
    let facts = opts.delta_scan.then(|| deltascan::DeltaRules::new(scanner));
    let process = |i: usize, blob: Blob<'_>| -> Option<Record> {
        let intro = &intros[i];
        let data = blob.data;
        progress.blob(data.len() as u64);
        if data.len() as u64 > opts.max_file_size {
            skip_large(intro, data.len() as u64, opts, counters, diagnose);
            return None;
        }
        if is_binary(data) {
            counters.skipped_binary.fetch_add(1, Ordering::Relaxed);
            return None;
        }
        counters.files.fetch_add(1, Ordering::Relaxed);
        counters
            .bytes
            .fetch_add(data.len() as u64, Ordering::Relaxed);
        let (found, record) = match &facts {
            None => (scanner.scan(&intro.path, data), None),
            Some(facts) => {
                // Only a base scanned under the same path has the same
                // path-dependent findings (path rules, test-path filters).
                let by_delta = blob
                    .delta
                    .filter(|d| intros[d.base.intro].path == intro.path)
                    .and_then(|d| {
                        deltascan::scan_delta(
                            scanner,
                            facts,
                            i,
                            &intro.path,
                            data,
                            d.base,
                            d.base_len,
                            d.ops,
                        )
                    });
                match by_delta {
                    Some((found, record)) => (found, blob.keep.then_some(record)),
                    None => deltascan::scan_whole(scanner, i, &intro.path, data, blob.keep),
                }
            }
        };
        if !found.is_empty() {
            let mut out = out.lock().unwrap_or_else(|p| p.into_inner());
            out.extend(found.into_iter().map(|f| (intro, f)));
        }
        record
    };

    // Packed blobs first, in pack order; then whatever was not in a pack.
    let wanted: Vec<ObjectId> = intros.iter().map(|i| i.blob).collect();
    let done = super::packscan::scan_packs(packs, &wanted, opts.threads, opts.delta_scan, &process);
    drop(wanted);
    let rest: Vec<usize> = (0..intros.len()).filter(|&i| !done[i]).collect();
    let sync = repo.clone().into_sync();
    pool.install(|| {
        rest.par_iter().for_each_init(
            || {
                let mut r = sync.to_thread_local();
                r.object_cache_size_if_unset(32 << 20);
                (r, Vec::new())
            },
            |(r, buf), &i| {
                let intro = &intros[i];
                // The header tells the size without inflating: a huge blob
                // never has to fit in memory just to be skipped.
                if let Ok(h) = r.find_header(intro.blob) {
                    if h.size() > opts.max_file_size {
                        skip_large(intro, h.size(), opts, counters, diagnose);
                        progress.blob(0);
                        return;
                    }
                }
                if let Err(e) = read_blob(r, intro.blob, buf) {
                    failed.fetch_add(1, Ordering::Relaxed);
                    counters.warnings.fetch_add(1, Ordering::Relaxed);
                    diagnose(&format!("warning: {}: {e}", intro.path));
                    progress.blob(0);
                    return;
                }
                process(
                    i,
                    Blob {
                        data: buf,
                        delta: None,
                        keep: false,
                    },
                );
                // Do not keep one huge blob's buffer around for the rest of the run.
                if buf.capacity() > 16 << 20 {
                    *buf = Vec::new();
                }
            },
        )
    });
    let failed = failed.into_inner();
    if failed > 0 && failed == intros.len() as u64 {
        return Err(GitError::Object {
            what: "any blob of",
            id: repo.git_dir().display().to_string(),
            message: "every blob failed to read".into(),
        });
    }
    Ok(out.into_inner().unwrap_or_else(|p| p.into_inner()))
}

fn skip_large(
    intro: &Intro,
    size: u64,
    opts: &GitOptions,
    counters: &ScanCounters,
    diagnose: Diagnose<'_>,
) {
    counters.skipped_large.fetch_add(1, Ordering::Relaxed);
    if opts.verbose {
        diagnose(&format!(
            "note: {} (blob {}): skipped, {size} bytes is over --max-file-size {}",
            intro.path, intro.blob, opts.max_file_size
        ));
    }
}
