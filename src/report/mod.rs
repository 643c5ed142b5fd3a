//! Reporters: pure functions from an [`Inventory`] to bytes, one file per format.
//! They compute nothing the inventory does not hold (counts and percentages for
//! people are in [`summary`], shared by the human formats); JSON is lossless and the
//! only format read back. No reporter may print a secret value: the inventory holds
//! none, and every format prints only its redacted prefix and fingerprint.

pub mod anchors;
pub mod csv;
pub mod cyclonedx;
pub mod diff;
pub mod fit;
pub mod graph;
pub mod html;
pub mod json;
pub mod links;
pub mod markdown;
pub mod sarif;
pub mod summary;
pub mod table;

use std::io::{self, Write};

use crate::inventory::policy::Policy;
use crate::inventory::Inventory;
use crate::model::LogSafe;

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A readable table (default).
    Table,
    /// Lossless, versioned, sorted JSON (see docs/inventory-json.md).
    Json,
    /// A governance review in Markdown: summary, then one row per agent.
    Markdown,
    /// The same review as one self-contained, offline HTML file.
    Html,
    /// SARIF 2.1.0 for code-scanning UIs: secrets and ungoverned agents.
    Sarif,
    /// CycloneDX 1.6 JSON: an AI bill of materials.
    Cyclonedx,
    /// One row per agent unit, for spreadsheets.
    Csv,
}

/// How to render.
#[derive(Clone, Debug, Default)]
pub struct ReportOptions {
    /// Emit ANSI colour.
    pub color: bool,
    /// List every piece of evidence, not only the units.
    pub verbose: bool,
    /// The `--fail-on` policy in force: SARIF marks what it fails on as `error`.
    pub fail_on: Vec<Policy>,
    /// A previous inventory (`--previous`): Markdown and HTML show the trend since.
    pub previous: Option<Inventory>,
    /// Fit the table into this many terminal columns; `None` prints it in full (a
    /// pipe, a file, `--wide`).
    pub width: Option<usize>,
}

/// Writes `inv` as `format`.
pub fn write(
    format: Format,
    inv: &Inventory,
    opts: &ReportOptions,
    w: &mut dyn Write,
) -> io::Result<()> {
    match format {
        // Human text goes to terminals and CI logs: every line through `LogSafe`, on
        // top of each field being `shown`, so a field a writer forgot is still caught.
        Format::Table => human(w, opts.color, |w| table::write(inv, opts, w)),
        Format::Json => json::write(inv, opts, w),
        Format::Markdown => human(w, false, |w| markdown::write(inv, opts, w)),
        Format::Html => html::write(inv, opts, w),
        Format::Sarif => sarif::write(inv, opts, w),
        Format::Cyclonedx => cyclonedx::write(inv, opts, w),
        Format::Csv => csv::write(inv, opts, w),
    }
}

/// Runs a human-text writer through [`LogSafe`], keeping ESC only when `color` (the
/// writer's own colour codes; its fields are `shown`).
pub(crate) fn human(
    w: &mut dyn Write,
    color: bool,
    f: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let mut safe = LogSafe::new(w, color);
    f(&mut safe)?;
    safe.finish()
}
