//! `aiscout merge A.json B.json … -o org.json`: combines the inventories of shards
//! (`scan --shard I/N`) or of separate scans into one, as if one scan had produced it.
//! Inventories from different scanner versions, rule sets or fingerprint keys are
//! refused: their findings are not comparable.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use super::{GlobalArgs, Outcome};
use crate::report::{self, Format, ReportOptions};

/// `aiscout merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Inventories written by `aiscout scan --format json`.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Where to write the merged inventory (JSON).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: PathBuf,
}

/// Runs `aiscout merge`.
pub fn run(args: &MergeArgs, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let parts = args
        .inputs
        .iter()
        .map(|p| super::report::load(p).map(|inv| (p.display().to_string(), inv)))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let merged = crate::inventory::merge::merge(parts)?;
    let mut buf = Vec::new();
    report::write(Format::Json, &merged, &ReportOptions::default(), &mut buf)?;
    std::fs::write(&args.output, buf)
        .with_context(|| format!("writing {}", args.output.display()))?;
    if !global.quiet {
        super::say(&format!(
            "aiscout: merged {} inventories: {} repositories, {} units → {}",
            args.inputs.len(),
            merged.repositories.len(),
            merged.units.len(),
            args.output.display()
        ));
    }
    Ok(if merged.stats.faults.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Faults
    })
}
