//! Dependency review: lockfile parsers, inventory diff, advisory database,
//! version ranges. Independent of the secret pipeline.

pub mod config;
pub mod model;
