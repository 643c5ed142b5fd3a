//! The JSON reporter: the inventory as pretty, sorted, versioned JSON with a final
//! newline. Byte-identical for the same inventory.

use std::io::{self, Write};

use super::ReportOptions;
use crate::inventory::Inventory;

/// Writes `inv` as JSON.
pub fn write(inv: &Inventory, _opts: &ReportOptions, w: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, inv)?;
    w.write_all(b"\n")
}
