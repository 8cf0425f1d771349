//! SARIF 2.1.0 for the GitHub Security tab.

use serde_json::Value;

use super::SecretsReport;

pub fn secrets_sarif(report: &SecretsReport<'_>) -> Value {
    let _ = report;
    todo!("SARIF writer")
}
