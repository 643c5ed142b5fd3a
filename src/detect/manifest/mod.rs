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
//!
//! A manifest is parsed only when it names a word of some rule's package ([`PackageGate`]):
//! a crate's `Cargo.lock` or an app's `package.json` with no AI package in it would
//! yield nothing, and parsing every one was a fifteenth of a scan of a cargo registry.

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

use std::collections::BTreeMap;

use aho_corasick::AhoCorasick;

use crate::detect::hit::{push_at, BlobState};
use crate::detect::{BlobOutcome, Detector};
use crate::model::{Ecosystem, Method, Skip, SkipReason};
use crate::rules::{normalize_package, Rule, RuleSet};

/// The words a manifest must hold, ignoring case, to declare a package of some rule: the
/// longest word of each package name. Normalising a name (case, `-` `_` `.` runs, a
/// registry's scope) never changes its words, so a manifest without any of them
/// declares none of the rules' packages.
#[derive(Debug)]
pub struct PackageGate {
    words: BTreeMap<Ecosystem, AhoCorasick>,
}

impl PackageGate {
    /// The gate of every package pattern of `rules`.
    pub fn new(rules: &RuleSet) -> PackageGate {
        let mut words: BTreeMap<Ecosystem, Vec<String>> = BTreeMap::new();
        for rule in rules.rules() {
            for (eco, patterns) in &rule.packages {
                for p in patterns {
                    // The first of the longest: the vendor's word in `openai-php/client`.
                    let word = p
                        .name
                        .split(|c: char| !c.is_ascii_alphanumeric())
                        .fold("", |best, w| if w.len() > best.len() { w } else { best });
                    words
                        .entry(*eco)
                        .or_default()
                        .push(word.to_ascii_lowercase());
                }
            }
        }
        PackageGate {
            words: words
                .into_iter()
                .filter_map(|(eco, mut ws)| {
                    // A name with no word at all (all punctuation) opens the gate.
                    ws.retain(|w| !w.is_empty());
                    ws.sort_unstable();
                    ws.dedup();
                    let ac = AhoCorasick::builder()
                        .ascii_case_insensitive(true)
                        .build(&ws)
                        .ok()?;
                    Some((eco, ac))
                })
                .collect(),
        }
    }

    /// Can `bytes`, a manifest of `eco`, declare a package some rule knows? A name
    /// written with escapes (`"\u006fpenai"` in JSON or TOML, `&#111;penai` in XML) is
    /// the parser's to read: such a file always opens the gate.
    pub fn may_declare(&self, eco: Ecosystem, bytes: &[u8]) -> bool {
        let has = |needle: &[u8]| memchr::memmem::find(bytes, needle).is_some();
        self.words.get(&eco).is_none_or(|ac| ac.is_match(bytes))
            || has(b"\\u")
            || has(b"\\U")
            || has(b"\\x")
            || has(b"&#")
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    /// The gate opens on a word of a known package however the manifest spells it, and
    /// stays shut on a manifest of other packages; every declared AI package is still
    /// found behind it (the rules' own examples go through it in the rule tests).
    #[test]
    fn the_gate_opens_on_a_word_of_a_known_package() {
        let gate = PackageGate::new(&RuleSet::builtin().unwrap());
        let open = |eco, text: &str| gate.may_declare(eco, text.as_bytes());
        assert!(open(Ecosystem::Pypi, "Google_GenerativeAI==0.8\n"));
        assert!(open(
            Ecosystem::Npm,
            r#"{"dependencies": {"@Anthropic-AI/SDK": "1"}}"#
        ));
        assert!(open(
            Ecosystem::Cargo,
            "[[package]]\nname = \"async-openai\"\n"
        ));
        assert!(!open(
            Ecosystem::Cargo,
            "[[package]]\nname = \"serde\"\nversion = \"1\"\n"
        ));
        assert!(!open(Ecosystem::Pypi, "requests==2.32\nnumpy\n"));
        let pkg = r#"{"name": "shop", "dependencies": {"react": "18", "left-pad": "1"}}"#;
        assert!(!open(Ecosystem::Npm, pkg));
        // A name spelled with escapes is the parser's to read.
        assert!(open(
            Ecosystem::Npm,
            r#"{"dependencies": {"\u006fpenai": "4"}}"#
        ));
        assert!(open(
            Ecosystem::Nuget,
            r#"<PackageReference Include="&#79;penAI" />"#
        ));
    }
}
