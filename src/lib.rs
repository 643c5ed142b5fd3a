//! aiscout finds the AI in an organisation's code and configuration and turns it into
//! an inventory of agent units.
//!
//! ```text
//! source ──► scan ──────► detect ──────────► model ─────► inventory ──► report
//! (walk,     (one Aho-     (code: tree-sitter  (Evidence,   (repos,       (table,
//!  repos,     Corasick      imports; manifest;  redacted     units)        json)
//!  limits)    prefilter)    pattern; files)     at birth)
//! ```
//!
//! Data flows one way. A stage imports only earlier stages and `model`; `rules` feeds
//! `scan` and `detect`; only `cli` and `report` print. `cache` (`scan --cache`) sits
//! beside `detect`: it keeps what the detectors said about each blob, so a rescan skips
//! reading and detecting what has not changed.

#![warn(missing_docs)]
#![warn(clippy::print_stdout, clippy::iter_over_hash_type)]

pub mod cache;
pub mod cli;
pub mod detect;
pub mod inventory;
pub mod model;
pub mod prefilter;
pub mod report;
pub mod rules;
pub mod source;
