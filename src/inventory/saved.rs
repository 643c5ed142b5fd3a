//! Reading a saved inventory (`scan --format json`) back: the one format every command
//! that does not scan (`report`, `diff`, `merge`) reads. An inventory of another
//! `schema_version` is refused with what to do, never half-read.

use super::{Inventory, SCHEMA_VERSION};
use crate::source::filekind::FileKind;

/// Why a saved inventory could not be read. Messages name no file: callers add it.
#[derive(Debug, thiserror::Error)]
pub enum SavedError {
    /// Not JSON at all.
    #[error("not JSON: {0}")]
    NotJson(serde_json::Error),
    /// JSON without a `schema_version`.
    #[error(
        "not an aiscout inventory (no schema_version; write one with `aiscout scan --format json`)"
    )]
    NotInventory,
    /// Written by an aiscout with another layout.
    #[error(
        "inventory schema_version {found}, but this aiscout reads version {SCHEMA_VERSION}; \
         re-scan with this aiscout, or render it with the aiscout that wrote it"
    )]
    Version {
        /// The version it says it has.
        found: u64,
    },
    /// The right version, but not the right shape.
    #[error("not a valid aiscout inventory: {0}")]
    Invalid(serde_json::Error),
}

/// Reads an inventory from its JSON text. Evidence gets back what the file classifier
/// says of its path, which the JSON does not carry.
pub fn from_json(text: &str) -> Result<Inventory, SavedError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(SavedError::NotJson)?;
    let Some(found) = value.get("schema_version").and_then(|v| v.as_u64()) else {
        return Err(SavedError::NotInventory);
    };
    if found != u64::from(SCHEMA_VERSION) {
        return Err(SavedError::Version { found });
    }
    let mut inv: Inventory = serde_json::from_value(value).map_err(SavedError::Invalid)?;
    let units = inv.units.iter_mut().chain(inv.not_agents.iter_mut());
    let ci = inv.ai_in_ci.iter_mut().flat_map(|c| c.evidence.iter_mut());
    for e in units.flat_map(|u| u.evidence.iter_mut()).chain(ci) {
        e.file = FileKind::of(&e.path).class;
    }
    Ok(inv)
}
