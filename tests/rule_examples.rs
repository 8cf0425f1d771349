//! Every built-in rule compiles and passes its own positive and negative
//! examples, in the company of all the other rules.

use guardrail::detect::{examples, Scanner};

#[test]
fn every_builtin_rule_passes_its_examples() {
    let scanner = Scanner::new(guardrail::rules::builtin_rules().expect("built-in rules compile"));
    let failures = examples::check_all(&scanner);
    let report: Vec<String> = failures.iter().map(|f| f.to_string()).collect();
    assert!(
        report.is_empty(),
        "{} failure(s):\n{}",
        report.len(),
        report.join("\n")
    );
}
