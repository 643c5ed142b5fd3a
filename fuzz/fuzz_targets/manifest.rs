//! Every manifest and lockfile parser: the first byte picks the `ManifestKind` (by a
//! representative file name, so the dispatch is the real one), the rest is the text.
#![no_main]

use aiscout::detect::manifest::{dependencies, ManifestKind};
use libfuzzer_sys::fuzz_target;

/// One name per `ManifestKind` variant.
const NAMES: &[&str] = &[
    "requirements.txt",
    "pyproject.toml",
    "Pipfile",
    "setup.cfg",
    "setup.py",
    "environment.yml",
    "poetry.lock",
    "uv.lock",
    "Pipfile.lock",
    "package.json",
    "package-lock.json",
    "pnpm-lock.yaml",
    "yarn.lock",
    "go.mod",
    "go.sum",
    "pom.xml",
    "build.gradle.kts",
    "gradle/libs.versions.toml",
    "App.csproj",
    "packages.config",
    "Cargo.toml",
    "Cargo.lock",
];

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let name = NAMES[sel as usize % NAMES.len()];
    let kind = ManifestKind::from_path(name).expect("every name above is a manifest");
    // The detector hands manifests over as lossy UTF-8; do the same.
    let text = String::from_utf8_lossy(rest);
    if let Ok(deps) = dependencies(kind, &text) {
        for d in deps {
            assert!(d.offset <= text.len(), "{name}: offset out of bounds");
        }
    }
});
