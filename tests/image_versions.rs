//! Distribution version orderings against the real tools: thousands of
//! pairs of real version strings whose order `dpkg --compare-versions`,
//! `apk version -t` and rpm's `rpm.vercmp` gave (see
//! tests/fixtures/versions/SOURCE.md), and, where `dpkg` is installed, a
//! sample re-asked of dpkg itself.

use std::cmp::Ordering;
use std::process::Command;

use guardrail::deps::model::Ecosystem;
use guardrail::deps::ospkg::{Distro, OsEcosystem};
use guardrail::deps::version;

fn eco(d: Distro) -> Ecosystem {
    Ecosystem::Os(OsEcosystem::new(d, "").unwrap())
}

fn pairs(name: &str) -> Vec<(String, String, Ordering)> {
    let path = format!(
        "{}/tests/fixtures/versions/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    text.lines()
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let o = match f[2] {
                "<" => Ordering::Less,
                "=" => Ordering::Equal,
                ">" => Ordering::Greater,
                x => panic!("{path}: bad answer {x:?}"),
            };
            (f[0].to_string(), f[1].to_string(), o)
        })
        .collect()
}

/// Every pair must be ordered as the tool orders it, except that up to
/// `rejected` pairs may hold a version we refuse to order (an error, so
/// the package is reported as not checked rather than guessed about).
fn check(name: &str, e: Ecosystem, rejected: usize) {
    let ps = pairs(name);
    assert!(ps.len() >= 2000, "{name}: {} pairs", ps.len());
    let mut wrong = Vec::new();
    let mut refused = Vec::new();
    for (a, b, want) in &ps {
        match version::compare(e, a, b) {
            Ok(got) if got == *want => {}
            Err(err) => refused.push(err.to_string()),
            got => wrong.push(format!("{a} vs {b}: tool says {want:?}, we say {got:?}")),
        }
    }
    assert!(
        refused.len() <= rejected,
        "{name}: {} pairs refused: {:?}",
        refused.len(),
        &refused[..refused.len().min(10)]
    );
    assert!(
        wrong.is_empty(),
        "{name}: {} of {} pairs differ:\n{}",
        wrong.len(),
        ps.len(),
        wrong[..wrong.len().min(20)].join("\n")
    );
}

#[test]
fn dpkg_order_equals_dpkg_compare_versions() {
    check("dpkg-pairs.txt", eco(Distro::Debian), 0);
    check("dpkg-pairs.txt", eco(Distro::Ubuntu), 0);
}

#[test]
fn apk_order_equals_apk_version_t() {
    // 41 pairs hold one of 7 malformed secdb versions (`1.0.4.-r0`,
    // `1.11-20-r0`): apk-tools 2.14 still orders them, its successor's
    // grammar (which this follows) rejects them; we report such a package
    // as not checked.
    check("apk-pairs.txt", eco(Distro::Alpine), 41);
    check("apk-pairs.txt", eco(Distro::Wolfi), 41);
}

#[test]
fn rpm_order_equals_rpmvercmp() {
    check("rpm-pairs.txt", eco(Distro::RockyLinux), 0);
}

/// The fixture's answers are dpkg's own: re-ask dpkg for a sample, when
/// it is installed (it is on the Debian machines CI runs on).
#[test]
fn dpkg_answers_are_dpkgs() {
    if Command::new("dpkg").arg("--version").output().is_err() {
        eprintln!("dpkg not installed: fixture answers not re-checked");
        return;
    }
    let ps = pairs("dpkg-pairs.txt");
    for (a, b, want) in ps.iter().step_by(ps.len() / 60) {
        let lt = Command::new("dpkg")
            .args(["--compare-versions", a, "lt", b])
            .status()
            .unwrap()
            .success();
        let eq = Command::new("dpkg")
            .args(["--compare-versions", a, "eq", b])
            .status()
            .unwrap()
            .success();
        let got = if lt {
            Ordering::Less
        } else if eq {
            Ordering::Equal
        } else {
            Ordering::Greater
        };
        assert_eq!(got, *want, "{a} vs {b}");
        assert_eq!(version::compare(eco(Distro::Debian), a, b).unwrap(), got);
    }
}

#[test]
fn edge_cases() {
    use Ordering::*;
    let d = eco(Distro::Debian);
    for (a, b, o) in [
        ("1:1.0", "2.0", Greater),
        ("1.0~rc1", "1.0", Less),
        ("1.0~~", "1.0~", Less),
        ("1.0-1", "1.0-1+b1", Less),
        ("0:1.0", "1.0", Equal),
        ("1.0+dfsg-1", "1.0-1", Greater),
    ] {
        assert_eq!(version::compare(d, a, b).unwrap(), o, "dpkg {a} {b}");
    }
    let r = eco(Distro::AlmaLinux);
    for (a, b, o) in [
        ("1:1.0-1.el9", "2.0-1.el9", Greater),
        ("1.0~rc1-1", "1.0-1", Less),
        ("1.0^git1-1", "1.0-1", Greater),
        ("0:3.0.7-24.el9", "3.0.7-24.el9", Equal),
        ("3.0.7-24.el9", "3.0.7-25.el9", Less),
    ] {
        assert_eq!(version::compare(r, a, b).unwrap(), o, "rpm {a} {b}");
    }
    let a = eco(Distro::Alpine);
    assert_eq!(
        version::compare(a, "1.2.3_rc1-r0", "1.2.3-r0").unwrap(),
        Less
    );
    assert!(version::compare(a, "not-a-version", "1.0").is_err());
    assert!(version::compare(d, "", "1.0").is_err());
}
