//! Unit tests of the delta scan; the end-to-end check against
//! `--no-delta-scan` on a real repository is `tests/git_delta_scan.rs`.

use super::*;

#[test]
fn parses_copy_and_insert() {
    // copy 4 bytes at 2, insert "xy", copy 3 bytes at 6
    let ops = [
        0x80 | 0x01 | 0x10,
        2,
        4,
        2,
        b'x',
        b'y',
        0x80 | 0x01 | 0x10,
        6,
        3,
    ];
    let segs = segments(&ops, 10).unwrap();
    assert_eq!(segs.len(), 3);
    assert_eq!((segs[0].start, segs[0].end, segs[0].base), (0, 4, Some(2)));
    assert_eq!((segs[1].start, segs[1].end, segs[1].base), (4, 6, None));
    assert_eq!((segs[2].start, segs[2].end, segs[2].base), (6, 9, Some(6)));
    // Out of bounds copy is refused.
    assert!(segments(&[0x80 | 0x01 | 0x10, 8, 4], 10).is_none());
    let merged = segments(&[0x91, 0, 4, 0x91, 4, 4], 10).unwrap();
    assert_eq!(merged.len(), 1);
    assert_eq!((merged[0].start, merged[0].end), (0, 8));
}

#[test]
fn intersects_rule_windows_with_scan_windows() {
    let w = |r: Range<usize>| Window {
        range: r,
        zones: Vec::new(),
    };
    let scan = [w(10..20), w(30..40)];
    assert_eq!(
        intersect(&[0..12, 15..35, 38..50], &scan),
        vec![10..12, 15..20, 30..35, 38..40]
    );
    assert_eq!(intersect(&[0..100], &scan), vec![10..20, 30..40]);
    assert!(intersect(&[20..30, 41..50], &scan).is_empty());
}

#[test]
fn builtin_rules_are_mostly_windowable() {
    let scanner = Scanner::new(crate::rules::builtin_rules().unwrap());
    let facts = DeltaRules::new(&scanner);
    let rules = scanner.rules().rules();
    let unbounded: Vec<&str> = (0..rules.len())
        .filter(|&i| facts.unbounded[i])
        .map(|i| rules[i].id())
        .collect();
    eprintln!("reach {}\nunbounded: {unbounded:?}", facts.reach);
    // PEM blocks have no length bound; `\s*` around `=` has none either.
    assert!(unbounded.contains(&"private-key-rsa"));
    assert!(unbounded.contains(&"aws-secret-access-key"));
    assert!(!unbounded.contains(&"github-pat-classic"));
    assert!(!unbounded.contains(&"generic-secret-xml"));
    assert!(unbounded.len() < rules.len() / 4);
    assert!(facts.reach <= MAX_REACH);
    // One flag per keyword pattern, and common keywords are line-only.
    assert_eq!(facts.line_only.len(), scanner.keyword_rules().len());
    let line_only = facts.line_only.iter().filter(|&&l| l).count();
    assert!(
        line_only * 3 > facts.line_only.len(),
        "{line_only} line-only"
    );
    let mut hits = Vec::new();
    scanner.keyword_hits(b"token", &mut hits);
    assert!(hits.iter().any(|h| facts.line_only[h.pattern as usize]));
}

/// A git delta turning `base` into `new`: each line of `new` that occurs
/// in `base` is copied, from where the previous copy left off if the line
/// is there, else from its first occurrence (moved lines make seams);
/// other lines are inserted.
fn encode_delta(base: &[String], new: &[String]) -> Vec<u8> {
    let mut first = std::collections::HashMap::new();
    let mut line_at = std::collections::HashMap::new();
    let mut off = 0;
    for l in base {
        first.entry(l.as_str()).or_insert(off);
        line_at.insert(off, l.as_str());
        off += l.len();
    }
    // (base offset or None for insert, bytes)
    let mut runs: Vec<(Option<usize>, Vec<u8>)> = Vec::new();
    for l in new {
        let next = match runs.last() {
            Some((Some(rb), bytes)) => Some(rb + bytes.len()),
            _ => None,
        };
        if next.is_some_and(|n| line_at.get(&n) == Some(&l.as_str())) {
            runs.last_mut().unwrap().1.extend_from_slice(l.as_bytes());
            continue;
        }
        match (first.get(l.as_str()), runs.last_mut()) {
            (Some(&b), _) => runs.push((Some(b), l.as_bytes().to_vec())),
            (None, Some((None, bytes))) => bytes.extend_from_slice(l.as_bytes()),
            (None, _) => runs.push((None, l.as_bytes().to_vec())),
        }
    }
    let mut ops = Vec::new();
    for (b, bytes) in runs {
        match b {
            Some(b) => {
                for (k, chunk) in bytes.chunks(0xffff).enumerate() {
                    let ofs = b + k * 0xffff;
                    let n = chunk.len();
                    ops.push(0x80 | 0x0f | 0x30);
                    ops.extend_from_slice(&(ofs as u32).to_le_bytes());
                    ops.extend_from_slice(&(n as u16).to_le_bytes());
                }
            }
            None => {
                for chunk in bytes.chunks(127) {
                    ops.push(chunk.len() as u8);
                    ops.extend_from_slice(chunk);
                }
            }
        }
    }
    ops
}

