//! Rust: `Cargo.toml` dependency tables and `Cargo.lock`, read with the `toml` crate.
//!
//! Dependency tables: `[dependencies]`, `[dev-dependencies]`, `[build-dependencies]`
//! (and their legacy `_` spellings), the same under `[target.'cfg(…)'.*]`, and
//! `[workspace.dependencies]`. A renamed dependency (`oai = { package = "async-openai" }`)
//! is reported under its registry name. `[patch.*]` and `[replace]` override sources of
//! crates declared elsewhere; they declare nothing and are not read.
//!
//! Offsets come from the parser's spans (`toml::Spanned`), so they are exact for every
//! spelling: `a = "1"`, `"a" = …`, `[dependencies.a]`, `dependencies.a = …`.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::{find, Dependency};
use crate::model::Ecosystem;
use crate::rules::normalize_package;

/// One dependency table: names (with their spans) to specs.
type DepTable = BTreeMap<Spanned<String>, toml::Value>;

/// The raw serde form of the parts of `Cargo.toml` we read. The same shape serves a
/// `[target.'cfg(…)']` table; `#[serde(flatten)]` is avoided because it buffers values
/// and loses the spans.
#[derive(Debug, Default, Deserialize)]
struct CargoTomlSyntax {
    #[serde(default)]
    dependencies: DepTable,
    #[serde(default, rename = "dev-dependencies")]
    dev_dependencies: DepTable,
    #[serde(default, rename = "dev_dependencies")]
    dev_dependencies_legacy: DepTable,
    #[serde(default, rename = "build-dependencies")]
    build_dependencies: DepTable,
    #[serde(default, rename = "build_dependencies")]
    build_dependencies_legacy: DepTable,
    #[serde(default)]
    target: BTreeMap<String, CargoTomlSyntax>,
    #[serde(default)]
    workspace: Option<WorkspaceSyntax>,
}

impl CargoTomlSyntax {
    /// Every entry of every dependency table, target tables included.
    fn entries(self, out: &mut Vec<(Spanned<String>, toml::Value)>) {
        out.extend(self.dependencies);
        out.extend(self.dev_dependencies);
        out.extend(self.dev_dependencies_legacy);
        out.extend(self.build_dependencies);
        out.extend(self.build_dependencies_legacy);
        for (_, t) in self.target {
            t.entries(out);
        }
        if let Some(ws) = self.workspace {
            out.extend(ws.dependencies);
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct WorkspaceSyntax {
    #[serde(default)]
    dependencies: DepTable,
}

/// Byte offset of a spanned string's text: past the opening quote, if quoted.
fn text_start(text: &str, span: std::ops::Range<usize>) -> usize {
    match text.as_bytes().get(span.start) {
        Some(b'"') | Some(b'\'') => span.start + 1,
        _ => span.start,
    }
}

/// Dependencies of a `Cargo.toml`, in file order.
pub fn cargo_toml(text: &str) -> Result<Vec<Dependency>, String> {
    let doc: CargoTomlSyntax = toml::from_str(text).map_err(|e| e.message().to_string())?;
    let mut entries = Vec::new();
    doc.entries(&mut entries);
    let mut out = Vec::new();
    for (key, spec) in entries {
        let renamed = spec.get("package").and_then(|p| p.as_str());
        let key_at = text_start(text, key.span());
        let (name, offset) = match renamed {
            // Point at the `package = "…"` value, the registry name: its first quoted
            // occurrence after the key. (A span for values is not used: `toml` loses
            // it on dotted-key tables.)
            Some(package) => {
                let at = [format!("\"{package}\""), format!("'{package}'")]
                    .iter()
                    .filter_map(|q| find(text, q, key_at))
                    .min()
                    .map_or(key_at, |i| i + 1);
                (package, at)
            }
            None => (key.get_ref().as_str(), key_at),
        };
        out.push(Dependency {
            name: normalize_package(name, Ecosystem::Cargo),
            offset,
            locked: false,
        });
    }
    out.sort_by_key(|d| d.offset);
    Ok(out)
}

/// The raw serde form of `Cargo.lock`.
#[derive(Debug, Deserialize)]
struct CargoLockSyntax {
    #[serde(default)]
    package: Vec<LockPackageSyntax>,
}

#[derive(Debug, Deserialize)]
struct LockPackageSyntax {
    name: Spanned<String>,
}

/// Every package pinned in a `Cargo.lock` (workspace members included).
pub fn cargo_lock(text: &str) -> Result<Vec<Dependency>, String> {
    let doc: CargoLockSyntax = toml::from_str(text).map_err(|e| e.message().to_string())?;
    Ok(doc
        .package
        .into_iter()
        .map(|p| Dependency {
            name: normalize_package(p.name.get_ref(), Ecosystem::Cargo),
            offset: text_start(text, p.name.span()),
            locked: true,
        })
        .collect())
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
    fn cargo_toml_every_table_and_renames() {
        let text = r#"
[package]
name = "agent"
version = "0.1.0"

[dependencies]
rig-core = "0.20"
oai = { package = "async-openai", version = "0.29" }
"ollama-rs" = { version = "0.3", features = ["stream"] }
tokio.workspace = true

[dependencies.Genai]
version = "0.4"

[dev-dependencies]
insta = "1"

[build-dependencies]
cc = "1"

[target.'cfg(unix)'.dependencies]
rmcp = { version = "0.8", features = ["server"] }

[workspace.dependencies]
aws_sdk_bedrockruntime = "1"

[patch.crates-io]
misanthropic = { path = "../misanthropic" }
"#;
        assert_eq!(
            names(ManifestKind::CargoToml, text),
            vec![
                "rig-core",
                "async-openai",
                "ollama-rs",
                "tokio",
                "genai",
                "insta",
                "cc",
                "rmcp",
                "aws-sdk-bedrockruntime",
            ]
        );
        let deps = dependencies(ManifestKind::CargoToml, text).unwrap();
        let at = |i: usize| &text[deps[i].offset..];
        assert!(at(0).starts_with("rig-core ="));
        assert!(at(1).starts_with("async-openai\""));
        assert!(at(2).starts_with("ollama-rs\" ="));
        assert!(at(3).starts_with("tokio.workspace"));
        assert!(at(4).starts_with("Genai]"));
    }

    #[test]
    fn cargo_lock_every_package() {
        let text = r#"
# This file is automatically @generated by Cargo.
version = 4

[[package]]
name = "agent"
version = "0.1.0"
dependencies = ["rig-core"]

[[package]]
name = "async-openai"
version = "0.29.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
"#;
        assert_eq!(
            names(ManifestKind::CargoLock, text),
            vec!["agent", "async-openai"]
        );
        let deps = dependencies(ManifestKind::CargoLock, text).unwrap();
        assert!(deps.iter().all(|d| d.locked));
        assert!(text[deps[1].offset..].starts_with("async-openai\""));
    }

    #[test]
    fn malformed_cargo_files_are_errors_not_panics() {
        assert!(dependencies(ManifestKind::CargoToml, "[dependencies\nrig-core = ").is_err());
        assert!(dependencies(ManifestKind::CargoToml, "dependencies = 5\n").is_err());
        assert!(dependencies(ManifestKind::CargoLock, "[[package]]\nversion = \"1\"\n").is_err());
        assert!(dependencies(ManifestKind::CargoLock, "[[package]\n").is_err());
    }
}
