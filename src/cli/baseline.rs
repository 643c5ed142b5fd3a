//! `aiscout baseline create`: the fingerprints of today's secrets, so a team can adopt
//! aiscout on a legacy repository and fail only on new keys (`scan --baseline FILE`).
//! A baseline holds fingerprints only — never a value, never a prefix — and the id of
//! the key that made them: a scan with another key could match none of them, so it is
//! refused rather than silently failing every accepted finding.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::Context;
use clap::Subcommand;
use serde::{Deserialize, Serialize};

use super::scan::{inventory, ScanArgs};
use super::{GlobalArgs, Outcome};
use crate::model::FingerprintKey;

/// `aiscout baseline …`.
#[derive(Debug, Subcommand)]
pub enum BaselineCommand {
    /// Scan like `aiscout scan` and write the fingerprints of every secret found to the
    /// file given with `-o`.
    Create(ScanArgs),
}

/// The baseline file.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// Format version, 1.
    pub aiscout_baseline: u32,
    /// The id of the fingerprint key that made them ([`FingerprintKey::id`]); a
    /// baseline without one was made with the built-in key.
    #[serde(default = "default_key_id")]
    pub fingerprint_key_id: String,
    /// Accepted fingerprints, sorted.
    pub fingerprints: BTreeSet<String>,
}

fn default_key_id() -> String {
    FingerprintKey::DEFAULT_ID.to_string()
}

/// Reads a baseline file whose fingerprints `key` made; one made with another key is
/// an error.
pub fn load(path: &Path, key: &FingerprintKey) -> anyhow::Result<BTreeSet<String>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading baseline {}", path.display()))?;
    let b: Baseline = serde_json::from_str(&text).with_context(|| {
        format!(
            "{}: not an aiscout baseline (create one with `aiscout baseline create`)",
            path.display()
        )
    })?;
    anyhow::ensure!(
        b.aiscout_baseline == 1,
        "{}: baseline version {} is not supported",
        path.display(),
        b.aiscout_baseline
    );
    anyhow::ensure!(
        b.fingerprint_key_id == key.id(),
        "{}: baseline made with fingerprint key {}, but this scan uses key {}: its \
         fingerprints cannot match; scan with the key that made it (--fingerprint-key-file) \
         or recreate it with `aiscout baseline create`",
        path.display(),
        b.fingerprint_key_id,
        key.id()
    );
    Ok(b.fingerprints)
}

/// Runs `baseline create`.
pub fn run(cmd: &BaselineCommand, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let BaselineCommand::Create(args) = cmd;
    let out = args
        .output
        .as_ref()
        .context("give the baseline file with -o FILE")?;
    let (inv, _) = inventory(args)?;
    let fingerprints: BTreeSet<String> = inv
        .units
        .iter()
        .flat_map(|u| &u.evidence)
        .filter_map(|e| e.secret.as_ref().map(|s| s.fingerprint.clone()))
        .collect();
    let n = fingerprints.len();
    let b = Baseline {
        aiscout_baseline: 1,
        fingerprint_key_id: inv.scanner.fingerprint_key_id.clone(),
        fingerprints,
    };
    let json = serde_json::to_string_pretty(&b)? + "\n";
    std::fs::write(out, json).with_context(|| format!("writing {}", out.display()))?;
    if !global.quiet {
        eprintln!(
            "aiscout: baseline of {n} accepted finding(s) written to {}",
            out.display()
        );
    }
    Ok(if inv.stats.faults.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Faults
    })
}
