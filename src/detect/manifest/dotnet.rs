//! .NET: `PackageReference` / `PackageVersion` in MSBuild files, `packages.config`.

use super::Dependency;

/// FIXME(#3): being written.
pub fn msbuild(_text: &str) -> Result<Vec<Dependency>, String> {
    Ok(Vec::new())
}

/// FIXME(#3): being written.
pub fn packages_config(_text: &str) -> Result<Vec<Dependency>, String> {
    Ok(Vec::new())
}