/// What a comparison needs of a finding: everything located, and what the
/// structured detector adds (key path, confidence, tags).
type Key = (
    String,
    usize,
    usize,
    usize,
    usize,
    String,
    bool,
    Option<String>,
    String,
    Vec<String>,
);

fn key(f: &Finding) -> Key {
    (
        f.rule_id.clone(),
        f.line,
        f.column,
        f.end_line,
        f.end_column,
        f.secret.clone(),
        f.suppressed.is_some(),
        f.key_path.clone(),
        f.confidence.as_str().to_string(),
        f.tags.clone(),
    )
}

struct Rng(u64);
impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// A line of filler, keyword-bearing text or a secret; secrets of rules no
/// window can see only when `unbounded`.
fn random_line(rng: &mut Rng, unbounded: bool) -> String {
    let seed = rng.below(1 << 30) as u64;
    let ex = |t: &str| crate::detect::examples::expand(t, seed).unwrap().0;
    match rng.below(30) {
        // A rule selected by a keyword anywhere in the file, and its token.
        24 => "// square payments\n".into(),
        25 => ex("sq = \"⟪EAAA[A-Za-z0-9_-]{60}⟫\";\n"),
        // Rules no window can see: a PEM block, `\\s*` around `=`.
        26 if unbounded => ex(
            "⟪-----BEGIN RSA PRIVATE KEY-----\nMIIE[A-Za-z0-9+/]{60}\n(?:[A-Za-z0-9+/]{64}\n){8}[A-Za-z0-9+/]{20}==\n-----END RSA PRIVATE KEY-----⟫\n",
        ),
        27 if unbounded && seed % 5 == 0 => ex("aws_secret_access_key = ⟪[A-Za-z0-9/+]{40}⟫\n"),
        // A context rule anchored on `secret` (another rule's keyword), with
        // `\s*` around `=`: its key and value may land on separate lines.
        28 if unbounded => ex("instagram_secret = \"⟪[a-f0-9]{32}⟫\"\n"),
        29 if unbounded => "instagram_app_secret\n".into(),
        0 => ex("    let gh = \"⟪ghp_[A-Za-z0-9]{36}⟫\";\n"),
        1 => ex("api_key = \"⟪[a-zA-Z0-9]{32}⟫\"\n"),
        2 => ex("  <password>⟪[A-Za-z0-9]{16}⟫</password>\n"),
        3 => ex("slack = \"⟪xoxb-[0-9]{11}-[0-9]{12}-[A-Za-z0-9]{24}⟫\" # guardrail:allow\n"),
        4 => "    // the token and the secret are read from the environment\n".into(),
        5 => "password:\n".into(),
        6 => format!("    let t{seed} = ghp_ + \"short\";\n"),
        _ => format!("    let value_{} = compute(alpha, {});\n", seed % 997, seed),
    }
}

/// Chains of random edits, each version scanned by delta against the
/// previous one: whenever the delta scan answers, it answers exactly what
/// the whole-blob scan of that version does. Returns (by delta, total).
fn random_chains(
    path: &str,
    seed: u64,
    line: &mut dyn FnMut(&mut Rng, bool) -> String,
) -> (usize, usize, usize) {
    let scanner = Scanner::new(crate::rules::builtin_rules().unwrap());
    let rules = DeltaRules::new(&scanner);
    let mut rng = Rng(seed);
    let (mut by_delta, mut total, mut structured) = (0, 0, 0);
    for chain in 0..6 {
        let mut lines: Vec<String> = (0..400).map(|_| line(&mut rng, false)).collect();
        let mut data = lines.concat().into_bytes();
        let mut record = scan_whole(&scanner, 0, path, &data, true).1.unwrap();
        for _version in 0..15 {
            let old = lines.clone();
            for _ in 0..1 + rng.below(6) {
                let at = rng.below(lines.len());
                match rng.below(5) {
                    0 => lines[at] = line(&mut rng, chain >= 3),
                    1 => lines.insert(at, line(&mut rng, chain >= 3)),
                    2 => {
                        lines.remove(at);
                    }
                    3 => {
                        // Move a block elsewhere (copies out of order).
                        let n = 1 + rng.below(20).min(lines.len() - at - 1);
                        let block: Vec<String> = lines.drain(at..at + n).collect();
                        let to = rng.below(lines.len());
                        lines.splice(to..to, block);
                    }
                    _ => {
                        // Split a line: text joins across the seam.
                        let l = lines[at].clone();
                        let cut = rng.below(l.len().max(1));
                        if l.is_char_boundary(cut) {
                            lines[at] = format!("{}\n{}", &l[..cut], &l[cut..]);
                        }
                    }
                }
            }
            let new = lines.concat().into_bytes();
            let ops = encode_delta(&old, &lines);
            let want: Vec<_> = scanner.scan(path, &new).iter().map(key).collect();
            structured += want.iter().filter(|k| k.7.is_some()).count();
            total += 1;
            match scan_delta(&scanner, &rules, 0, path, &new, &record, data.len(), &ops) {
                Some((found, next)) => {
                    let got: Vec<_> = found.iter().map(key).collect();
                    assert_eq!(got, want);
                    by_delta += 1;
                    record = next;
                }
                None => record = scan_whole(&scanner, 0, path, &new, true).1.unwrap(),
            }
            data = new;
        }
    }
    (by_delta, total, structured)
}

