//! The manifest detector: dependencies declared in manifests and pinned in lockfiles
//! of every ecosystem, parsed with real parsers (`toml`, `serde_json`, a YAML crate,
//! an XML reader), matched against the package patterns of the selected rules.
//!
//! A declared dependency is weaker evidence than an import: it may be unused. A
//! lockfile entry is weaker still: the inventory calls it transitive unless the unit
//! also declares it. A file its parser rejects is a counted skip with the parser's
//! message — never a panic, and never its contents. One file per ecosystem; this file
//! is the only dispatch from a file name to its parser.

pub mod cargo;
pub mod dotnet;
pub mod go;
pub mod jvm;
pub(crate) mod lock;
pub mod npm;
pub mod python;

use crate::rules::Ecosystem;

/// The manifest and lockfile formats we read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ManifestKind {
    /// `requirements*.txt`, `*-requirements.txt`, `requirements/*.txt`.
    Requirements,
    /// `pyproject.toml` (PEP 621, Poetry, uv, PDM, dependency groups).
    Pyproject,
    /// `Pipfile`.
    Pipfile,
    /// `setup.cfg` (`install_requires`, `extras_require`).
    SetupCfg,
    /// `setup.py` (literal `install_requires` lists).
    SetupPy,
    /// Conda `environment.yml` / `environment.yaml`.
    CondaEnv,
    /// `poetry.lock`.
    PoetryLock,
    /// `uv.lock`.
    UvLock,
    /// `Pipfile.lock`.
    PipfileLock,
    /// `package.json`.
    PackageJson,
    /// `package-lock.json` / `npm-shrinkwrap.json`.
    PackageLock,
    /// `pnpm-lock.yaml`.
    PnpmLock,
    /// `yarn.lock`.
    YarnLock,
    /// `go.mod`.
    GoMod,
    /// `go.sum`.
    GoSum,
    /// `pom.xml`.
    Pom,
    /// `build.gradle` / `build.gradle.kts`.
    Gradle,
    /// A Gradle version catalog, `gradle/libs.versions.toml`.
    VersionCatalog,
    /// `*.csproj`, `*.fsproj`, `*.vbproj`, `Directory.Packages.props`.
    MsBuild,
    /// `packages.config`.
    PackagesConfig,
    /// `Cargo.toml`.
    CargoToml,
    /// `Cargo.lock`.
    CargoLock,
}

impl ManifestKind {
    /// The manifest kind of `path` (repo-relative, `/`-separated), by name.
    pub fn from_path(path: &str) -> Option<ManifestKind> {
        let (dir, name) = match path.rsplit_once('/') {
            Some((d, n)) => (d, n),
            None => ("", path),
        };
        Some(match name {
            "pyproject.toml" => ManifestKind::Pyproject,
            "Pipfile" => ManifestKind::Pipfile,
            "setup.cfg" => ManifestKind::SetupCfg,
            "setup.py" => ManifestKind::SetupPy,
            "environment.yml" | "environment.yaml" => ManifestKind::CondaEnv,
            "poetry.lock" => ManifestKind::PoetryLock,
            "uv.lock" => ManifestKind::UvLock,
            "Pipfile.lock" => ManifestKind::PipfileLock,
            "package.json" => ManifestKind::PackageJson,
            "package-lock.json" | "npm-shrinkwrap.json" => ManifestKind::PackageLock,
            "pnpm-lock.yaml" => ManifestKind::PnpmLock,
            "yarn.lock" => ManifestKind::YarnLock,
            "go.mod" => ManifestKind::GoMod,
            "go.sum" => ManifestKind::GoSum,
            "pom.xml" => ManifestKind::Pom,
            "build.gradle" | "build.gradle.kts" => ManifestKind::Gradle,
            "libs.versions.toml" => ManifestKind::VersionCatalog,
            "Directory.Packages.props" => ManifestKind::MsBuild,
            "packages.config" => ManifestKind::PackagesConfig,
            "Cargo.toml" => ManifestKind::CargoToml,
            "Cargo.lock" => ManifestKind::CargoLock,
            _ if name.ends_with(".csproj")
                || name.ends_with(".fsproj")
                || name.ends_with(".vbproj") =>
            {
                ManifestKind::MsBuild
            }
            _ if name.ends_with(".txt")
                && (name.starts_with("requirements")
                    || name.ends_with("-requirements.txt")
                    || name.ends_with("_requirements.txt")
                    || dir == "requirements"
                    || dir.ends_with("/requirements")) =>
            {
                ManifestKind::Requirements
            }
            _ => return None,
        })
    }

    /// The ecosystem its package names belong to.
    pub fn ecosystem(self) -> Ecosystem {
        use ManifestKind::*;
        match self {
            Requirements | Pyproject | Pipfile | SetupCfg | SetupPy | CondaEnv | PoetryLock
            | UvLock | PipfileLock => Ecosystem::Pypi,
            PackageJson | PackageLock | PnpmLock | YarnLock => Ecosystem::Npm,
            GoMod | GoSum => Ecosystem::Go,
            Pom | Gradle | VersionCatalog => Ecosystem::Maven,
            MsBuild | PackagesConfig => Ecosystem::Nuget,
            CargoToml | CargoLock => Ecosystem::Cargo,
        }
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
    }
}

/// Byte offset of the first occurrence of `needle` in `text` at or after `from`.
pub(crate) fn find(text: &str, needle: &str, from: usize) -> Option<usize> {
    text.get(from..)?.find(needle).map(|i| from + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_kinds_by_name() {
        assert_eq!(
            ManifestKind::from_path("a/requirements-dev.txt"),
            Some(ManifestKind::Requirements)
        );
        assert_eq!(
            ManifestKind::from_path("requirements/base.txt"),
            Some(ManifestKind::Requirements)
        );
        assert_eq!(ManifestKind::from_path("notes.txt"), None);
        assert_eq!(
            ManifestKind::from_path("web/package.json"),
            Some(ManifestKind::PackageJson)
        );
        assert_eq!(
            ManifestKind::from_path("src/Bot/Bot.csproj"),
            Some(ManifestKind::MsBuild)
        );
        assert_eq!(
            ManifestKind::from_path("app/build.gradle.kts"),
            Some(ManifestKind::Gradle)
        );
    }
}
