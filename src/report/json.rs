//! `--format json`: `{"version": 1, "findings": [...], "stats": {...}}`,
//! documented in the README.

use serde_json::{json, Value};

use super::SecretsReport;

pub fn secrets_json(report: &SecretsReport<'_>) -> Value {
    let findings: Vec<Value> = report
        .shown()
        .map(|f| {
            let mut v = serde_json::to_value(f).expect("finding serialises");
            v["secret"] = Value::String(report.secret_text(f));
            v
        })
        .collect();
    json!({
        "version": 1,
        "scan": report.kind.as_str(),
        "findings": findings,
        "stats": {
            "files_scanned": report.stats.files_scanned,
            "bytes_scanned": report.stats.bytes_scanned,
            "files_skipped_binary": report.stats.files_skipped_binary,
            "files_skipped_too_large": report.stats.files_skipped_too_large,
            "warnings": report.stats.warnings,
            "duration_ms": report.stats.duration_ms,
            "findings": report.findings.iter().filter(|f| !f.is_suppressed()).count(),
            "suppressed": report.findings.iter().filter(|f| f.is_suppressed()).count(),
        },
    })
}
