//! The registry parser (`--registry FILE`): `Registry::parse` on arbitrary text under a
//! name picked by the first byte (YAML, JSON, CSV), then matching the entries to a unit.
//! Bad input must be a `RegistryError`, never a panic.
#![no_main]

use aiscout::inventory::registry::{unit_path, RepoKey};
use aiscout::inventory::Registry;
use libfuzzer_sys::fuzz_target;

const NAMES: &[&str] = &["agents.yaml", "agents.json", "agents.csv", "catalog.yml"];

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let name = NAMES[sel as usize % NAMES.len()];
    let Ok(registry) = Registry::parse(name, text) else {
        return;
    };
    let scanned = RepoKey::of("https://github.com/acme/bots.git");
    for e in &registry.entries {
        assert!(e.entry >= 1);
        let _ = RepoKey::of(&e.repo).names(&scanned);
        let _ = unit_path(&e.path);
    }
});
