//! The inventory: evidence grouped into repositories and agent units.
//!
//! An agent unit is the nearest directory, at or above a file with evidence, that has
//! its own manifest (`package.json`, `pyproject.toml`, `go.mod`, …), else the
//! repository root. Unit ids hash the repository identity and the unit path, so the
//! same unit has the same id on every machine and in every run. Everything here is
//! sorted: the same evidence always gives the same bytes.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::{hex, Evidence, Kind, Method};
use crate::scan::ScanStats;

/// Version of the JSON layout; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// A whole scan's result. JSON of this is the lossless format every command reads back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Inventory {
    /// [`SCHEMA_VERSION`] at the time of writing.
    pub schema_version: u32,
    /// What produced it.
    pub scanner: ScannerInfo,
    /// The paths scanned, as given.
    pub sources: Vec<String>,
    /// What the scan read and skipped.
    pub stats: ScanStats,
    /// Every repository scanned, with or without AI.
    pub repositories: Vec<Repository>,
    /// Every agent unit found.
    pub units: Vec<Unit>,
}

/// The scanner and rules that produced an inventory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScannerInfo {
    /// Always `aiscout`.
    pub name: String,
    /// The crate version.
    pub version: String,
    /// Digest of the compiled rule set.
    pub rules_digest: String,
    /// Number of rules.
    pub rules: usize,
}

/// A scanned repository.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Repository {
    /// Remote URL (without credentials), else its path.
    pub identity: String,
    /// Where it was found on disk, as the user named it.
    pub path: String,
    /// Has a `.git`.
    pub git: bool,
    /// Number of agent units in it.
    pub units: usize,
}

/// What a unit is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// Code with its own manifest, or a repository root.
    Code,
}

/// One agent unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// Stable id: hash of repository identity and unit path.
    pub id: String,
    /// Directory name (the repository's name for a root unit).
    pub name: String,
    /// Repository identity.
    pub repo: String,
    /// Path inside the repository (`.` for the root).
    pub path: String,
    /// What it is.
    pub kind: UnitKind,
    /// Languages of its files with evidence.
    pub languages: Vec<String>,
    /// Providers it uses: named by code, a declared dependency, an endpoint or a
    /// configuration (lockfile-only names are in `transitive`).
    pub providers: Vec<String>,
    /// Frameworks and SDKs it uses (lockfile-only names are in `transitive`).
    pub frameworks: Vec<String>,
    /// Providers and frameworks seen only in lockfiles: pulled in by another package,
    /// not an integration of the unit's own.
    #[serde(default)]
    pub transitive: Vec<String>,
    /// How strongly each provider and framework is shown: `call` (code calls it),
    /// `import` (imported only), `endpoint`, `dependency` (declared, maybe unused), …
    #[serde(default)]
    pub usage: BTreeMap<String, Method>,
    /// Model ids found in code and configuration, with the provider serving them.
    #[serde(default)]
    pub models: Vec<ModelUse>,
    /// How strongly AI use is shown: `import` when any code imports it, else
    /// `dependency` (declared, maybe unused), else `file` / `pattern`.
    pub strongest: Method,
    /// Every piece of evidence, paths relative to the repository root.
    pub evidence: Vec<Evidence>,
}

/// A model id and the provider it is attributed to.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ModelUse {
    /// The id as written (`gpt-4o-mini`, `anthropic.claude-3-5-sonnet-20240620-v1:0`).
    pub id: String,
    /// The provider its rule attributes it to.
    pub provider: String,
}

/// One repository's scan result, input to [`build`].
#[derive(Clone, Debug, Default)]
pub struct RepoScan {
    /// Identity (remote URL or path).
    pub identity: String,
    /// Display path.
    pub path: String,
    /// Has a `.git`.
    pub git: bool,
    /// Directories (repo-relative, `""` for the root) that hold a unit manifest.
    pub manifest_dirs: BTreeSet<String>,
    /// Evidence, paths repo-relative.
    pub evidence: Vec<Evidence>,
}

/// Stable unit id.
pub fn unit_id(repo: &str, path: &str) -> String {
    let mut h = Sha256::new();
    h.update(repo.as_bytes());
    h.update([0]);
    h.update(path.as_bytes());
    hex(&h.finalize()[..8])
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// The unit directory of a repo-relative file path.
fn unit_dir<'a>(file: &str, manifest_dirs: &'a BTreeSet<String>) -> &'a str {
    let mut dir = parent(file);
    loop {
        if let Some(d) = manifest_dirs.get(dir) {
            return d;
        }
        if dir.is_empty() {
            return "";
        }
        dir = parent(dir);
    }
}

/// The language a file with evidence stands for: its grammar, else its manifest's
/// ecosystem (a `package.json` alone does not say JavaScript or TypeScript).
fn language_of(path: &str) -> Option<&'static str> {
    use crate::detect::code::lang::Lang;
    use crate::detect::manifest::ManifestKind;
    use crate::rules::Ecosystem;
    if path.ends_with(".ipynb") {
        return Some("python");
    }
    if let Some(lang) = Lang::from_path(path) {
        return Some(lang.as_str());
    }
    let kind = ManifestKind::from_path(path)?;
    let name = path.rsplit('/').next().unwrap_or(path);
    Some(match kind.ecosystem() {
        Ecosystem::Pypi => "python",
        Ecosystem::Npm => return None,
        Ecosystem::Go => "go",
        // Gradle builds and catalogs serve Java and Kotlin alike: the code decides.
        Ecosystem::Maven if name == "pom.xml" => "java",
        Ecosystem::Maven => return None,
        Ecosystem::Nuget => "csharp",
        Ecosystem::Cargo => "rust",
    })
}

