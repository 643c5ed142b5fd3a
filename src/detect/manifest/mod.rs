//! The manifest detector: dependencies declared in manifests and pinned in lockfiles
//! of every ecosystem, parsed with real parsers (`toml`, `serde_json`, a YAML crate,
//! an XML reader, tree-sitter for the Ruby programs that Gemfiles and gemspecs are),
//! matched against the package patterns of the selected rules.
//!
//! A declared dependency is weaker evidence than an import: it may be unused. A
//! lockfile entry is weaker still: the inventory calls it transitive unless the unit
//! also declares it. A file its parser rejects is a counted skip with the parser's
//! message — never a panic, and never its contents. One file per ecosystem; this file
//! is the only dispatch from a manifest kind to its parser, and [`Detector::manifest`]
//! matches what they declare against the selected rules.

pub mod cargo;
pub mod dotnet;
pub mod go;
pub mod jvm;
pub(crate) mod lock;
pub mod npm;
pub mod php;
pub mod python;
pub mod ruby;

pub use crate::source::filekind::ManifestKind;

use crate::detect::hit::{push_at, BlobState};
use crate::detect::{BlobOutcome, Detector};
use crate::model::{Method, Skip, SkipReason};
use crate::rules::{normalize_package, Rule};

/// One dependency found in a manifest or lockfile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dependency {
    /// Name normalised for its ecosystem (`rules::normalize_package`).
    pub name: String,
    /// Byte offset of the declaration in the file (best effort: its first occurrence).
    pub offset: usize,
    /// From a lockfile: pinned, but maybe only pulled in by another package.
    pub locked: bool,
}

/// Every dependency in `text`, or the parser's message.
pub fn dependencies(kind: ManifestKind, text: &str) -> Result<Vec<Dependency>, String> {
    use ManifestKind::*;
    match kind {
        Requirements => Ok(python::requirements(text)),
        Pyproject => python::pyproject(text),
        Pipfile => python::pipfile(text),
        SetupCfg => python::setup_cfg(text),
        SetupPy => python::setup_py(text),
        CondaEnv => python::conda_env(text),
        PoetryLock => python::poetry_lock(text),
        UvLock => python::uv_lock(text),
        PipfileLock => python::pipfile_lock(text),
        PackageJson => npm::package_json(text),
        PackageLock => npm::package_lock(text),
        PnpmLock => npm::pnpm_lock(text),
        YarnLock => npm::yarn_lock(text),
        GoMod => go::go_mod(text),
        GoSum => go::go_sum(text),
        Pom => jvm::pom(text),
        Gradle => jvm::gradle(text),
        VersionCatalog => jvm::version_catalog(text),
        MsBuild => dotnet::msbuild(text),
        PackagesConfig => dotnet::packages_config(text),
        CargoToml => cargo::cargo_toml(text),
        CargoLock => cargo::cargo_lock(text),
        Gemfile => ruby::gemfile(text),
        GemfileLock => ruby::gemfile_lock(text),
        Gemspec => ruby::gemspec(text),
        ComposerJson => php::composer_json(text),
        ComposerLock => php::composer_lock(text),
    }
}

/// The package a manifest publishes, normalised for its ecosystem, with its offset:
/// `[project] name` (or Poetry's) of a `pyproject.toml`, `name` of a `package.json`,
/// `[package] name` of a `Cargo.toml`, the `module` of a `go.mod`.
pub fn own_package(kind: ManifestKind, text: &str) -> Option<(String, usize)> {
    use ManifestKind::*;
    let name = match kind {
        Pyproject => {
            let doc: toml::Table = text.parse().ok()?;
            let project = doc.get("project").and_then(|p| p.get("name"));
            let poetry = doc
                .get("tool")
                .and_then(|t| t.get("poetry"))
                .and_then(|p| p.get("name"));
            project.or(poetry)?.as_str()?.to_string()
        }
        CargoToml => {
            let doc: toml::Table = text.parse().ok()?;
            doc.get("package")?.get("name")?.as_str()?.to_string()
        }
        PackageJson => {
            let doc: serde_json::Value = serde_json::from_str(text).ok()?;
            doc.get("name")?.as_str()?.to_string()
        }
        GoMod => text
            .lines()
            .find_map(|l| l.trim().strip_prefix("module "))?
            .trim()
            .trim_matches('"')
            .to_string(),
        _ => return None,
    };
    if name.is_empty() {
        return None;
    }
    let offset = find(text, &name, 0).unwrap_or(0);
    Some((normalize_package(&name, kind.ecosystem()), offset))
}

/// Byte offset of the first occurrence of `needle` in `text` at or after `from`.
pub(crate) fn find(text: &str, needle: &str, from: usize) -> Option<usize> {
    text.get(from..)?.find(needle).map(|i| from + i)
}

impl Detector {
    /// Matches the dependencies a manifest or lockfile declares against the package
    /// patterns of `wanted`.
    pub(in crate::detect) fn manifest(
        &self,
        state: &BlobState,
        kind: ManifestKind,
        bytes: &[u8],
        wanted: &[&Rule],
        out: &mut BlobOutcome,
    ) {
        let eco = kind.ecosystem();
        let text = String::from_utf8_lossy(bytes);
        match dependencies(kind, &text) {
            Ok(deps) => {
                for dep in deps {
                    for rule in wanted {
                        if rule.packages(eco).iter().any(|p| p.matches(&dep.name)) {
                            let method = if dep.locked {
                                Method::Lockfile
                            } else {
                                Method::Dependency
                            };
                            push_at(
                                state,
                                out,
                                rule,
                                text.as_bytes(),
                                dep.offset,
                                method,
                                &dep.name,
                            );
                        }
                    }
                }
            }
            Err(message) => out.skips.push(Skip {
                reason: SkipReason::MalformedManifest,
                message,
            }),
        }
        // The manifest of an SDK's own source publishes a package the rules know. An
        // exact name only: a sample app named `langchain-demo` is not LangChain.
        if let Some((name, offset)) = own_package(kind, &text) {
            for rule in wanted {
                if rule
                    .packages(eco)
                    .iter()
                    .any(|p| !p.prefix && p.matches(&name))
                {
                    push_at(
                        state,
                        out,
                        rule,
                        text.as_bytes(),
                        offset,
                        Method::Package,
                        &name,
                    );
                }
            }
        }
    }
}
