//! aiscout finds the AI in an organisation's code and configuration and turns it into
//! an inventory of agent units.
//!
//! ```text
//! source ──► blobs ──► prefilter ──► detect ──► evidence ──► inventory ──► report
//! (walk, git, (bytes,   (one keyword   (code,     (typed,      (units,       (table, json,
//!  filekind)  path,      pass selects  manifest,  located,     owner,        sarif, …;
//!             origin)    the rules)    config,    redacted     signals,      pure views)
//!                                      secret)    at birth)    status)
//! ```
//!
//! [`scan`] runs it: the engine feeds every blob of every source through one blob
//! worker (cache lookup, decode, classify, prefilter, detect, count) and builds the
//! [`inventory::Inventory`]; the CLI only maps flags to a [`ScanConfig`] and an
//! inventory to output and an exit code. Data flows one way: each stage imports only
//! the stages before it, in this order (`scripts/layers` checks it):
//! `model` ← `source` ← `rules` ← `prefilter` ← `detect` ← `cache` ← `inventory` ←
//! `engine` ← `report` ← `cli`. Only `cli` and `report` print. The map of modules and
//! how to extend them: `docs/architecture.md`.

#![warn(missing_docs)]
#![warn(clippy::print_stdout, clippy::iter_over_hash_type)]

pub mod cache;
pub mod cli;
pub mod detect;
pub mod engine;
pub mod inventory;
pub mod model;
pub mod prefilter;
pub mod report;
pub mod rules;
pub mod source;

pub use engine::{scan, scan_with, ScanConfig, ScanError};
