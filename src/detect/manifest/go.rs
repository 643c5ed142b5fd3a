//! Go modules: `go.mod` (`require`, `// indirect`), `go.sum`.

use super::Dependency;

/// FIXME(#3): being written.
pub fn go_mod(_text: &str) -> Result<Vec<Dependency>, String> {
    Ok(Vec::new())
}

/// FIXME(#3): being written.
pub fn go_sum(_text: &str) -> Result<Vec<Dependency>, String> {
    Ok(Vec::new())
}
