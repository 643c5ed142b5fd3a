//! Rust: `Cargo.toml` dependency tables, `Cargo.lock`.

use super::Dependency;

/// FIXME(#3): being written.
pub fn cargo_toml(_text: &str) -> Result<Vec<Dependency>, String> {
    Ok(Vec::new())
}

/// FIXME(#3): being written.
pub fn cargo_lock(_text: &str) -> Result<Vec<Dependency>, String> {
    Ok(Vec::new())
}
