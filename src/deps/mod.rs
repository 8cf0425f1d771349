//! Dependency review: lockfile parsers, inventory diff, advisory database,
//! version ranges. Independent of the secret pipeline.

pub mod advisory;
pub mod config;
pub mod diff;
pub mod discover;
pub mod gitrev;
pub mod image;
pub mod lockfile;
pub mod model;
pub mod ospkg;
pub mod review;
pub mod version;
