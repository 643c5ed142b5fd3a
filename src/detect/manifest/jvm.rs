//! JVM builds: Maven `pom.xml`, Gradle `build.gradle(.kts)`.

use super::Dependency;

/// FIXME(#3): being written.
pub fn pom(_text: &str) -> Result<Vec<Dependency>, String> {
    Ok(Vec::new())
}

/// FIXME(#3): being written.
pub fn gradle(_text: &str) -> Result<Vec<Dependency>, String> {
    Ok(Vec::new())
}
