//! guardrail: an offline-first secret and dependency scanner for CI.
//!
//! Data flows one way: [`source`] yields bytes with provenance, [`detect`]
//! turns them into [`finding::Finding`]s, [`report`] writes them out. [`deps`]
//! is a second pipeline that shares only `report` and the git helpers.

pub mod cli;
pub mod config;
pub mod deps;
pub mod detect;
pub mod finding;
pub mod report;
pub mod rules;
pub mod source;
pub mod suppress;
pub mod util;
pub mod workflows;