fn last_segment(s: &str) -> &str {
    let s = s.trim_end_matches('/');
    let s = s.strip_suffix(".git").unwrap_or(s);
    s.rsplit(['/', ':', '\\']).next().unwrap_or(s)
}

/// Groups evidence into units and assembles the inventory.
pub fn build(
    scanner: ScannerInfo,
    sources: Vec<String>,
    mut stats: ScanStats,
    repos: Vec<RepoScan>,
) -> Inventory {
    stats.finish();
    let mut repositories = Vec::new();
    let mut units = Vec::new();
    for repo in repos {
        let mut by_unit: BTreeMap<&str, Vec<Evidence>> = BTreeMap::new();
        for ev in repo.evidence {
            let dir = unit_dir(&ev.path, &repo.manifest_dirs);
            by_unit.entry(dir).or_default().push(ev);
        }
        repositories.push(Repository {
            identity: repo.identity.clone(),
            path: repo.path.clone(),
            git: repo.git,
            units: by_unit.len(),
        });
        for (dir, mut evidence) in by_unit {
            evidence.sort();
            evidence.dedup();
            let path = if dir.is_empty() { "." } else { dir };
            let mut languages = BTreeSet::new();
            let mut providers = BTreeSet::new();
            let mut frameworks = BTreeSet::new();
            let mut locked = BTreeSet::new();
            let mut usage: BTreeMap<String, Method> = BTreeMap::new();
            let mut models = BTreeSet::new();
            for ev in &evidence {
                if let Some(l) = language_of(&ev.path) {
                    languages.insert(l);
                }
                match ev.kind {
                    Kind::Provider | Kind::Framework if ev.method == Method::Lockfile => {
                        locked.insert(ev.identifies.clone());
                    }
                    Kind::Provider | Kind::Framework => {
                        if ev.kind == Kind::Provider {
                            providers.insert(ev.identifies.clone());
                        } else {
                            frameworks.insert(ev.identifies.clone());
                        }
                        let e = usage.entry(ev.identifies.clone()).or_insert(ev.method);
                        *e = (*e).min(ev.method);
                    }
                    Kind::Model => {
                        models.insert(ModelUse {
                            id: ev.matched.clone(),
                            provider: ev.identifies.clone(),
                        });
                    }
                    _ => {}
                }
            }
            let transitive: Vec<String> = locked
                .into_iter()
                .filter(|n| !providers.contains(n) && !frameworks.contains(n))
                .collect();
            // A package.json alone does not say JavaScript or TypeScript.
            if languages.is_empty() && evidence.iter().any(|e| e.path.ends_with("package.json")) {
                languages.insert("javascript");
            }
            let strongest = evidence
                .iter()
                .map(|e| e.method)
                .min()
                .unwrap_or(Method::Pattern);
            let name = if dir.is_empty() {
                last_segment(&repo.identity).to_string()
            } else {
                last_segment(dir).to_string()
            };
            units.push(Unit {
                id: unit_id(&repo.identity, path),
                name,
                repo: repo.identity.clone(),
                path: path.to_string(),
                kind: UnitKind::Code,
                languages: languages.into_iter().map(str::to_string).collect(),
                providers: providers.into_iter().collect(),
                frameworks: frameworks.into_iter().collect(),
                transitive,
                usage,
                models: models.into_iter().collect(),
                strongest,
                evidence,
            });
        }
    }
    repositories.sort();
    units.sort_by(|a, b| (&a.repo, &a.path).cmp(&(&b.repo, &b.path)));
    Inventory {
        schema_version: SCHEMA_VERSION,
        scanner,
        sources,
        stats,
        repositories,
        units,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_is_nearest_manifest_dir_else_root() {
        let dirs: BTreeSet<String> = ["services/a", "services/a/sub", ""]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(unit_dir("services/a/src/x.py", &dirs), "services/a");
        assert_eq!(unit_dir("services/a/sub/y.py", &dirs), "services/a/sub");
        assert_eq!(unit_dir("tools/z.py", &dirs), "");
        let none = BTreeSet::new();
        assert_eq!(unit_dir("a/b/c.py", &none), "");
    }

    #[test]
    fn unit_ids_are_stable_and_distinct() {
        assert_eq!(unit_id("r", "a"), unit_id("r", "a"));
        assert_ne!(unit_id("r", "a"), unit_id("r", "b"));
        assert_ne!(unit_id("r1", "a"), unit_id("r", "1a"));
    }

    #[test]
    fn names_come_from_the_last_segment() {
        assert_eq!(last_segment("https://github.com/org/bot.git"), "bot");
        assert_eq!(last_segment("git@github.com:org/bot.git"), "bot");
        assert_eq!(last_segment("test-repos/x/"), "x");
    }
}
