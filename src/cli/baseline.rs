//! `aiscout baseline create`: writes the fingerprints of today's secrets
//! (`inventory::baseline`), so `scan --baseline FILE` fails only on new keys.

use anyhow::Context;
use clap::Subcommand;

use super::scan::{inventory, ScanArgs};
use super::{GlobalArgs, Outcome};
use crate::inventory::baseline::Baseline;

/// `aiscout baseline …`.
#[derive(Debug, Subcommand)]
pub enum BaselineCommand {
    /// Scan like `aiscout scan` and write the fingerprints of every secret found to the
    /// file given with `-o`.
    Create(ScanArgs),
}

/// Runs `aiscout baseline`.
pub fn run(cmd: &BaselineCommand, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let BaselineCommand::Create(args) = cmd;
    let out = args
        .output
        .as_ref()
        .context("give the baseline file with -o FILE")?;
    let (inv, _) = inventory(args)?;
    let b = Baseline::of(&inv);
    let n = b.fingerprints.len();
    let json = serde_json::to_string_pretty(&b)? + "\n";
    std::fs::write(out, json).with_context(|| format!("writing {}", out.display()))?;
    if !global.quiet {
        super::say(&format!(
            "aiscout: baseline of {n} accepted finding(s) written to {}",
            out.display()
        ));
    }
    Ok(if inv.stats.faults.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Faults
    })
}
