//! npm manifests and lockfiles.

use serde_json::Value as Json;

use super::{find, Dependency};
use crate::rules::{normalize_package, Ecosystem};

/// Dependencies of every section of a `package.json`.
pub fn package_json(text: &str) -> Result<Vec<Dependency>, String> {
    let doc: Json = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for section in [
        "dependencies",
        "devDependencies",
        "peerDependencies",
        "optionalDependencies",
    ] {
        let Some(deps) = doc.get(section).and_then(|d| d.as_object()) else {
            continue;
        };
        let section_at = find(text, &format!("\"{section}\""), 0).unwrap_or(0);
        for name in deps.keys() {
            let quoted = serde_json::to_string(name).unwrap_or_default();
            let offset = find(text, &quoted, section_at).unwrap_or(section_at);
            out.push(Dependency {
                name: normalize_package(name, Ecosystem::Npm),
                offset,
                locked: false,
            });
        }
    }
    Ok(out)
}

/// FIXME(#3): being written.
pub fn package_lock(_text: &str) -> Result<Vec<Dependency>, String> {
    Ok(Vec::new())
}

/// FIXME(#3): being written.
pub fn pnpm_lock(_text: &str) -> Result<Vec<Dependency>, String> {
    Ok(Vec::new())
}

/// FIXME(#3): being written.
pub fn yarn_lock(_text: &str) -> Result<Vec<Dependency>, String> {
    Ok(Vec::new())
}

#[cfg(test)]
mod tests {
    use super::super::{dependencies, ManifestKind};

    fn names(kind: ManifestKind, text: &str) -> Vec<String> {
        dependencies(kind, text)
            .unwrap()
            .into_iter()
            .map(|d| d.name)
            .collect()
    }

    #[test]
    fn package_json_sections() {
        let text = r#"{"name":"x","dependencies":{"ai":"^4","react":"18"},"devDependencies":{"@langchain/core":"1"}}"#;
        assert_eq!(
            names(ManifestKind::PackageJson, text),
            vec!["ai", "react", "@langchain/core"]
        );
    }

    #[test]
    fn malformed_package_json_is_an_error_not_a_panic() {
        assert!(dependencies(ManifestKind::PackageJson, "{\"dependencies\": {").is_err());
    }
}
