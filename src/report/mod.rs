//! Reporters: pure functions from an [`Inventory`] to bytes, one file per format.
//! They compute nothing the inventory does not hold; JSON is lossless and the only
//! format read back.

pub mod json;
pub mod table;

use std::io::{self, Write};

use crate::inventory::Inventory;

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A readable table (default).
    Table,
    /// Lossless, versioned, sorted JSON (see docs/inventory-json.md).
    Json,
}

/// How to render.
#[derive(Clone, Debug, Default)]
pub struct ReportOptions {
    /// Emit ANSI colour.
    pub color: bool,
    /// List every piece of evidence, not only the units.
    pub verbose: bool,
}

/// Writes `inv` as `format`.
pub fn write(
    format: Format,
    inv: &Inventory,
    opts: &ReportOptions,
    w: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Table => table::write(inv, opts, w),
        Format::Json => json::write(inv, opts, w),
    }
}
