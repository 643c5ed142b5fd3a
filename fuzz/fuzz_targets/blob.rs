//! The per-blob pipeline: `Detector::scan` (prefilter, code, notebook, config,
//! manifest, secret and file-name detectors) with the built-in rules, on arbitrary
//! bytes under a file name picked by the first byte from names that route to every
//! detector.
#![no_main]

use std::sync::LazyLock;

use aiscout::detect::{BlobOutcome, DetectOptions, Detector, Scratch};
use aiscout::rules::RuleSet;
use libfuzzer_sys::fuzz_target;

static DETECTOR: LazyLock<Detector> = LazyLock::new(|| {
    Detector::new(
        RuleSet::builtin().expect("built-in rules load"),
        DetectOptions::default(),
    )
});

const NAMES: &[&str] = &[
    "app.py",
    "index.js",
    "index.ts",
    "App.tsx",
    "main.go",
    "Main.java",
    "Main.kt",
    "Program.cs",
    "src/lib.rs",
    "nb.ipynb",
    ".env",
    "deploy/values.yaml",
    "docker-compose.yml",
    ".vscode/mcp.json",
    "infra/terraform.tfstate",
    "config.toml",
    "infra/main.tf",
    "application.properties",
    "Dockerfile",
    "Jenkinsfile",
    "requirements.txt",
    "pyproject.toml",
    "package.json",
    "package-lock.json",
    "pnpm-lock.yaml",
    "yarn.lock",
    "go.mod",
    "pom.xml",
    "build.gradle",
    "App.csproj",
    "Cargo.toml",
    "Cargo.lock",
    ".github/CODEOWNERS",
    "catalog-info.yaml",
    "aiscout.yaml",
    "README.md",
    "tests/fixtures/x.py",
    "bundle.min.js",
];

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let name = NAMES[sel as usize % NAMES.len()];
    let mut scratch = Scratch::default();
    let mut out = BlobOutcome::default();
    let kind = aiscout::source::filekind::FileKind::of(name);
    DETECTOR.detect(&kind, name, rest, &mut scratch, &mut out);
    for e in &out.evidence {
        assert!(e.line >= 1 && e.column >= 1, "{name}: location {e:?}");
    }
});
