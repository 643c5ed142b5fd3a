//! The integration tests: one crate, so the library and its dependencies are linked
//! once for all of them (eleven test binaries each linked the whole library).

mod common;

mod anchors;
mod cache;
mod cli;
mod config_story;
mod fingerprints;
mod fixtures;
mod git;
mod hostile;
mod links;
mod no_leak;
mod policy;
mod registry;
mod report;
mod report_actions;
mod report_schemas;
mod risk;
mod shard;
mod table;
mod trust_io;
mod units;
mod walk;
