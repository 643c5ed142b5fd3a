//! Helpers shared by the integration tests: run the CLI in-process or as a binary.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

use aiscout::cli::{Cli, Command as Sub};
use aiscout::inventory::Inventory;
use clap::Parser;

/// Scans with the given command-line words (after `aiscout scan`), in-process.
pub fn scan(words: &[&str]) -> Inventory {
    let mut argv = vec!["aiscout", "scan"];
    argv.extend_from_slice(words);
    let cli = Cli::try_parse_from(argv).expect("valid arguments");
    let Sub::Scan(args) = cli.command else {
        unreachable!("parsed a scan command")
    };
    aiscout::cli::scan::inventory(&args).expect("scan runs").0
}

/// The inventory as the JSON reporter writes it.
pub fn json(inv: &Inventory) -> String {
    let mut buf = Vec::new();
    aiscout::report::write(
        aiscout::report::Format::Json,
        inv,
        &aiscout::report::ReportOptions::default(),
        &mut buf,
    )
    .unwrap();
    String::from_utf8(buf).unwrap()
}

/// Runs the real binary.
pub fn run(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aiscout"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("binary runs")
}

/// The binary, copied once to a world-readable temp location, so that it can be run as
/// an unprivileged user even when the build tree is not readable by that user (CI may
/// build under a private home directory).
pub fn unprivileged_bin() -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    static BIN: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("aiscout-unpriv-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        let dest = dir.join("aiscout");
        std::fs::copy(env!("CARGO_BIN_EXE_aiscout"), &dest).unwrap();
        std::fs::set_permissions(&dest, std::fs::Permissions::from_mode(0o755)).unwrap();
        dest
    })
    .clone()
}