#[test]
fn delta_scans_equal_whole_scans_on_random_edits() {
    let (by_delta, total, structured) = random_chains("src/config.rs", 5, &mut random_line);
    // Not a silent fallback: most versions went by delta.
    assert!(by_delta * 2 > total, "{by_delta} of {total}");
    assert!(structured > 0, "no structured findings to compare");
}

/// YAML whose key paths depend on lines far above a value (a parent key
/// renamed, indentation shifted, a block scalar swallowing lines): the
/// structured findings of a delta scan are still the whole scan's.
#[test]
fn delta_scans_equal_whole_scans_on_structured_yaml() {
    let mut line = |rng: &mut Rng, _unbounded: bool| -> String {
        let seed = rng.below(1 << 30) as u64;
        let ex = |t: &str| crate::detect::examples::expand(t, seed).unwrap().0;
        match rng.below(16) {
            0 => "database:\n".into(),
            1 => "  production:\n".into(),
            2 => ex("    password: ⟪[a-z]{5}[0-9]{3}!⟫\n"),
            3 => ex("  api_token: ⟪[A-Za-z0-9]{28}⟫\n"),
            4 => "  - name: DB_PASSWORD\n".into(),
            5 => ex("    value: ⟪[a-z]{6}[0-9]{3}⟫\n"),
            6 => "notes: |\n".into(),
            7 => ex("  - SMTP_PASSWORD=⟪[a-z]{5}[0-9]{4}⟫\n"),
            8 => "    password: ${FROM_ENV}\n".into(),
            9 => ex("secret_key: \"⟪[A-Za-z0-9]{32}⟫\"\n"),
            10 => "---\n".into(),
            _ => format!("  setting_{}: value-{}\n", seed % 97, seed % 13),
        }
    };
    let (by_delta, total, structured) = random_chains("deploy/values.yaml", 9, &mut line);
    assert!(by_delta * 2 > total, "{by_delta} of {total}");
    assert!(
        structured > 50,
        "only {structured} structured findings compared"
    );
}

/// A context rule anchored on a common word (`aws-secret-access-key` on
/// `secret`) whose match runs from an unchanged line far before the change
/// (`\s*` over many blank lines) to a value the change inserts: the anchor
/// hit is far from every scan window, yet the rule must still see it.
#[test]
fn far_anchor_of_an_unbounded_context_rule_is_kept() {
    let scanner = Scanner::new(crate::rules::builtin_rules().unwrap());
    let rules = DeltaRules::new(&scanner);
    let path = "deploy/env.txt";
    let filler = "value = compute(alpha, beta)\n".repeat(2600);
    let value = crate::detect::examples::expand("⟪[A-Za-z0-9/+]{40}⟫", 11)
        .unwrap()
        .0;
    let old: Vec<String> = vec![
        "# the secret is read elsewhere\n".into(),
        filler.clone(),
        "aws_secret_access_key\n".into(),
        "\n".repeat(12_000),
        "= unset\n".into(),
        "end\n".into(),
    ];
    let mut new = old.clone();
    new[4] = format!("= {value}\n");
    let (old_data, new_data) = (old.concat().into_bytes(), new.concat().into_bytes());
    let record = scan_whole(&scanner, 0, path, &old_data, true).1.unwrap();
    let want: Vec<_> = scanner.scan(path, &new_data).iter().map(key).collect();
    assert!(
        want.iter().any(|k| k.0 == "aws-secret-access-key"),
        "whole scan: {want:?}"
    );
    let ops = encode_delta(&old, &new);
    if let Some((found, _)) = scan_delta(
        &scanner,
        &rules,
        0,
        path,
        &new_data,
        &record,
        old_data.len(),
        &ops,
    ) {
        let got: Vec<_> = found.iter().map(key).collect();
        assert_eq!(got, want);
    }
}
